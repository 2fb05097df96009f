"""Cursor paging of the incident list: where a page ended, as an opaque token for the next request."""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass

# Incidents with no date sort as this day: first when oldest come first, last when newest do.
NO_DATE = datetime.date(1, 1, 1)


@dataclass(frozen=True)
class ListCursor:
    """The (day, id) of the last incident a page gave, and the order the pages go in."""

    day: datetime.date
    id: int
    ascending: bool

    def encode(self) -> str:
        raw = f"{self.day.isoformat()}|{self.id}|{'a' if self.ascending else 'd'}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> ListCursor:
        """Read a cursor `encode` wrote; raise ValueError for anything else."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            day, pk, order = raw.split("|")
            if order not in {"a", "d"}:
                raise ValueError(order)
            return cls(datetime.date.fromisoformat(day), int(pk), order == "a")
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise ValueError(text) from exc
