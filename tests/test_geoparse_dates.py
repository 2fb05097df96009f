"""Dates: absolute Arabic and English dates, both Arabic month systems, relative expressions."""

from __future__ import annotations

import datetime as dt

import pytest

from geoparse.dates import find_dates
from geoparse.normalize import normalize

PUB = dt.date(2023, 8, 20)  # a Sunday


def first_date(text, pub=PUB):
    found = find_dates(normalize(text), pub)
    return (found[0].date.isoformat(), found[0].precision) if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic absolute, Levantine and Egyptian month names, alone or paired.
        ("وقع الهجوم في 15 تشرين الأول 2022", ("2022-10-15", "day")),
        ("وقع الهجوم في 15 أكتوبر/تشرين الأول 2022", ("2022-10-15", "day")),
        ("مطلع آب/أغسطس الجاري", ("2023-08-01", "month")),
        ("في أواخر تموز الماضي", ("2023-07-01", "month")),
        ("في شهر آب الماضي", ("2022-08-01", "month")),
        ("يوم 3 شباط", ("2023-02-03", "day")),
        ("بتاريخ ٢٩ ١٢ ٢٠١٥", ("2015-12-29", "day")),
        ("في كانون الثاني 2021", ("2021-01-01", "month")),
        # Arabic relative.
        ("وقع الانفجار اليوم", ("2023-08-20", "day")),
        ("وقع الانفجار فجر اليوم", ("2023-08-20", "day")),
        ("وقع الانفجار أمس", ("2023-08-19", "day")),
        ("وقع الانفجار مساء أمس", ("2023-08-19", "day")),
        ("وقع الانفجار أمس الأول", ("2023-08-18", "day")),
        ("خلال الأسبوع الماضي", ("2023-08-07", "week")),
        ("مطلع الشهر الجاري", ("2023-08-01", "month")),
        ("منتصف الشهر الماضي", ("2023-07-01", "month")),
        ("العام الماضي", ("2022-01-01", "year")),
        ("يوم الجمعة", ("2023-08-18", "day")),
        ("يوم الأحد الماضي", ("2023-08-13", "day")),
        # English absolute.
        ("on 3 August 2023", ("2023-08-03", "day")),
        ("on August 3, 2023", ("2023-08-03", "day")),
        ("on Aug. 3", ("2023-08-03", "day")),
        ("in early August", ("2023-08-01", "month")),
        ("in September 2021", ("2021-09-01", "month")),
        ("2015-12-29", ("2015-12-29", "day")),
        # English relative.
        ("yesterday", ("2023-08-19", "day")),
        ("last night", ("2023-08-19", "day")),
        ("on Sunday", ("2023-08-20", "day")),
        ("on Friday", ("2023-08-18", "day")),
        ("early this month", ("2023-08-01", "month")),
        ("last month", ("2023-07-01", "month")),
        ("last week", ("2023-08-07", "week")),
        ("last year", ("2022-01-01", "year")),
    ],
)
def test_dates_are_found_with_their_precision(text, expected):
    assert first_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("في أيلول", None),  # a bare month name needs support
        ("in September", ("2022-09-01", "month")),  # without a year: the last September before publication
        ("يوم 25 آب", ("2022-08-25", "day")),  # after publication in this year: last year's
    ],
)
def test_a_date_is_never_after_publication(text, expected):
    assert first_date(text) == expected


def test_an_explicit_future_date_is_dropped():
    assert first_date("on 1 September 2023") is None


@pytest.mark.parametrize("text", ["may be true", "زار الأب ابنه", "في الأسبوع"])
def test_words_that_look_like_dates_are_not_dates(text):
    assert first_date(text) is None


def test_relative_dates_need_a_publication_date():
    assert first_date("yesterday", pub=None) is None
    assert first_date("3 August 2023", pub=None) == ("2023-08-03", "day")
