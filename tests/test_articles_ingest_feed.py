"""manage.py ingest_feed on local RSS and Atom files."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from conflictmap.articles.models import Article

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Test Wire</title>
<item><title>قصف في ريف الحسكة</title><link>https://example.org/1</link>
  <pubDate>Tue, 13 Aug 2024 09:30:00 +0300</pubDate>
  <description>ملخص</description>
  <content:encoded><![CDATA[<p>أصيب مدنيان بقصف قرب تل تمر في ريف الحسكة.</p><script>x()</script>]]></content:encoded></item>
<item><title>Empty</title><link>https://example.org/2</link><description></description></item>
<item><title>Clashes</title><link>https://example.org/3</link><pubDate>not a date</pubDate>
  <description>Clashes broke out near the Raqqa bridge overnight, residents said.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><title>Raid</title><link rel="alternate" href="https://example.org/a"/>
  <published>2024-08-14T10:00:00Z</published>
  <summary>Security forces raided a house in Ghuwayran, local sources said.</summary></entry>
</feed>"""


@pytest.fixture
def delay():
    with mock.patch("conflictmap.incidents.tasks.geocode_article.delay") as patched:
        yield patched


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest_feed", *args, "--quiet", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_rss_items_become_articles(tmp_path, delay):
    path = tmp_path / "wire.xml"
    path.write_text(RSS, encoding="utf-8")
    output = run(str(path))
    assert "created 2, duplicates 0, rejected 1" in output
    assert "rejected wire.xml:item 2: body: body is empty" in output
    arabic = Article.objects.get(url="https://example.org/1")
    assert (arabic.source, arabic.lang, arabic.published) == ("Test Wire", "ar", datetime.date(2024, 8, 13))
    assert arabic.body == "أصيب مدنيان بقصف قرب تل تمر في ريف الحسكة." and "x()" not in arabic.body
    assert any("HTML" in w for w in arabic.warnings)
    # An unreadable date is dropped with a warning rather than rejecting the item.
    clashes = Article.objects.get(url="https://example.org/3")
    assert any("no publication date" in w for w in clashes.warnings)
    assert "duplicates 2" in run(str(path))


@pytest.mark.django_db
def test_atom_entries_become_articles(tmp_path, delay):
    path = tmp_path / "desk.atom"
    path.write_text(ATOM, encoding="utf-8")
    assert "created 1" in run(str(path))
    article = Article.objects.get()
    assert (article.title, article.url, article.source, article.published) == (
        "Raid",
        "https://example.org/a",
        "Atom Desk",
        datetime.date(2024, 8, 14),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<rss><channel><item>", "not well-formed XML"),
        ('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><rss/>', "DOCTYPE"),
        ("<html><body>hello</body></html>", "not an RSS or Atom feed"),
    ],
)
def test_bad_feeds_are_rejected_with_a_reason(tmp_path, delay, content, reason):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    output = run(str(path))
    assert "created 0" in output and reason in output


def test_missing_feed_file_is_a_command_error():
    with pytest.raises(CommandError, match="no such file"):
        run("/nonexistent/feed.xml")
