"""One reader for the JSONL lines the command-line tools take: an object with a string `text`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any


class BadLine(ValueError):
    """A JSONL line that cannot be used, with the reason."""


def read_text_line(raw: str) -> dict[str, Any]:
    """Return the line's object with `published` read as a date (or None); raise BadLine with the reason."""
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc.msg})") from exc
    if not isinstance(item, dict):
        raise BadLine("a line must be a JSON object")
    if not isinstance(item.get("text"), str):
        raise BadLine("text must be a string")
    published = item.get("published")
    try:
        item["published"] = dt.date.fromisoformat(str(published)) if published not in (None, "") else None
    except ValueError as exc:
        raise BadLine(f"published {published!r} is not YYYY-MM-DD") from exc
    return item
