"""The paste form at /articles/new and the article page (status, escaped text, highlighted mentions)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.contrib.gis.geos import Point

from conflictmap.articles.models import Article, Status
from conflictmap.incidents.models import Incident, Mention
from gazetteer.models import Place

BODY = "Security forces raided a house in Ghuwayran, al-Hasakah, the Raqqa office said."


@pytest.fixture
def delay():
    with mock.patch("conflictmap.incidents.tasks.geocode_article.delay") as patched:
        yield patched


@pytest.mark.django_db
def test_form_page_renders(coder_client):
    response = coder_client.get("/articles/new")
    assert response.status_code == 200
    assert b'name="body"' in response.content and b'name="published"' in response.content


@pytest.mark.django_db
def test_form_post_stores_queues_and_redirects(coder_client, delay, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coder_client.post(
            "/articles/new",
            {
                "title": "Raid",
                "body": BODY,
                "published": "2024-08-20",
                "source": "Analyst",
                "url": "https://example.org/a",
            },
        )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/articles/{article.pk}/"
    delay.assert_called_once_with(article.pk)
    page = coder_client.get(response["Location"])
    assert b'data-status="pending"' in page.content
    assert f'data-status-url="/api/v1/articles/{article.pk}"'.encode() in page.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "body is empty"),
        ({"body": BODY, "published": "2999-01-01"}, "in the future"),
        ({"body": "Это не поддерживается вообще."}, "language not recognised"),
    ],
)
def test_form_shows_errors(coder_client, delay, data, message):
    response = coder_client.post("/articles/new", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_script_in_article_is_escaped_and_mentions_highlighted_by_role(client, small_gazetteer):
    body = "<script>alert('pwn')</script> Raid in Ghuwayran reported from Raqqa."
    article = Article.objects.create(
        title="<img src=x onerror=alert(1)>",
        body=body,
        lang="en",
        content_hash="a" * 64,
        status=Status.DONE,
        published=datetime.date(2024, 8, 1),
    )
    ghuwayran = Place.objects.get(pcode="CUR1")
    start = body.index("Ghuwayran")
    Mention.objects.create(
        article=article,
        start=start,
        end=start + 9,
        text="Ghuwayran",
        place=ghuwayran,
        role="incident",
        score=0.9,
    )
    start = body.index("Raqqa")
    Mention.objects.create(
        article=article,
        start=start,
        end=start + 5,
        text="Raqqa",
        place=Place.objects.get(pcode="C5710"),
        role="reporting",
        score=0.7,
    )
    Incident.objects.create(
        article=article,
        point=Point(40.76, 36.475, srid=4326),
        geo_precision=1,
        place=ghuwayran,
        label_en="Ghuwayran",
        label_ar="غويران",
        admin1_pcode="SY08",
        date=datetime.date(2024, 8, 1),
        event_type="security operation",
    )
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;pwn&#x27;)&lt;/script&gt;" in html
    assert 'mention mention--incident" data-role="incident"' in html
    assert ">Ghuwayran</mark>" in html
    assert 'mention mention--reporting" data-role="reporting"' in html
    assert 'id="article-map"' in html and '"label_ar": "\\u063a' in html


@pytest.mark.django_db
def test_arabic_article_is_right_to_left(client):
    article = Article.objects.create(body="اشتباكات في ريف الرقة الشرقي", lang="ar", content_hash="b" * 64)
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert 'class="article-body" dir="rtl" lang="ar">اشتباكات في ريف الرقة الشرقي</div>' in html


@pytest.mark.django_db
def test_failed_article_shows_its_error(client):
    article = Article.objects.create(
        body="x text", lang="en", content_hash="c" * 64, status=Status.FAILED, error="ValueError: bad span"
    )
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert "ValueError: bad span" in html and 'data-status="failed"' in html


def test_segments_skip_overlaps_and_out_of_range():
    from conflictmap.articles.views import segments

    mentions = [
        Mention(start=0, end=4, text="abcd"),
        Mention(start=2, end=6, text="cdef"),
        Mention(start=8, end=99, text="x"),
    ]
    parts = [(s.text, s.mention is not None) for s in segments("abcdefghij", mentions)]
    assert parts == [("abcd", True), ("efghij", False)]


@pytest.mark.django_db
def test_admin_add_cleans_stores_and_queues(admin_client, delay, django_capture_on_commit_callbacks):
    data = {
        "title": "Admin",
        "body": f"<p>{BODY}</p><p>More text here.</p>",
        "lang": "",
        "published": "2024-08-02",
        "source": "desk",
        "url": "",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert (article.lang, article.status) == ("en", Status.PENDING)
    assert "<p>" not in article.body and article.content_hash
    delay.assert_called_once_with(article.pk)
    # The same text again is refused with a pointer to the stored article.
    again = admin_client.post("/admin/articles/article/add/", data)
    assert again.status_code == 200 and f"already stored as article {article.pk}" in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "shown"), [("en", "Strategic developments · "), ("ar", "تطورات استراتيجية · ")]
)
def test_article_page_shows_each_incidents_sub_event_type(client, lang, shown):
    article = Article.objects.create(body="Raid and arrests in Ghuwayran", lang="en", content_hash="d" * 64)
    Incident.objects.create(
        article=article,
        point=Point(40.76, 36.475, srid=4326),
        geo_precision=1,
        label_en="Ghuwayran",
        date=datetime.date(2024, 8, 1),
        event_type="strategic_developments",
        sub_event_type="Arrests",
    )
    client.cookies["django_language"] = lang
    html = client.get(f"/articles/{article.pk}/").content.decode()
    sub = "Arrests" if lang == "en" else "اعتقالات"
    assert f'{shown}<span class="sub-event-type">{sub}</span>' in html
    assert '"sub_event_type": "Arrests"' in html
