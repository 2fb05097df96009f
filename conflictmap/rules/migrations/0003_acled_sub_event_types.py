"""Rename the built-in rules' sub-event types to ACLED's codebook names (e.g. raid/arrest → Arrests)."""

from django.db import migrations

from geoparse.events import LEGACY_SUB_EVENTS, default_rules


def rename(apps, schema_editor) -> None:
    EventRule = apps.get_model("rules", "EventRule")
    by_keyword = {(r.event_type, kw): r.sub_event_type for r in default_rules().events for kw in r.keywords}
    rows = EventRule.objects.filter(sub_event_type__in=list(LEGACY_SUB_EVENTS)).order_by("-priority", "id")
    for row in rows:
        new = by_keyword.get((row.event_type, row.keyword), LEGACY_SUB_EVENTS[row.sub_event_type])
        twin = EventRule.objects.filter(event_type=row.event_type, sub_event_type=new, keyword=row.keyword)
        if twin.exists():  # the same word under a higher-priority rule already: this row adds nothing
            row.delete()
            continue
        row.sub_event_type = new
        row.save(update_fields=["sub_event_type", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_load_default_rules")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
