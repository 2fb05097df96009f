"""The map's detail panel and popup give an incident's date at its precision: a month reads "Aug 2024",
not "1 Aug 2024" (the first day of the period, which the database stores)."""

from __future__ import annotations

import datetime

import pytest
from test_map_detail_places import open_page, raid, show_detail  # noqa: F401  (fixtures and helper)

from conflictmap.incidents.models import Incident

# (precision, the stored first day, what the page shows, what it must not show)
CASES = [
    ("day", "2024-08-05", "5 Aug 2024", "week of"),
    ("week", "2024-08-05", "week of 5 Aug 2024", "(week)"),
    ("month", "2024-08-01", "Aug 2024", "1 Aug 2024"),
    ("year", "2024-01-01", "2024", "Jan 2024"),
]


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def dated(request, raid):  # noqa: F811
    """The raid at one date precision; set before the browser starts (Playwright's loop forbids the ORM)."""
    precision, day, shown, not_shown = request.param
    Incident.objects.filter(pk=raid).update(date=datetime.date.fromisoformat(day), date_precision=precision)
    return raid, shown, not_shown


@pytest.mark.browser
def test_the_date_reads_at_its_precision(live_server, dated, open_page):  # noqa: F811
    pk, shown, not_shown = dated
    page = open_page("en")
    facts, popup = show_detail(page, live_server.url, pk)
    for box in (facts, popup):
        text = box.inner_text()
        assert shown in text and not_shown not in text
    assert page.errors == []
