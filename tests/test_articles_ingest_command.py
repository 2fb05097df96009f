"""manage.py ingest (JSONL, CSV, text), requeue and regeocode."""

from __future__ import annotations

import datetime
import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conflictmap.articles.models import Article, Status

EN = "Two civilians were wounded by shelling near Tal Tamr in the Hasakah countryside on Monday."
AR = "أصيب مدنيان بقصف قرب تل تمر في ريف الحسكة يوم الاثنين."
EN2 = "A checkpoint came under fire on the road between Raqqa and Tabqa, a local council said."


@pytest.fixture
def delay():
    with mock.patch("conflictmap.incidents.tasks.geocode_article.delay") as patched:
        yield patched


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest", *args, "--quiet", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def future() -> str:
    return (timezone.localdate() + datetime.timedelta(days=10)).isoformat()


@pytest.mark.django_db
def test_jsonl_ingest_summarises_created_duplicates_and_rejections(
    tmp_path, delay, django_capture_on_commit_callbacks
):
    lines = [
        json.dumps({"title": "Shelling", "text": EN, "date": "2024-08-12", "source": "Test"}).encode(),
        json.dumps({"body": AR, "published": "2024-08-12", "lang": "ar"}, ensure_ascii=False).encode(),
        json.dumps({"body": EN}).encode(),  # duplicate of line 1
        b"{not json",
        b"[1, 2]",
        b"",
        json.dumps({"body": ""}).encode(),
        json.dumps({"body": EN2, "published": future()}).encode(),
        b'{"body": "caf\xe9 au lait"}',
        json.dumps({"body": EN2, "published": "2024-08-13"}).encode(),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with django_capture_on_commit_callbacks(execute=True):
        output = run(str(path))
    assert "created 3, duplicates 1, rejected 5" in output
    for where, reason in [
        (4, "not valid JSON"),
        (5, "JSON object"),
        (7, "body is empty"),
        (8, "in the future"),
        (9, "not valid UTF-8"),
    ]:
        assert f"rejected batch.jsonl:{where}: " in output and reason in output
    assert Article.objects.count() == 3
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(
        Article.objects.values_list("pk", flat=True)
    )
    shelling = Article.objects.get(title="Shelling")
    assert (shelling.source, shelling.published, shelling.lang) == ("Test", datetime.date(2024, 8, 12), "en")


@pytest.mark.django_db
def test_csv_ingest_reports_row_line_numbers(tmp_path, delay):
    path = tmp_path / "batch.csv"
    path.write_text(
        "title,text,date,source\n"
        f'One,"{EN}",2024-08-01,CSV\n'
        'Two,"",2024-08-01,CSV\n'
        f'Three,"{AR}\nwith a second line",2024-08-02,CSV\n'
        f'Four,"{EN2}",01-08-2024,CSV\n',
        encoding="utf-8",
    )
    output = run(str(path), "--source", "fallback")
    assert "created 2, duplicates 0, rejected 2" in output
    assert "rejected batch.csv:3: body: body is empty" in output
    assert "rejected batch.csv:6: published: Enter a valid date." in output
    assert set(Article.objects.values_list("source", flat=True)) == {"CSV"}


@pytest.mark.django_db
def test_csv_without_body_column_is_rejected_whole(tmp_path, delay):
    path = tmp_path / "nobody.csv"
    path.write_text("title,date\nx,2024-01-01\n", encoding="utf-8")
    assert "rejected nobody.csv:1: CSV header has no body" in run(str(path))


@pytest.mark.django_db
def test_text_files_hold_one_or_several_articles(tmp_path, delay):
    single = tmp_path / "one.txt"
    single.write_text(AR + "\n", encoding="utf-8")
    several = tmp_path / "many.txt"
    several.write_text(f"{EN}\n---\n\n---\n{EN2}\n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    output = run(str(single), str(several), str(binary), "--source", "desk")
    assert "created 3, duplicates 0, rejected 2" in output
    assert "rejected many.txt:3: body: body is empty" in output
    assert "rejected image.txt:1: binary content" in output
    assert set(Article.objects.values_list("source", flat=True)) == {"desk"}


@pytest.mark.django_db
def test_missing_file_is_a_command_error():
    with pytest.raises(CommandError, match="no such file"):
        run("/nonexistent/file.jsonl")


@pytest.mark.django_db
def test_ingest_now_geocodes_in_process(tmp_path, small_gazetteer, delay):
    from geoparse.types import GeoparseResult

    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"body": EN}) + "\n", encoding="utf-8")
    parser = mock.Mock(parse=mock.Mock(return_value=GeoparseResult("en", (), ())))
    with mock.patch("conflictmap.incidents.geocoding.default_geoparser", return_value=parser):
        run(str(path), "--now")
    assert Article.objects.get().status == Status.DONE
    delay.assert_not_called()


def make(body: str, status: str, published: str = "2024-08-01", error: str = "") -> Article:
    from conflictmap.articles.ingest import content_hash

    return Article.objects.create(
        body=body,
        lang="en",
        content_hash=content_hash(body),
        status=status,
        published=datetime.date.fromisoformat(published),
        error=error,
        attempts=3,
    )


@pytest.mark.django_db
def test_requeue_failed_resets_and_queues_only_failed(delay):
    failed = make("failed text", Status.FAILED, error="boom")
    make("done text", Status.DONE)
    out = io.StringIO()
    call_command("requeue", "--status", "failed", stdout=out)
    assert "re-queued 1 of 1" in out.getvalue()
    delay.assert_called_once_with(failed.pk)
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == (Status.PENDING, "", 0)


@pytest.mark.django_db
def test_regeocode_since_date_and_name(delay):
    old = make("Shelling in Manbij", Status.DONE, "2024-01-01")
    new = make("Shelling in Tabqa", Status.DONE, "2024-09-01")
    make("Pending Tabqa", Status.PENDING, "2024-09-02")
    out = io.StringIO()
    call_command("regeocode", "--since", "2024-06-01", stdout=out)
    assert [c.args[0] for c in delay.call_args_list] == [new.pk]
    delay.reset_mock()
    call_command("regeocode", "--name", "manbij", stdout=out)
    assert [c.args[0] for c in delay.call_args_list] == [old.pk]
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("regeocode", "--since", "yesterday")
