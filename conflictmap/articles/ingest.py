"""Ingestion shared by every path: clean and check a text, store it once, queue its geocoding."""

from __future__ import annotations

import datetime
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Article
from .queue import enqueue

MAX_BODY_BYTES = 1_000_000
# A day of slack: a feed in a timezone ahead of ours can date an article "tomorrow".
FUTURE_SLACK = datetime.timedelta(days=1)

_HTML_TAG = re.compile(
    r"<\s*/?\s*(?:html|head|body|p|div|br|span|a|b|i|em|strong|script|style|h[1-6]|li|ul|ol|table|tr|td|img|"
    r"article|section|header|footer|meta|link|iframe|font|blockquote)\b[^>]*>",
    re.IGNORECASE,
)
_DROP_BLOCKS = re.compile(r"<(script|style|head|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|/blockquote)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")
# UTF-8 Arabic read as cp1252/latin-1 turns into runs of Ø/Ù followed by another Latin-1 letter.
_MOJIBAKE = re.compile(
    r"[ØÙÚÛ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a]"
)


class Rejected(ValueError):
    """The text cannot be stored; the message says why."""


@dataclass
class CleanText:
    body: str
    lang: str
    warnings: list[str] = field(default_factory=list)


def decode(raw: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM); refuse binary and other encodings."""
    if b"\x00" in raw[:8192]:
        raise Rejected("binary content (NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected(f"not valid UTF-8 text (bad byte at offset {exc.start})") from exc


def fix_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 text that was decoded as cp1252 or latin-1, if that is what it looks like."""
    if len(_MOJIBAKE.findall(text)) < 3:
        return text, False
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8"), True
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text, False


def looks_like_html(text: str) -> bool:
    return len(_HTML_TAG.findall(text)) >= 2


def strip_html(text: str) -> str:
    """Turn pasted HTML into plain text: drop scripts and styles, keep paragraph breaks."""
    text = _COMMENT.sub("", text)
    text = _DROP_BLOCKS.sub("", text)
    text = _BLOCK_BREAK.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    return html.unescape(text)


def tidy(text: str) -> str:
    """Normalise Unicode and whitespace without touching the words."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def detect_lang(text: str) -> str | None:
    """Return "ar" or "en" by the script most letters are in, or None for anything else."""
    arabic = latin = other = 0
    for ch in text[:20000]:
        if not ch.isalpha():
            continue
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff":
            arabic += 1
        elif ch.isascii() or "\u00c0" <= ch <= "\u024f":
            latin += 1
        else:
            other += 1
    total = arabic + latin + other
    if total == 0:
        return None
    if arabic / total >= 0.3:
        return "ar"
    if latin / total >= 0.7:
        return "en"
    return None


def clean_body(body: str | bytes, lang: str | None = None) -> CleanText:
    """Check and clean an article body; raise Rejected with a reason when it cannot be stored."""
    warnings: list[str] = []
    text = decode(body) if isinstance(body, bytes) else body
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
        raise Rejected(f"body is larger than {MAX_BODY_BYTES // 1_000_000} MB")
    if "\x00" in text:
        raise Rejected("binary content (NUL bytes), not text")
    if text.count("\ufffd") > max(2, len(text) // 200):
        raise Rejected("badly encoded text (many U+FFFD replacement characters)")
    text, fixed = fix_mojibake(text)
    if fixed:
        warnings.append("text was mis-decoded (UTF-8 read as Latin-1); repaired")
    if looks_like_html(text):
        text = strip_html(text)
        warnings.append("HTML tags were removed from the body")
    text = tidy(text)
    if not text:
        raise Rejected("body is empty")
    detected = detect_lang(text)
    if detected is None:
        raise Rejected("language not recognised: only Arabic and English articles are supported")
    if lang and lang != detected:
        warnings.append(f"language given as {lang!r} but the text reads as {detected!r}; using {detected!r}")
    return CleanText(body=text, lang=detected, warnings=warnings)


def check_published(published: datetime.date | None) -> None:
    """Refuse publication dates in the future."""
    if published and published > timezone.localdate() + FUTURE_SLACK:
        raise Rejected(f"publication date {published.isoformat()} is in the future")


def content_hash(body: str) -> str:
    """Return the sha256 of the body with case and whitespace folded, so re-pastes match."""
    folded = " ".join(unicodedata.normalize("NFC", body).split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def default_title(body: str) -> str:
    """The first line, cut at a word boundary to headline length."""
    first = body.split("\n", 1)[0].strip()
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


@dataclass
class Outcome:
    article: Article
    created: bool


def store(
    clean: CleanText,
    *,
    title: str = "",
    published: datetime.date | None = None,
    source: str = "",
    url: str = "",
    queue: bool = True,
) -> Outcome:
    """Store a cleaned article unless the same text is already stored; queue it once committed."""
    digest = content_hash(clean.body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return Outcome(existing, False)
    warnings = list(clean.warnings)
    if published is None:
        published = timezone.localdate()
        warnings.append("no publication date given; using the ingestion date")
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=(title.strip() or default_title(clean.body))[:500],
                body=clean.body,
                lang=clean.lang,
                published=published,
                source=source.strip()[:200],
                url=url.strip(),
                content_hash=digest,
                warnings=warnings,
            )
            if queue:
                transaction.on_commit(lambda: enqueue(article.pk))
    except IntegrityError:
        # Another request stored the same text between our check and our insert.
        return Outcome(Article.objects.get(content_hash=digest), False)
    return Outcome(article, True)
