"""Waiting out a busy remote server: capped exponential backoff, `Retry-After` in seconds or as
an HTTP date, and a total budget, with one visible line per wait.

The clock, the sleep and the progress line are injected, so tests measure the waits exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

# Statuses that mean "try again later": timeout, rate limit, and the gateway/overload family.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def retry_after_seconds(header: str | None, now: float) -> float | None:
    """Seconds a `Retry-After` header asks for (a number or an HTTP date), or None."""
    if not header:
        return None
    header = header.strip()
    try:
        return max(float(header), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - now, 0.0)


class BudgetSpent(Exception):
    """The next wait would go past the budget; the message says why, for the user."""


@dataclass
class Backoff:
    budget: float  # total seconds of waiting allowed for one request
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], float] = time.time
    progress: Callable[[str], None] | None = None
    first: float = 1.0
    cap: float = 30.0
    waited: float = 0.0
    waits: int = 0
    started: float | None = None  # the clock at the first try: the budget is wall-clock time

    def __post_init__(self) -> None:
        if self.started is None:
            self.started = self.now()

    def spent(self) -> float:
        """Seconds used so far: the waits, or the time since the first try when that is more
        (slow answers count against the budget too)."""
        assert self.started is not None
        return max(self.waited, self.now() - self.started)

    def wait(self, why: str, retry_after: str | None = None) -> None:
        """Sleep before the next try, or raise BudgetSpent."""
        asked = retry_after_seconds(retry_after, self.now())
        delay = min(self.first * 2**self.waits, self.cap) if asked is None else asked
        left = self.budget - self.spent()
        if asked is not None and asked > left:
            raise BudgetSpent(
                f"{why}; the server asks to wait {asked:.0f} s, more than the "
                f"{max(left, 0):.0f} s left of the retry budget ({self.budget:.0f} s)"
            )
        # room for the last try (and the request's own start) inside the budget
        room = left - min(2.0, self.budget / 10)
        if asked is None and delay > room:
            if room < 0.5:
                raise BudgetSpent(
                    f"{why} after {self.waits} retries over {self.spent():.0f} s "
                    f"(the retry budget is {self.budget:.0f} s)"
                )
            delay = room
        if self.progress is not None:
            self.progress(f"waiting {delay:.0f} s: {why}")
        self.sleep(delay)
        self.waited += delay
        self.waits += 1
