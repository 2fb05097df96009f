"""Fill the rule tables from the pipeline's built-in tables, so the admin starts populated."""

from django.db import migrations

from conflictmap.rules.defaults import load_defaults


def load(apps, schema_editor) -> None:
    load_defaults(apps.get_model("rules", "EventRule"), apps.get_model("rules", "Actor"), apps.get_model("rules", "ActorAlias"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
