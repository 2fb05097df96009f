"""One event reported twice, in Arabic and in English, on the small_gazetteer fixture: shared by the browser
tests of the map's report list and the review page's event section."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from incident_factory import make_article, make_incident

from conflictmap.incidents.models import Event

SHELLING_AR = "قصف مدفعي على حي غويران في مدينة الحسكة صباح الخميس وسقوط قتيلين."
SHELLING_EN = "Artillery shelled the Ghuwayran neighbourhood of al-Hasakah on Thursday morning; two died."


@dataclass
class EventPair:
    """The event and its two reports (incident ids), the Arabic one first."""

    event: int
    arabic: int
    english: int


# What both reports code alike: the day, the type, the toll.
CODED = {
    "date": datetime.date(2024, 8, 1), "event_type": "explosions_remote_violence",
    "sub_event_type": "Shelling/artillery/missile attack", "actors": [], "actor_sides": {}, "fatalities": 2,
    "summary": "",
}  # fmt: skip


def make_event_pair() -> EventPair:
    """Two articles of one shelling at Ghuwayran (SY24, ar; Hawar News, en), linked as the pipeline links."""
    reports = []
    for title, body, lang, source, confidence in (
        ("قصف على غويران", SHELLING_AR, "ar", "SY24", 0.4),
        ("Shelling in Ghuwayran", SHELLING_EN, "en", "Hawar News", 0.5),
    ):
        article = make_article(title, body, lang=lang, source=source)
        reports.append(make_incident("t:CUR1", article, confidence=confidence, **CODED))
    Event.objects.link_each(reports)
    events = {r.event_id for r in reports}
    assert len(events) == 1 and None not in events, "the two reports should be one event"
    return EventPair(event=events.pop(), arabic=reports[0].pk, english=reports[1].pk)
