"""Shared fixtures: a tiny hand-made gazetteer and the real shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        default="",
        help="folder for the screenshots browser tests take (docs/screenshots to refresh the committed ones)",
    )


@pytest.fixture
def screenshots(request, tmp_path) -> Path:
    """The folder browser tests save their screenshots in: --screenshots, else a temporary one."""
    folder = request.config.getoption("--screenshots")
    return Path(folder) if folder else tmp_path


def pytest_collection_modifyitems(config, items):
    """Order tests: hand-made data first, then the real gazetteer, then live-server tests.

    The real gazetteer is loaded once, outside test transactions, and stays; tests on the
    small hand-made gazetteer must run before it. Browser, worker and migration tests flush
    the database, so they run last.
    """

    def rank(item):
        live = any(item.get_closest_marker(name) for name in ("browser", "worker", "migrations"))
        return (live is not None, "real_gazetteer" in getattr(item, "fixturenames", ()))

    items.sort(key=rank)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Worker tests start another process on the test database: put SpatiaLite's in a file, not memory."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    wanted = any(item.get_closest_marker("worker") for item in request.session.items)
    if wanted and db["ENGINE"].endswith("spatialite"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("testdb") / "test.sqlite3")


@pytest.fixture(autouse=True)
def fresh_gazetteer_index(monkeypatch):
    """Check the index's token on every use: rolled-back test transactions fire no signals."""
    from gazetteer import index

    monkeypatch.setattr(index._index, "recheck", 0.0)


@pytest.fixture(autouse=True)
def fresh_rules_token(monkeypatch):
    """Check the rules' token on every use too: a not-a-place word must not outlive its test."""
    from conflictmap.rules import provider

    monkeypatch.setattr(provider._rules, "recheck", 0.0)


def _box(lon0: float, lat0: float, lon1: float, lat1: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((lon0, lat0, lon1, lat1)), srid=4326)


def _make_place(
    uid, kind, en, ar, lat, lon, a1="", a2="", a3="", area=None, parent=None, importance=0.5, aliases=()
):
    """Create a test place with its English, Arabic and alias names (official ones)."""
    from gazetteer.models import NameOrigin, Place, PlaceName

    place = Place.objects.create(
        uid=uid,
        kind=kind,
        name_en=en,
        name_ar=ar,
        pcode=uid.split(":")[1],
        point=Point(lon, lat),
        admin1_pcode=a1,
        admin2_pcode=a2,
        admin3_pcode=a3,
        area=area,
        parent=parent,
        importance=importance,
        source="test",
    )
    for name, lang in ((en, "en"), (ar, "ar"), *aliases):
        PlaceName.objects.create(place=place, name=name, lang=lang, origin=NameOrigin.OFFICIAL)
    return place


@pytest.fixture
def browser():
    """Debian's Chromium, headless (tests/map_browser.py); start it after making the test's rows."""
    from map_browser import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def make_place(db):
    """Return the function that makes one more hand-made place (as small_gazetteer's)."""
    return _make_place


@pytest.fixture
def small_gazetteer(db):
    """A few places around al-Hasakah and Raqqa, made by hand (approximate boxes)."""
    from gazetteer.models import Place

    make = _make_place
    gov = make(
        "t:SY08",
        "governorate",
        "Al-Hasakeh",
        "الحسكة",
        36.6,
        40.8,
        "SY08",
        area=_box(39.5, 35.5, 42.4, 37.4),
        importance=0.6,
    )
    dist = make(
        "t:SY0800",
        "district",
        "Al-Hasakeh",
        "الحسكة",
        36.5,
        40.7,
        "SY08",
        "SY0800",
        area=_box(40.0, 36.0, 41.5, 37.0),
        parent=gov,
        importance=0.5,
    )
    sub = make(
        "t:SY080000",
        "subdistrict",
        "Al-Hasakeh",
        "مركز الحسكة",
        36.5,
        40.75,
        "SY08",
        "SY0800",
        "SY080000",
        area=_box(40.5, 36.3, 41.0, 36.7),
        parent=dist,
        importance=0.4,
    )
    city = make(
        "t:C4360",
        "community",
        "Al-Hasakeh",
        "الحسكة",
        36.505375,
        40.742899,
        "SY08",
        "SY0800",
        "SY080000",
        parent=sub,
        importance=0.9,
        aliases=(("Hasakah", "en"), ("Hassakeh", "en")),
    )
    make(
        "t:CUR1",
        "neighbourhood",
        "Ghuwayran",
        "غويران",
        36.475,
        40.760,
        "SY08",
        "SY0800",
        "SY080000",
        parent=city,
        importance=0.3,
        aliases=(("Ghweiran", "en"),),
    )
    make(
        "t:CUR2",
        "neighbourhood",
        "Al-Nashwa",
        "النشوة",
        36.4804,
        40.6899,
        "SY08",
        "SY0800",
        "SY080000",
        parent=city,
        importance=0.3,
    )
    raqqa_gov = make(
        "t:SY11",
        "governorate",
        "Ar-Raqqa",
        "الرقة",
        35.9,
        38.9,
        "SY11",
        area=_box(38.0, 35.0, 40.0, 36.7),
        importance=0.6,
    )
    make(
        "t:C5710",
        "community",
        "Ar-Raqqa",
        "الرقة",
        35.953075,
        39.006062,
        "SY11",
        "SY1101",
        "SY110100",
        parent=raqqa_gov,
        importance=0.9,
        aliases=(("Raqqa", "en"),),
    )
    return Place.objects.all()


@pytest.fixture(scope="session")
def real_gazetteer(django_db_setup, django_db_blocker):
    """Load the shipped gazetteer artefact once per test session."""
    from gazetteer.load import load_gazetteer

    with django_db_blocker.unblock():
        return load_gazetteer()


@pytest.fixture
def make_user(db, django_user_model):
    """Return a function making an account with one role (viewer, coder, reviewer or admin).

    Without a password the account cannot log in through the form (use force_login), and no slow hash is made.
    """
    from conflictmap.accounts.roles import assign_role

    def make(role: str, username: str = "", password: str | None = None):
        user = django_user_model.objects.create_user(username or role, password=password)
        assign_role(user, role)
        return user

    return make


@pytest.fixture
def coder_client(client, make_user):
    """A test client logged in as a coder (force_login: axes refuses client.login() without a request)."""
    client.force_login(make_user("coder"))
    return client


@pytest.fixture
def coder_api(make_user):
    """A test client sending a coder's API token with every request."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=make_user("coder", "api-coder"))
    return Client(headers={"Authorization": f"Token {token.key}"})
