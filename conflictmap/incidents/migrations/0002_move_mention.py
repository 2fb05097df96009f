# Mention moves from articles to incidents, next to the incidents built from it. The table and its
# rows stay where they are: this migration changes only Django's state (0003 renames the table).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("articles", "0002_article_synthetic"),
        ("gazetteer", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Mention",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("start", models.PositiveIntegerField()),
                        ("end", models.PositiveIntegerField()),
                        ("text", models.CharField(max_length=500)),
                        ("normalized", models.CharField(blank=True, max_length=500)),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("incident", "incident location"),
                                    ("context", "context"),
                                    ("reporting", "reporting location"),
                                ],
                                default="context",
                                max_length=12,
                            ),
                        ),
                        ("score", models.FloatField(default=0.0)),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mentions",
                                to="articles.article",
                            ),
                        ),
                        (
                            "place",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="mentions",
                                to="gazetteer.place",
                            ),
                        ),
                    ],
                    options={"ordering": ["article", "start", "end"], "db_table": "articles_mention"},
                ),
            ],
        ),
    ]
