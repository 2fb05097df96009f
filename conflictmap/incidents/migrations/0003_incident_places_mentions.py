# Incidents keep what the pipeline found: all their places, their sub-event type and their mentions.

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Give existing incidents their one stored place and the mentions that name it."""
    Incident = apps.get_model("incidents", "Incident")
    IncidentPlace = apps.get_model("incidents", "IncidentPlace")
    Mention = apps.get_model("incidents", "Mention")
    Through = Incident.mentions.through
    places, links = [], []
    for incident in Incident.objects.only("id", "article_id", "place_id").iterator(chunk_size=2000):
        if incident.place_id:
            places.append(IncidentPlace(incident_id=incident.id, place_id=incident.place_id, rank=0))
        own = Mention.objects.filter(article_id=incident.article_id)
        own = own.filter(place_id=incident.place_id) if incident.place_id else own.filter(role="incident")
        links += [Through(incident_id=incident.id, mention_id=pk) for pk in own.values_list("pk", flat=True)]
        if len(places) + len(links) > 5000:
            IncidentPlace.objects.bulk_create(places)
            Through.objects.bulk_create(links)
            places, links = [], []
    IncidentPlace.objects.bulk_create(places)
    Through.objects.bulk_create(links)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0002_move_mention"),
        ("articles", "0003_delete_mention"),
        ("gazetteer", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="mention", table=None),
        migrations.AddField(
            model_name="incident",
            name="sub_event_type",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.CreateModel(
            name="IncidentPlace",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rank", models.PositiveSmallIntegerField(default=0)),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="place_links",
                        to="incidents.incident",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="gazetteer.place",
                    ),
                ),
            ],
            options={
                "ordering": ["incident", "rank"],
                "constraints": [
                    models.UniqueConstraint(fields=("incident", "place"), name="incident_place_once")
                ],
            },
        ),
        migrations.AddField(
            model_name="incident",
            name="places",
            field=models.ManyToManyField(
                blank=True,
                help_text="Every place the location names, in order; the first is the point.",
                related_name="incidents_named",
                through="incidents.IncidentPlace",
                to="gazetteer.place",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="mentions",
            field=models.ManyToManyField(
                blank=True,
                help_text="The mentions that locate it.",
                related_name="incidents",
                to="incidents.mention",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
