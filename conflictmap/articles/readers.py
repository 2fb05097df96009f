"""Read article records from JSONL, CSV and plain-text files, one bad record never stopping the rest."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Field names accepted in files, mapped to the form's names.
ALIASES = {"text": "body", "content": "body", "date": "published", "link": "url", "headline": "title"}
FIELDS = ("title", "body", "published", "source", "url", "lang")


@dataclass
class Record:
    where: str  # "file:line"
    data: dict[str, str] = field(default_factory=dict)
    error: str = ""


def canonical(raw: dict) -> dict[str, str]:
    """Map accepted field names onto the form's, keeping strings only."""
    out: dict[str, str] = {}
    for key, value in raw.items():
        name = ALIASES.get(str(key).strip().lower(), str(key).strip().lower())
        if name in FIELDS and value is not None and name not in out:
            out[name] = value if isinstance(value, str) else str(value)
    return out


def has_bad_bytes(text: str) -> bool:
    """Tell whether undecodable bytes survived as surrogate escapes."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def read_jsonl(path: Path) -> Iterator[Record]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            where = f"{path.name}:{number}"
            if not raw.strip():
                continue
            try:
                item = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield Record(where, error="not valid UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield Record(where, error=f"not valid JSON ({exc.msg})")
                continue
            if not isinstance(item, dict):
                yield Record(where, error="a line must be a JSON object")
                continue
            yield Record(where, canonical(item))


def read_csv(path: Path) -> Iterator[Record]:
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {ALIASES.get(c.strip().lower(), c.strip().lower()) for c in reader.fieldnames or []}
    if "body" not in columns:
        yield Record(f"{path.name}:1", error="CSV header has no body (or text) column")
        return
    line = 1
    for row in reader:
        where = f"{path.name}:{line + 1}"
        line = reader.line_num
        if None in row:
            yield Record(where, error="more fields than the header has")
            continue
        data = canonical(row)
        if any(has_bad_bytes(v) for v in data.values()):
            yield Record(where, error="not valid UTF-8")
            continue
        yield Record(where, data)


def read_text(path: Path) -> Iterator[Record]:
    """A plain-text file is one article, or several separated by lines of just `---`."""
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        yield Record(f"{path.name}:1", error="binary content (NUL bytes), not text")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Record(f"{path.name}:1", error=f"not valid UTF-8 text (bad byte at offset {exc.start})")
        return
    start, block = 1, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "---":
            yield Record(f"{path.name}:{start}", {"body": "\n".join(block)})
            start, block = number + 1, []
        else:
            block.append(line)
    if any(line.strip() for line in block) or start == 1:
        yield Record(f"{path.name}:{start}", {"body": "\n".join(block)})


def read_records(path: Path) -> Iterator[Record]:
    """Yield the records of a file, choosing the reader by extension."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return read_jsonl(path)
    if suffix in {".csv", ".tsv"}:
        return read_csv(path)
    return read_text(path)


# RSS 2.0, RSS 1.0 (RDF), Atom and the common extension namespaces.
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rss1": "http://purl.org/rss/1.0/",
}
MAX_FEED_BYTES = 20_000_000


def feed_date(value: str | None) -> str:
    """Return YYYY-MM-DD from an RFC 822 (RSS) or ISO 8601 (Atom) date, or "" if unreadable."""
    import datetime
    from email.utils import parsedate_to_datetime

    value = (value or "").strip()
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


def _text(node, *paths: str) -> str:
    for path in paths:
        found = node.find(path, NS)
        if found is not None and (found.text or "").strip():
            return found.text.strip()
    return ""


def _atom_link(entry) -> str:
    for link in entry.findall("atom:link", NS):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return ""


def read_feed(data: bytes, name: str) -> Iterator[Record]:
    """Yield one record per RSS item or Atom entry; the body is the full content, else the summary."""
    import xml.etree.ElementTree as ET

    # ElementTree never fetches external entities; refusing DTDs also rules out entity-expansion bombs.
    if len(data) > MAX_FEED_BYTES:
        yield Record(f"{name}:1", error=f"feed larger than {MAX_FEED_BYTES // 1_000_000} MB")
        return
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        yield Record(f"{name}:1", error="feeds with a DOCTYPE or entity declarations are refused")
        return
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        yield Record(f"{name}:{exc.position[0]}", error=f"not well-formed XML ({exc})")
        return
    if root.tag == f"{{{NS['atom']}}}feed":
        source = _text(root, "atom:title")
        for number, entry in enumerate(root.findall("atom:entry", NS), start=1):
            yield Record(
                f"{name}:entry {number}",
                {
                    "title": _text(entry, "atom:title"),
                    "body": _text(entry, "atom:content", "atom:summary"),
                    "published": feed_date(_text(entry, "atom:published", "atom:updated")),
                    "url": _atom_link(entry),
                    "source": source,
                },
            )
        return
    channel = root.find("channel")
    source = _text(channel, "title") if channel is not None else _text(root, "rss1:channel/rss1:title")
    items = root.findall("channel/item") or root.findall("rss1:item", NS)
    if root.tag != "rss" and not root.tag.endswith("RDF") and not items:
        yield Record(f"{name}:1", error=f"not an RSS or Atom feed (root element {root.tag})")
        return
    for number, item in enumerate(items, start=1):
        yield Record(
            f"{name}:item {number}",
            {
                "title": _text(item, "title", "rss1:title"),
                "body": _text(item, "content:encoded", "description", "rss1:description"),
                "published": feed_date(_text(item, "pubDate", "dc:date")),
                "url": _text(item, "link", "rss1:link"),
                "source": source,
            },
        )
