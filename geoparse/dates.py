"""Find dates in normalised text: absolute Arabic and English dates and relative expressions.

Both Arabic month systems are known (آب/أغسطس، تشرين الأول/أكتوبر). Relative expressions
(اليوم، أمس، مطلع الشهر الجاري; "yesterday", "on Sunday", "early this month") are taken
against the publication date. A date is the first day of its period, with a precision of
day, week, month or year, and is never after the publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .types import DAY, MONTH, WEEK, YEAR

_AR_MONTHS = {
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "اب": 8,
    "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "افريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}  # fmt: skip
_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_AR_WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_EN_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_MONTH_WORDS = {**_AR_MONTHS, **_EN_MONTHS}


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


_CL = r"(?:و|ب|ف|وب|في\s+)?"  # clitics glued to the first word
_AR_MOD = r"(?P<mod>مطلع|اوائل|بدايه|مستهل|اول|منتصف|اواسط|اواخر|نهايه|اخر)"
_EN_MOD = (
    r"(?P<mod2>early|mid|late|the end of|the beginning of|the start of|the middle of"
    r"|end of|beginning of|start of)"
)
_MONTH = rf"(?P<m1>{_alt(_MONTH_WORDS)})(?:\s+(?P<m2>{_alt(_MONTH_WORDS)}))?"
_ABSOLUTE = re.compile(
    rf"(?<!\S){_CL}(?:{_AR_MOD}\s+(?:شهر\s+)?|{_EN_MOD}[\s-]+)?"
    r"(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:من\s+)?(?:شهر\s+)?)?"
    rf"(?:شهر\s+)?{_MONTH}"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?(?!\d))?"
    r"(?:\s+(?:عام\s+|سنه\s+)?(?P<year>(?:19|20)\d\d)(?!\d))?"
    r"(?:\s+(?P<rel>الماضي|الجاري|الحالي|المنصرم|المقبل|القادم))?(?!\S)"
)
_NUMERIC = re.compile(
    r"(?<!\S)(?:(?P<d>\d{1,2})\s+(?P<m>\d{1,2})\s+(?P<y>(?:19|20)\d\d)|(?P<y2>(?:19"
    r"|20)\d\d)\s+(?P<m2>\d{1,2})\s+(?P<d2>\d{1,2}))(?!\S)"
)


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date found in normalised text: position, first day of the period, and its precision."""

    start: int  # offsets in the normalised text
    end: int
    date: dt.date
    precision: str


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _last_weekday(pub: dt.date, weekday: int, strictly_before: bool) -> dt.date:
    back = (pub.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return pub - dt.timedelta(days=back)


_Rel = Callable[[dt.date, "re.Match[str]"], tuple[dt.date, str]]
_RELATIVE: list[tuple[re.Pattern[str], _Rel]] = [
    (
        re.compile(r"(?<!\S)(?:و|ب)?(?:(?:فجر|صباح|ظهر|عصر|مساء|ليله)\s+)?(?:امس\s+الاول|اول\s+امس)(?!\S)"),
        lambda p, m: (p - dt.timedelta(days=2), DAY),
    ),
    (
        re.compile(
            r"(?<!\S)(?:و|ب)?(?:(?:فجر|صباح|ظهر|عصر|مساء|ليله)\s+)?(?:امس|البارحه)(?!\S)"
            r"|(?<!\S)(?:yesterday|last night)(?!\S)"
        ),
        lambda p, m: (p - dt.timedelta(days=1), DAY),
    ),
    (
        re.compile(
            r"(?<!\S)(?:و|ب)?(?:(?:فجر|صباح|ظهر|عصر|مساء|ليله)\s+)?اليوم(?!\S)"
            r"|(?<!\S)(?:today|this morning|tonight|earlier today|this evening)(?!\S)"
        ),
        lambda p, m: (p, DAY),
    ),
    (
        re.compile(
            r"(?<!\S)(?:خلال\s+)?(?:ال)?اسبوع\s+(?:الماضي|المنصرم|الفائت)(?!\S)|(?<!\S)last week(?!\S)"
        ),
        lambda p, m: (_week_start(p) - dt.timedelta(days=7), WEEK),
    ),
    (
        re.compile(
            r"(?<!\S)(?:ال)?اسبوع\s+(?:الجاري|الحالي)(?!\S)|(?<!\S)هذا\s+الاسبوع(?!\S)"
            r"|(?<!\S)(?:earlier\s+)?this week(?!\S)"
        ),
        lambda p, m: (_week_start(p), WEEK),
    ),
    (
        re.compile(
            r"(?<!\S)(?:(?:مطلع|اوائل|بدايه|مستهل|منتصف|اواخر|خلال)\s+)?الشهر\s+(?:الماضي|المنصرم"
            r"|الفائت)(?!\S)|(?<!\S)(?:early\s+|late\s+)?last month(?!\S)"
        ),
        lambda p, m: (_shift_month(p, -1), MONTH),
    ),
    (
        re.compile(
            r"(?<!\S)(?:(?:مطلع|اوائل|بدايه|مستهل|منتصف|خلال)\s+)?(?:الشهر|هذا\s+الشهر)\s*(?:الجاري"
            r"|الحالي)?(?!\S)|(?<!\S)(?:early\s+|earlier\s+|late\s+|mid-?)?this month(?!\S)"
        ),
        lambda p, m: (_month_start(p.year, p.month), MONTH),
    ),
    (
        re.compile(r"(?<!\S)(?:العام|السنه)\s+(?:الماضي|الماضيه|المنصرم)(?!\S)|(?<!\S)last year(?!\S)"),
        lambda p, m: (dt.date(p.year - 1, 1, 1), YEAR),
    ),
    (
        re.compile(
            rf"(?<!\S)(?:و|ب)?(?:يوم\s+)?(?P<wd>{_alt(_AR_WEEKDAYS)})(?:\s+(?P<past>الماضي|المنصرم|الفائت))?(?!\S)"
        ),
        lambda p, m: (_last_weekday(p, _AR_WEEKDAYS[m.group("wd")], bool(m.group("past"))), DAY),
    ),
    (
        # "on Sunday", "last Sunday", and "from/of/since/after Sunday's attack" (the possessive is
        # dropped by the tokenizer).
        re.compile(
            rf"(?<!\S)(?:on\s+|last\s+|from\s+|of\s+|since\s+|after\s+)(?P<wd>{_alt(_EN_WEEKDAYS)})(?!\S)"
        ),
        lambda p, m: (_last_weekday(p, _EN_WEEKDAYS[m.group("wd")], m.group(0).startswith("last")), DAY),
    ),
]


def _month_number(m: re.Match[str]) -> int | None:
    """Return the month of a match; a bare month word needs support (day, year, pair, modifier)."""
    m1, m2 = m.group("m1"), m.group("m2")
    month = _MONTH_WORDS[m1]
    if m2 is not None and _MONTH_WORDS[m2] != month:
        return None
    supported = any(
        m.group(g) for g in ("mod", "mod2", "day", "day2", "year", "rel", "m2")
    ) or "شهر" in m.group(0)
    # Arabic month names and "may", "march", "aug" … are also words: alone they are not dates.
    if not supported and (m1 in _AR_MONTHS or len(m1) <= 3 or m1 in ("may", "march")):
        return None
    return month


def _absolute(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date, str] | None:
    month = _month_number(m)
    if month is None:
        return None
    day_text = m.group("day") or m.group("day2")
    year_text = m.group("year")
    year = int(year_text) if year_text else (pub.year if pub else None)
    if year is None:
        return None
    rel = m.group("rel")
    if not year_text and pub is not None and rel not in ("الجاري", "الحالي"):
        past = rel in ("الماضي", "المنصرم")
        if month > pub.month or (past and month >= pub.month):
            year -= 1
    if day_text:
        day = int(day_text)
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        value = dt.date(year, month, day)
        if (
            not year_text
            and pub is not None
            and value > pub
            and day <= calendar.monthrange(year - 1, month)[1]
        ):
            value = dt.date(year - 1, month, day)
        return value, DAY
    return dt.date(year, month, 1), MONTH


def _numeric(m: re.Match[str]) -> tuple[dt.date, str] | None:
    d, mo, y = (
        (m.group("d"), m.group("m"), m.group("y"))
        if m.group("d")
        else (m.group("d2"), m.group("m2"), m.group("y2"))
    )
    try:
        return dt.date(int(y), int(mo), int(d)), DAY
    except ValueError:
        return None


def find_dates(norm: str, pub: dt.date | None) -> list[DateExpr]:
    """Return the dates in a normalised text, in order, none after the publication date."""
    found: list[DateExpr] = []
    for m in _ABSOLUTE.finditer(norm):
        value = _absolute(m, pub)
        if value is not None:
            found.append(DateExpr(m.start(), m.end(), *value))
    for m in _NUMERIC.finditer(norm):
        value = _numeric(m)
        if value is not None:
            found.append(DateExpr(m.start(), m.end(), *value))
    if pub is not None:
        for pattern, rule in _RELATIVE:
            for m in pattern.finditer(norm):
                found.append(DateExpr(m.start(), m.end(), *rule(pub, m)))
    found = [d for d in found if pub is None or d.date <= pub]
    return _drop_overlaps(found)


def _drop_overlaps(found: list[DateExpr]) -> list[DateExpr]:
    """Keep the leftmost-longest of overlapping expressions."""
    kept: list[DateExpr] = []
    for expr in sorted(found, key=lambda d: (d.start, -(d.end - d.start))):
        if not kept or expr.start >= kept[-1].end:
            kept.append(expr)
        elif expr.end - expr.start > kept[-1].end - kept[-1].start and expr.start == kept[-1].start:
            kept[-1] = expr
    return kept
