"""A database before a re-run: four articles geocoded once, their incidents reviewed, then the gazetteer changed.

Used by the re-run tests (test_rerun_keeps_reviewed, test_regeocode_dry_run); call it inside a test that
has the small_gazetteer fixture.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from conflictmap.articles.ingest import clean_body, store
from conflictmap.incidents.geocoding import run_geocode
from conflictmap.incidents.models import Decision, Incident
from gazetteer.models import Place, PlaceName

SHELLING = (
    "Shelling hit Ghuwayran in Hasakah on Monday, killing two civilians. Later, protesters gathered in Raqqa."
)
AIRSTRIKE = (
    "An airstrike hit Al-Nashwa in Hasakah. Separately, clashes erupted in Raqqa between SDF and ISIS."
)
CLASHES = "Clashes erupted in Al-Nashwa in Hasakah between SDF and ISIS on Sunday."
RAID = "داهمت قسد والتحالف خلية لداعش في حيي غويران والنشوة بمدينة الحسكة."


@dataclass(frozen=True)
class Scenario:
    articles: tuple[int, ...]
    # The incidents by what happens to them: reviewed ones are left alone, machine ones re-run.
    confirmed: int  # the shelling in Ghuwayran (its label would change)
    corrected: int  # the clash in Raqqa (Raqqa is no longer found)
    rejected: int  # the airstrike in al-Nashwa (found again)
    relabelled: int  # machine: the raid in Ghuwayran and al-Nashwa, whose label changes
    dropped: int  # machine: the protest in Raqqa, no longer found
    unchanged: int  # machine: nothing of it changes
    decided: int  # a mention of the raid article an analyst decided


def geocode_once(body: str) -> list[Incident]:
    article = store(clean_body(body), published=datetime.date(2024, 8, 20)).article
    assert run_geocode(article.pk) == "done"
    return list(article.incidents.order_by("rank"))


def change_gazetteer() -> None:
    """Rename Ghuwayran (labels change) and make Raqqa unknown (its incidents are not found again)."""
    Place.objects.filter(uid="t:CUR1").update(name_en="Ghweiran")
    raqqa = Place.objects.filter(uid__in=["t:C5710", "t:SY11"])
    PlaceName.objects.filter(place__in=raqqa).delete()
    raqqa.update(name_en="Tell Abyad", name_ar="تل أبيض")


def reviewed_then_changed() -> Scenario:
    """Geocode the four articles, review some incidents (the review actions), decide a mention, change the gazetteer."""
    shelling, protest = geocode_once(SHELLING)
    airstrike, clash = geocode_once(AIRSTRIKE)
    (raid,) = geocode_once(RAID)
    (clashes,) = geocode_once(CLASHES)
    places = [i.place.uid for i in (shelling, protest, airstrike, clash, raid, clashes)]
    assert places == ["t:CUR1", "t:C5710", "t:CUR2", "t:C5710", "t:CUR1", "t:CUR2"]
    analyst = get_user_model().objects.create_user("analyst")
    shelling.confirm(analyst, shelling.version)
    changes = {"date": datetime.date(2024, 8, 18), "summary": "Clashes at the eastern edge", "fatalities": 4}
    clash.correct(analyst, clash.version, changes)
    airstrike.reject(analyst, airstrike.version, "a rumour")
    decided = raid.mentions.order_by("start").first()
    decided.decision, decided.decided_at = Decision.PLACE, timezone.now()
    decided.save()
    change_gazetteer()
    return Scenario(
        articles=(shelling.article_id, airstrike.article_id, raid.article_id, clashes.article_id),
        confirmed=shelling.pk,
        corrected=clash.pk,
        rejected=airstrike.pk,
        relabelled=raid.pk,
        dropped=protest.pk,
        unchanged=clashes.pk,
        decided=decided.pk,
    )
