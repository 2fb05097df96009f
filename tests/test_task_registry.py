"""Every Django process knows the geocoding task by name, not only Celery workers.

The web server, `ingest --now`, `requeue` and the admin queue articles by the task's name
(conflictmap.articles.queue); Celery's autodiscovery imports tasks modules only in workers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import django
django.setup()
from celery import current_app
from conflictmap.articles.queue import GEOCODE_TASK
print({name!r} in current_app.tasks, GEOCODE_TASK in current_app.tasks)
"""


@pytest.mark.parametrize(
    "name",
    [
        "conflictmap.incidents.tasks.geocode_article",
        "conflictmap.articles.tasks.sweep_stale",
        "conflictmap.acled.tasks.import_acled_file",  # queued by name from the ACLED upload page
    ],
)
def test_a_fresh_django_process_has_the_tasks_registered(tmp_path, name):
    env = {
        **os.environ,
        "CONFLICTMAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "conflictmap.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(name=name)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]
