# Mention now belongs to the incidents app (incidents 0002); its table and rows are kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_synthetic"),
        ("incidents", "0002_move_mention"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Mention")],
        ),
    ]
