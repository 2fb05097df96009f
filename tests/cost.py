"""Count the operations a call makes, so tests can assert how cost grows instead of how long it takes."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any


def count_operations(fn: Callable[[], Any]) -> int:
    """Return how many Python lines and built-in calls fn() runs in this thread.

    The count depends only on the code and its input, never on the machine or its load: a loop
    over pairs shows up as lines run per pair, a C-level scan as the built-in calls around it.
    """
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        count += 1
        return local

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "c_call":
            count += 1

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        return local

    old_trace, old_profile = sys.gettrace(), sys.getprofile()
    sys.settrace(trace)
    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.settrace(old_trace)
        sys.setprofile(old_profile)
    return count


def growth(
    make_input: Callable[[int], Any], run: Callable[[Any], Any], small: int, factor: int = 10
) -> float:
    """Return cost(factor × small) / cost(small), counted in operations."""
    assert threading.current_thread() is threading.main_thread()
    big_input, small_input = make_input(small * factor), make_input(small)
    run(small_input)  # warm caches and automata, so the first run's set-up is not counted
    return count_operations(lambda: run(big_input)) / count_operations(lambda: run(small_input))
