"""A real Celery worker process against the configured broker and the test database.

The filesystem broker lives in a temporary folder; with CELERY_BROKER_URL=redis://… the tests use that
Redis server on a spare database number so they never meet a developer's queue.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from conflictmap.articles.models import Article, Status
from conflictmap.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
TEXT = (
    "داهمت قوات سوريا الديمقراطية بدعم من التحالف الدولي خلية لتنظيم داعش في حيي النشوة وغويران "
    "بمدينة الحسكة، بعد أن راقبت الخلية المنطقة المحيطة بالسجن."
)
# Run inside the worker's parent before it forks: geocoding then blocks while the flag file exists.
SLOW_WORKER = """
import os, sys, time
import django
django.setup()
from conflictmap.incidents import geocoding
from conflictmap.celery import app
real = geocoding.default_geoparser
class Slow:
    def parse(self, text, **kwargs):
        deadline = time.monotonic() + 60
        while os.path.exists(os.environ["SLOW_FLAG"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        return real().parse(text, **kwargs)
geocoding.default_geoparser = Slow
app.worker_main(sys.argv[1:])
"""


def database_url() -> str:
    """The test database as a DATABASE_URL the worker's settings understand."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("spatialite"):
        assert db["NAME"] and ":memory:" not in db["NAME"] and "mode=memory" not in db["NAME"]
        return f"spatialite:///{db['NAME']}"
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgis://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def reset_producers() -> None:
    """Drop cached broker connections so the next publish uses the current broker settings."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path) -> Iterator[dict[str, str]]:
    """Point this process's Celery app at a private broker; return the worker's environment for it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conflictmap.settings",
        "DATABASE_URL": database_url(),
        "CONFLICTMAP_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    conf = celery_app.conf
    saved = {
        k: conf[k] for k in ("broker_url", "broker_write_url", "broker_read_url", "broker_transport_options")
    }
    reset_producers()
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        folder = tmp_path / "var" / "broker"
        for sub in ("queue", "processed"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        conf.broker_transport_options = {
            **saved["broker_transport_options"],
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
        }
    else:
        parts = urlsplit(settings.CELERY_BROKER_URL)
        url = urlunsplit(parts._replace(path="/14")) if parts.scheme.startswith("redis") else parts.geturl()
        conf.broker_url = conf.broker_write_url = conf.broker_read_url = env["CELERY_BROKER_URL"] = url
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")
    yield env
    reset_producers()
    conf.update(saved)


def start_worker(env: dict[str, str], name: str, log: Path, slow: bool = False) -> subprocess.Popen:
    args = [
        "worker",
        "-n",
        name,
        "-c",
        "1",
        "-P",
        "prefork",
        "-l",
        "info",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    cmd = (
        [sys.executable, "-c", SLOW_WORKER, *args]
        if slow
        else [str(Path(sys.executable).with_name("celery")), "-A", "conflictmap", *args]
    )
    return subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def wait_for(article_id: int, statuses: set[str], log: Path, timeout: float = 40) -> Article:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        article = Article.objects.get(pk=article_id)
        if article.status in statuses:
            return article
        time.sleep(0.2)
    raise AssertionError(
        f"article stayed {article.status}; worker log:\n{log.read_text(errors='replace')[-3000:]}"
    )


def post_article(base_url: str, token: str, payload: dict) -> dict:
    request = urllib.request.Request(
        f"{base_url}/api/articles",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())


def test_article_posted_to_the_api_reaches_done_with_incidents(
    live_server, small_gazetteer, broker, tmp_path, make_user
):
    token = Token.objects.create(user=make_user("coder")).key
    log = tmp_path / "worker.log"
    worker = start_worker(broker, f"roundtrip-{uuid.uuid4().hex[:8]}@%h", log)
    try:
        started = time.monotonic()
        created = post_article(
            live_server.url, token, {"body": TEXT, "published": "2024-08-20", "source": "test"}
        )
        article = wait_for(created["id"], {Status.DONE, Status.FAILED}, log)
        elapsed = time.monotonic() - started
    finally:
        stop(worker)
    assert article.status == Status.DONE, article.error
    incidents = list(article.incidents.order_by("rank"))
    assert incidents, "no incident was made"
    assert incidents[0].admin1_pcode == "SY08"
    assert article.mentions.filter(place__isnull=False).exists()
    print(
        f"\nworker round trip (post → done, incl. worker start-up): {elapsed:.2f} s "
        f"on {settings.CELERY_BROKER_URL.split(':')[0]}"
    )


def test_worker_killed_mid_task_is_recovered_after_restart(small_gazetteer, broker, tmp_path):
    from conflictmap.articles.ingest import clean_body, store

    log = tmp_path / "worker.log"
    flag = tmp_path / "slow"
    flag.touch()
    name = f"killed-{uuid.uuid4().hex[:8]}@%h"
    worker = start_worker({**broker, "SLOW_FLAG": str(flag)}, name, log, slow=True)
    try:
        article = store(clean_body(TEXT), published=None).article
        wait_for(article.pk, {Status.PROCESSING}, log)
        stop(worker, signal.SIGKILL)
        assert Article.objects.get(pk=article.pk).status == Status.PROCESSING
        flag.unlink()
        # The same node name comes back: on start it re-queues what it had claimed before it died.
        worker = start_worker(broker, name, log)
        article = wait_for(article.pk, {Status.DONE, Status.FAILED}, log)
    finally:
        stop(worker)
    assert article.status == Status.DONE, article.error
    assert article.attempts == 2
    assert article.incidents.exists()
