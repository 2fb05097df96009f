"""POST /api/articles (with a coder's token) and GET /api/articles/<id>: created, duplicate, every 400, queueing."""

from __future__ import annotations

import datetime
import json
from unittest import mock

import pytest
from django.utils import timezone

from conflictmap.articles.models import Article, Status

EN_BODY = "Clashes were reported on Tuesday in the countryside east of Raqqa, local sources said."
AR_BODY = "داهمت قوات الأمن خلية في حي غويران بمدينة الحسكة يوم الثلاثاء."


def post(client, payload, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(payload)
    return client.post("/api/articles", data=data, content_type="application/json")


@pytest.fixture
def delay():
    with mock.patch("conflictmap.incidents.tasks.geocode_article.delay") as patched:
        yield patched


@pytest.mark.django_db
def test_post_creates_article_and_queues_it_once_committed(
    coder_api, delay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            coder_api, {"title": "Raid", "body": AR_BODY, "published": "2024-08-10", "source": "Test"}
        )
    assert response.status_code == 201
    data = response.json()
    article = Article.objects.get(pk=data["id"])
    assert data["status_url"] == f"http://testserver/api/v1/articles/{article.pk}"
    assert (article.lang, article.status, article.published) == (
        "ar",
        Status.PENDING,
        datetime.date(2024, 8, 10),
    )
    delay.assert_called_once_with(article.pk)


@pytest.mark.django_db
def test_duplicate_text_returns_200_with_the_existing_id(coder_api, delay):
    first = post(coder_api, {"body": EN_BODY, "published": "2024-08-10"}).json()
    # Same text with different spacing and case is still the same article.
    again = post(coder_api, {"body": "  " + EN_BODY.upper().replace(" ", "  ") + "\n", "title": "other"})
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["duplicate"] is True
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_status_endpoint_reports_progress(coder_api, delay):
    created = post(coder_api, {"body": EN_BODY}).json()
    status = coder_api.get(f"/api/articles/{created['id']}").json()
    assert status["status"] == "pending"
    assert status["incidents"] == 0
    assert coder_api.get("/api/articles/999999").status_code == 404


@pytest.mark.django_db
def test_broker_down_at_ingest_keeps_the_article_pending(coder_api, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    with (
        mock.patch("conflictmap.incidents.tasks.geocode_article.delay", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post(coder_api, {"body": EN_BODY})
    assert response.status_code == 201
    assert Article.objects.get().status == Status.PENDING


def future() -> str:
    return (timezone.localdate() + datetime.timedelta(days=5)).isoformat()


BAD_REQUESTS = [
    ("not json", None, b"{body: nope", "__all__", "not valid JSON"),
    ("json list", None, b"[1, 2]", "__all__", "JSON object"),
    ("bad utf-8", None, b'{"body": "\xff\xfe"}', "__all__", "not valid JSON"),
    ("missing body", {"title": "x"}, None, "body", "empty"),
    ("empty body", {"body": ""}, None, "body", "empty"),
    ("whitespace body", {"body": "   \n\t "}, None, "body", "empty"),
    ("html with no text", {"body": "<p></p><div> </div>"}, None, "body", "empty"),
    ("too big", {"body": "a " * 600_000}, None, "body", "1 MB"),
    ("binary", {"body": "abc\x00\x01\x02def"}, None, "body", "binary"),
    ("mojibake", {"body": "\ufffd" * 50 + " text"}, None, "body", "badly encoded"),
    (
        "unknown language",
        {"body": "Столкновения произошли вчера вечером в городе."},
        None,
        "body",
        "language",
    ),
    ("future date", {"body": EN_BODY, "published": "FUTURE"}, None, "published", "future"),
    ("bad date", {"body": EN_BODY, "published": "10/08/2024"}, None, "published", "valid date"),
    ("bad url", {"body": EN_BODY, "url": "not a url"}, None, "url", "valid URL"),
    ("bad lang", {"body": EN_BODY, "lang": "fr"}, None, "lang", "valid choice"),
    ("number title", {"body": EN_BODY, "title": 12}, None, "title", "string"),
    ("long source", {"body": EN_BODY, "source": "s" * 300}, None, "source", "at most 200"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "payload", "raw", "field", "message"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS]
)
def test_bad_input_gets_400_naming_the_field(coder_api, delay, case, payload, raw, field, message):
    if payload and payload.get("published") == "FUTURE":
        payload = {**payload, "published": future()}
    response = post(coder_api, payload, raw)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    assert message in " ".join(errors[field])
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_get_is_not_allowed_on_the_collection(coder_api):
    assert coder_api.get("/api/articles").status_code == 405


@pytest.mark.django_db
def test_pasted_html_is_stripped_with_a_warning(coder_api, delay):
    body = f"<html><body><p>{EN_BODY}</p><script>alert(1)</script><p>Second &amp; last.</p></body></html>"
    data = post(coder_api, {"body": body}).json()
    article = Article.objects.get(pk=data["id"])
    assert "<p>" not in article.body and "alert" not in article.body
    assert article.body.endswith("Second & last.")
    assert any("HTML" in w for w in article.warnings)
