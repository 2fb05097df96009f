"""A small review queue on the small_gazetteer fixture, shared by the review API and browser tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from incident_factory import make_article, make_incident

from conflictmap.accounts.roles import Role, assign_role
from conflictmap.articles.models import Article
from conflictmap.incidents.models import Incident, IncidentPlace, Mention, Review
from gazetteer.models import Place
from geoparse.normalize import normalize

XSS_SUMMARY = '<img src=x onerror="window.__xss=1">Cell <b>seen</b> near the river'
RAID_EN = "Clashes broke out in Ghweiran and al-Nashwa, south of Hasakah, on 3 March 2024; two people died."
RAID_AR = "قصف مدفعي على مدينة الرقة صباح الثلاثاء وسقوط جرحى."
PASSWORD = "queue-pass-1234"


@dataclass
class Queue:
    """The ids the tests look up: incidents by key, mentions by text, places by P-code, users by role."""

    incidents: dict[str, int] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)


def make_user(username: str, role: str, password: str | None = None):
    """A user of the role; without a password (hashing one takes ~0.3 s) unless the test logs in with it."""
    user = get_user_model().objects.create_user(username, password=password)
    assign_role(user, role)
    return user


def add_mention(
    article: Article, text: str, place: Place | None, role: str, candidates: list[Place]
) -> Mention:
    start = article.body.index(text)
    return Mention.objects.create(
        article=article,
        start=start,
        end=start + len(text),
        text=text,
        normalized=normalize(text),
        place=place,
        role=role,
        score=0.6,
        candidates=[{"id": p.pk, "score": round(0.9 - 0.2 * n, 2)} for n, p in enumerate(candidates)],
    )


# What make_incident codes by default and the queue's tests leave out: the place, type and confidence only.
UNCODED = {
    "date": datetime.date(2024, 3, 3), "sub_event_type": "", "actors": [], "actor_sides": {},
    "fatalities": None, "summary": "",
}  # fmt: skip


def add_incident(article: Article, place: Place, confidence: float, **fields) -> Incident:
    return make_incident(place.uid, article, confidence=confidence, **{**UNCODED, **fields})


def make_queue(password: str | None = None) -> Queue:
    """Four incidents to review (QUEUE_ORDER), one already confirmed and one archived, and four users."""
    q = Queue()
    places = {p.pcode: p for p in Place.objects.all()}
    q.places = {code: p.pk for code, p in places.items()}
    ghuwayran, nashwa, city, raqqa = places["CUR1"], places["CUR2"], places["C4360"], places["C5710"]
    raid = make_article("Clashes in Ghweiran", RAID_EN, source="Source A")
    m1 = add_mention(raid, "Ghweiran", ghuwayran, "incident", [ghuwayran, nashwa, city])
    m2 = add_mention(raid, "al-Nashwa", nashwa, "incident", [nashwa, ghuwayran])
    m3 = add_mention(raid, "Hasakah", city, "context", [city, places["SY08"], places["SY0800"]])
    first = add_incident(raid, ghuwayran, 0.2, actors=["SDF", "ISIS"], actor_sides={"SDF": 1, "ISIS": 2})
    IncidentPlace.objects.create(incident=first, place=nashwa, rank=1)
    first.mentions.set([m1, m2])
    second = add_incident(raid, city, 0.6, rank=1, event_type="explosions_remote_violence")
    second.mentions.set([m3])
    shelling = make_article("قصف على الرقة", RAID_AR, lang="ar", source="Source B")
    m4 = add_mention(shelling, "الرقة", raqqa, "incident", [raqqa, city])
    ar = add_incident(shelling, raqqa, 0.3, event_type="explosions_remote_violence", fatalities=0)
    ar.mentions.set([m4])
    html = make_article("Report 3", "A cell was seen near the river in Raqqa.", source="Source B")
    xss = add_incident(html, raqqa, 0.5, summary=XSS_SUMMARY, date=datetime.date(2024, 2, 1))
    done = make_article("Report 4", "Protest in Hasakah.", source="Source A")
    confirmed = add_incident(done, city, 0.1, event_type="protests", review=Review.CONFIRMED)
    gone = make_article("Report 5", "Old report from Hasakah.", source="Source A")
    archived = add_incident(gone, city, 0.05, archived_at=datetime.datetime.now(datetime.UTC))
    q.incidents = {
        "raid": first.pk, "city": second.pk, "raqqa": ar.pk, "html": xss.pk,
        "confirmed": confirmed.pk, "archived": archived.pk,
    }  # fmt: skip
    q.mentions = {"Ghweiran": m1.pk, "al-Nashwa": m2.pk, "Hasakah": m3.pk, "الرقة": m4.pk}
    q.users = {role: make_user(role, role, password) for role in (Role.VIEWER, Role.CODER, Role.REVIEWER)}
    q.users["reviewer2"] = make_user("reviewer2", Role.REVIEWER, password)
    return q


# The machine-coded live incidents, lowest confidence first.
QUEUE_ORDER = ["raid", "raqqa", "html", "city"]
