"""The admins' ACLED upload: "Import ACLED CSV" on the events' changelist saves the file under the var folder and
queues its import once committed; the worker's thin task runs ImportJob.run, whose progress, counts and bad rows
the job's page polls. Nobody but admins gets in."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from acled_data import SAMPLE
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from kombu.exceptions import OperationalError as BrokerError

from conflictmap.acled import models as acled_models
from conflictmap.acled.models import AcledEvent, ImportJob, JobStatus
from conflictmap.acled.tasks import import_acled_file
from conflictmap.incidents.geocoding import TRANSIENT

IMPORT = "/admin/acled/acledevent/import/"


@pytest.fixture
def uploads(settings, tmp_path) -> Path:
    settings.ACLED_UPLOAD_DIR = tmp_path / "acled-uploads"
    return settings.ACLED_UPLOAD_DIR


@pytest.fixture
def delay():
    with mock.patch("conflictmap.acled.tasks.import_acled_file.delay") as patched:
        yield patched


@pytest.fixture
def admin(client, make_user):
    client.force_login(make_user("admin"))
    return client


def csv_upload(content: bytes | None = None, name: str = "acled.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SAMPLE.read_bytes() if content is None else content, "text/csv")


def upload(client, skip_bad: bool = False, **file) -> object:
    data = {"file": csv_upload(**file)}
    if skip_bad:
        data["skip_bad"] = "on"
    return client.post(IMPORT, data)


@pytest.mark.parametrize("role", ["reviewer", "coder", "viewer", None])
def test_only_admins_reach_the_upload(
    client, make_user, uploads, delay, role, django_capture_on_commit_callbacks
):
    if role:
        client.force_login(make_user(role))
    assert client.get(IMPORT).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not ImportJob.objects.exists()
    assert not delay.called
    assert not uploads.exists() or not any(uploads.iterdir())


def test_the_changelist_links_to_the_upload_and_stays_read_only(admin, small_gazetteer):
    AcledEvent.objects.import_file(SAMPLE)
    html = admin.get("/admin/acled/acledevent/").content.decode()
    assert f'href="{IMPORT}"' in html and "Import ACLED CSV" in html
    event = AcledEvent.objects.get(event_id_cnty="SYR1001")
    page = admin.get(f"/admin/acled/acledevent/{event.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # viewable, not editable
    assert admin.get("/admin/acled/acledevent/add/").status_code == 403


def test_an_upload_is_saved_and_queued_once_committed(
    admin, uploads, delay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(admin, skip_bad=True)
        assert not delay.called  # not before the job's row is committed
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{IMPORT}{job.pk}/"
    assert (job.status, job.skip_bad, job.original_name) == (JobStatus.QUEUED, True, "acled.csv")
    assert Path(job.path).parent == uploads
    assert Path(job.path).read_bytes() == SAMPLE.read_bytes()
    for callback in callbacks:
        callback()
    delay.assert_called_once_with(job.pk)


def test_the_worker_imports_and_the_page_shows_the_counts(admin, small_gazetteer, uploads, delay):
    upload(admin)
    job = ImportJob.objects.get()
    assert import_acled_file(job.pk) == JobStatus.DONE
    assert AcledEvent.objects.count() == 6
    status = admin.get(f"{IMPORT}{job.pk}/status").json()
    assert {k: status[k] for k in ("status", "final", "phase", "rows_done", "rows_total", "created", "updated")} == {
        "status": "done", "final": True, "phase": "writing", "rows_done": 6, "rows_total": 6,
        "created": 6, "updated": 0,
    }  # fmt: skip
    assert not Path(job.path).exists()  # the upload is removed once imported
    page = admin.get(f"{IMPORT}{job.pk}/").content.decode()
    assert 'id="acled-job"' in page and f'data-status-url="{IMPORT}{job.pk}/status"' in page
    # Imported twice, the rows are updated, not duplicated.
    upload(admin)
    again = ImportJob.objects.latest("id")
    import_acled_file(again.pk)
    again.refresh_from_db()
    assert (again.created, again.updated, AcledEvent.objects.count()) == (0, 6, 6)


def test_progress_is_recorded_while_the_rows_are_written(admin, small_gazetteer, uploads, delay, monkeypatch):
    monkeypatch.setattr(acled_models, "CHUNK", 2)
    upload(admin)
    job = ImportJob.objects.get()
    seen = []
    record = ImportJob.record_progress

    def spy(self, phase, done, total):
        record(self, phase, done, total)
        row = ImportJob.objects.get(pk=self.pk)
        seen.append((row.status, row.phase, row.rows_done, row.rows_total))

    monkeypatch.setattr(ImportJob, "record_progress", spy)
    job.run()
    assert [s for s in seen if s[1] == "writing"] == [
        ("running", "writing", 2, 6), ("running", "writing", 4, 6), ("running", "writing", 6, 6)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "skip_bad", "status", "created", "message"),
    [
        (b"event_id_cnty,event_date\nSYR1,2024-08-20\n", False, "refused", 0, "lacks the required column(s)"),
        (None, False, "refused", 0, "1 bad row(s) and 5 good one(s); nothing was imported"),
        (None, True, "done", 5, "created 5, updated 0, skipped 1"),
    ],
)
def test_a_bad_file_or_bad_rows_end_the_job_with_why(
    admin, small_gazetteer, uploads, delay, content, skip_bad, status, created, message
):
    if content is None:  # the sample with a bad date on SYR1003's line
        content = SAMPLE.read_bytes().replace(b"SYR1003,2024-09-03", b"SYR1003,2024-09-31")
    upload(admin, skip_bad=skip_bad, content=content)
    job = ImportJob.objects.get()
    assert import_acled_file(job.pk) == status
    job.refresh_from_db()
    assert message in job.message
    assert (job.created, AcledEvent.objects.count()) == (created, created)
    if b"SYR1003" in content:
        assert job.errors == [
            "line 5 (SYR1003): event_date '2024-09-31' is not a date like 2024-08-20 or 20 August 2024"
        ]


def test_a_file_that_is_not_csv_is_refused_at_upload(admin, uploads, delay):
    response = upload(admin, name="acled.xlsx", content=b"PK\x03\x04")
    assert response.status_code == 400
    assert "Choose a .csv file" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_broker_that_is_down_fails_the_job_saying_so(admin, uploads, django_capture_on_commit_callbacks):
    with (
        mock.patch("conflictmap.acled.tasks.import_acled_file.delay", side_effect=BrokerError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        upload(admin)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED and "could not reach the task queue" in job.message


def test_the_task_retries_only_transient_errors(admin, small_gazetteer, uploads, delay):
    assert import_acled_file.autoretry_for == TRANSIENT
    upload(admin)
    job = ImportJob.objects.get()
    with (
        mock.patch.object(
            AcledEvent.objects, "import_file", side_effect=OperationalError("database is locked")
        ),
        pytest.raises(OperationalError),
    ):
        job.run()  # raised for Celery to retry; the job stays running and its file stays
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and Path(job.path).exists()
    with mock.patch.object(AcledEvent.objects, "import_file", side_effect=ValueError("a bug")):
        assert job.run() == JobStatus.FAILED  # anything else ends the job
    job.refresh_from_db()
    assert job.message == "ValueError: a bug"


@pytest.fixture
def admin_session(transactional_db, small_gazetteer, make_user, settings, tmp_path) -> str:
    """An admin's session cookie, made before the browser starts (Playwright's loop forbids the ORM)."""
    settings.ACLED_UPLOAD_DIR = tmp_path / "acled-uploads"
    client = Client()
    client.force_login(make_user("admin"))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.browser
def test_an_admin_uploads_in_the_browser_and_the_page_follows_the_job(
    admin_session, browser, live_server, settings
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": admin_session, "url": live_server.url}]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The worker, here: the queued task runs in the server's thread as soon as the job is committed.
    with mock.patch("conflictmap.acled.tasks.import_acled_file.delay", side_effect=import_acled_file):
        page.goto(f"{live_server.url}/admin/acled/acledevent/")
        page.locator("#acled-import-link").click()
        page.set_input_files("input[name=file]", str(SAMPLE))
        page.locator("#acled-upload input[type=submit]").click()
        page.wait_for_selector("#acled-job[data-status=done]")
    assert page.locator("#job-state").inner_text() == "Imported."
    assert page.locator("#job-created").inner_text() == "6"
    assert page.locator("#job-progress").evaluate("p => [p.value, p.max]") == [1, 1]
    assert errors == []
