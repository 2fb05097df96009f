"""A per-process value built from the database and rebuilt when the rows behind it change."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Fresh(Generic[T]):
    """Hold one value; ask the database for its fingerprint at most every `recheck` seconds."""

    def __init__(self, build: Callable[[], T], fingerprint: Callable[[], Hashable], recheck: float = 5.0):
        self.build = build
        self.fingerprint = fingerprint
        self.recheck = recheck
        self._lock = threading.Lock()
        self._value: T | None = None
        self._token: Hashable = None
        self._checked = 0.0

    def get(self) -> T:
        """Return the value, rebuilding it when its fingerprint has changed."""
        with self._lock:
            now = time.monotonic()
            if self._value is not None and now - self._checked < self.recheck:
                return self._value
            token = self.fingerprint()
            if self._value is None or token != self._token:
                self._value = self.build()
            self._token, self._checked = token, now
            return self._value

    def invalidate(self) -> None:
        """Drop the value so the next get() rebuilds it."""
        with self._lock:
            self._value, self._token, self._checked = None, None, 0.0
