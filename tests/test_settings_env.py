"""Settings come from environment variables; bad values stop start-up with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


SHOWN = "settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL, settings.DEBUG"
EVENT_SETTINGS = (
    "settings.EVENT_LINK_MIN_SCORE, settings.EVENT_LINK_MARGIN, settings.EVENT_LINK_NEAR_KM, "
    "settings.EVENT_LINK_DAY_SLACK, settings.EVENT_FATALITIES"
)


def load_settings(tmp_path, shown=SHOWN, **env):
    """Import the settings in a fresh interpreter with the given environment; print the `shown` ones."""
    full = {
        **os.environ,
        "CONFLICTMAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "conflictmap.settings",
    }
    full.pop("DATABASE_URL", None)
    full.pop("CELERY_BROKER_URL", None)
    full.update(env)
    code = f"import django; django.setup(); from django.conf import settings; print({shown})"
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
        ("CONFLICTMAP_EVENT_LINK_MIN_SCORE", "1.5"),
        ("CONFLICTMAP_EVENT_LINK_MIN_SCORE", "high"),
        ("CONFLICTMAP_EVENT_LINK_MARGIN", "-0.1"),
        ("CONFLICTMAP_EVENT_LINK_MARGIN", "nan"),
        ("CONFLICTMAP_EVENT_LINK_NEAR_KM", "500"),
        ("CONFLICTMAP_EVENT_LINK_NEAR_KM", "5km"),
        ("CONFLICTMAP_EVENT_LINK_DAY_SLACK", "31"),
        ("CONFLICTMAP_EVENT_LINK_DAY_SLACK", "-1"),
        ("CONFLICTMAP_EVENT_LINK_DAY_SLACK", "1.5"),
        ("CONFLICTMAP_EVENT_FATALITIES", "median"),
    ],
)
def test_bad_value_raises_improperly_configured_naming_the_variable(tmp_path, name, value):
    result = load_settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "0.7 0.05 5.0 0 lowest"),
        (
            {
                "CONFLICTMAP_EVENT_LINK_MIN_SCORE": "0.8",
                "CONFLICTMAP_EVENT_LINK_MARGIN": "0",
                "CONFLICTMAP_EVENT_LINK_NEAR_KM": "2.5",
                "CONFLICTMAP_EVENT_LINK_DAY_SLACK": "2",
                "CONFLICTMAP_EVENT_FATALITIES": "Highest",
            },
            "0.8 0.0 2.5 2 highest",
        ),
    ],
)
def test_event_linking_settings_from_env(tmp_path, env, expected):
    result = load_settings(tmp_path, EVENT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


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
