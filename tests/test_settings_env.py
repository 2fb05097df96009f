"""Settings come from environment variables; bad values stop start-up with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(tmp_path, **env):
    """Import the settings in a fresh interpreter with the given environment."""
    full = {
        **os.environ,
        "CONFLICTMAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "conflictmap.settings",
    }
    full.pop("DATABASE_URL", None)
    full.pop("CELERY_BROKER_URL", None)
    full.update(env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL, settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True)


def test_defaults_are_embedded(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.gis.db.backends.spatialite", "filesystem://", "False"]
    assert (tmp_path / "secret_key").exists()
    assert (tmp_path / "broker" / "queue").is_dir()


def test_postgis_and_redis_from_env(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL="postgres://u@db/x", CELERY_BROKER_URL="redis://r:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.contrib.gis.db.backends.postgis", "redis://r:6379/0"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://u@h/db"),
        ("DATABASE_URL", "nonsense"),
        ("CELERY_BROKER_URL", "kafka://h"),
        ("BASEMAP_TILE_URL", "ftp://tiles/{z}/{x}/{y}.png"),
        ("CONFLICTMAP_STALE_SECONDS", "ten"),
        ("CONFLICTMAP_STALE_SECONDS", "-5"),
    ],
)
def test_bad_value_raises_improperly_configured_naming_the_variable(tmp_path, name, value):
    result = load_settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.splitlines()[-1]


def test_the_sweep_is_in_the_beat_schedule_every_half_stale_period(tmp_path):
    code = (
        "import django; django.setup(); from conflictmap.celery import app; "
        "entry = app.conf.beat_schedule['sweep-stale-articles']; print(entry['task'], entry['schedule'])"
    )
    env = {
        **os.environ,
        "CONFLICTMAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "conflictmap.settings",
    }
    env["CONFLICTMAP_STALE_SECONDS"] = "120"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["conflictmap.articles.tasks.sweep_stale", "60.0"]
