"""unit=event|report on every map endpoint: an event counts once, at its lead report; the queue lists reports."""

from __future__ import annotations

import datetime

import pytest
from incident_factory import make_article, make_incident

from conflictmap.incidents.models import Event, Incident

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 8, 20)


@pytest.fixture
def reports(small_gazetteer) -> dict[str, Incident]:
    """One event of two reports in Ghuwayran (Hawar's is the lead, SANA's the other), one in Raqqa (Hawar's)."""
    made = {
        "lead": make_incident("t:CUR1", make_article(source="Hawar"), date=DAY),
        "other": make_incident("t:CUR1", make_article(source="SANA"), date=DAY),
        "raqqa": make_incident("t:C5710", make_article(source="Hawar"), date=DAY),
    }
    Event.objects.link_each(made.values())
    lead, other, raqqa = (Incident.objects.get(pk=i.pk) for i in made.values())
    assert lead.event_id == other.event_id != raqqa.event_id
    assert Event.objects.get(pk=lead.event_id).lead_id == lead.pk
    return made


def counted(path: str, body: dict) -> object:
    """What an endpoint's answer counts (the facets: the sources it lists)."""
    if path.endswith("facets"):
        return body["sources"]
    if path.endswith(("histogram", "choropleth")):
        return body["total"]
    return body["count"]


# endpoint: (what it counts of the events, of the reports)
ENDPOINTS = {
    "/api/incidents": (2, 3),
    "/api/incidents/points": (2, 3),
    "/api/incidents/histogram?step=day": (2, 3),
    "/api/incidents/choropleth?level=1": (2, 3),
    "/api/incidents/clusters?zoom=9": (2, 3),
    "/api/incidents/facets": (["Hawar"], ["Hawar", "SANA"]),
}


def get(client, endpoint: str, unit: str | None):
    joiner = "&" if "?" in endpoint else "?"
    return client.get(endpoint + (f"{joiner}unit={unit}" if unit else ""))


@pytest.mark.parametrize(("unit", "column"), [("event", 0), ("report", 1), (None, 0)])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unit_counts_events_or_reports(client, reports, endpoint, unit, column):
    response = get(client, endpoint, unit)
    assert response.status_code == 200
    assert counted(endpoint.split("?")[0], response.json()) == ENDPOINTS[endpoint][column]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_unknown_unit_is_refused_naming_the_parameter(client, reports, endpoint):
    response = get(client, endpoint, "bogus")
    assert response.status_code == 400
    assert response.json()["parameter"] == "unit"


def test_per_governorate_an_event_counts_once(client, reports):
    def counts(unit: str) -> dict[str, int]:
        return get(client, "/api/incidents/choropleth?level=1", unit).json()["counts"]

    assert (counts("event"), counts("report")) == ({"SY08": 1, "SY11": 1}, {"SY08": 2, "SY11": 1})


@pytest.mark.parametrize(("unit", "shown"), [("event", "lead"), ("report", "other")])
def test_an_event_matched_by_another_report_shows_its_lead(client, reports, unit, shown):
    body = get(client, "/api/incidents?source=SANA", unit).json()
    assert [f["id"] for f in body["features"]] == [reports[shown].pk]


def test_an_unlinked_incident_stands_for_itself(client, reports):
    make_incident("t:CUR2", date=DAY)
    assert get(client, "/api/incidents", "event").json()["count"] == 3


def test_the_review_queue_lists_reports(coder_api, reports):
    body = coder_api.get("/api/review/queue").json()
    assert body["count"] == 3
    assert set(body["ids"]) == {i.pk for i in reports.values()}
