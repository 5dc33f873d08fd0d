"""Clocks and GitHub-style primary rate-limit budgets for the fake server.

Two separate hourly buckets, as on GitHub: REST counts requests, GraphQL counts points. A bucket's
window opens with its first charge and resets ``window_seconds`` later (``x-ratelimit-reset``). All
time comes from a ``Clock`` so tests (and a collector sharing the same ``FakeClock``) can "sleep"
through a reset without real waiting.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Literal, Protocol

Resource = Literal["core", "graphql"]

PRIMARY_LIMIT_MESSAGE = "API rate limit exceeded for user ID 1."


class Clock(Protocol):
    def now(self) -> float:
        """Epoch seconds."""
        ...


class SystemClock:
    """Real wall-clock time."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


class FakeClock:
    """A clock that only moves when told to; ``sleep`` advances it instantly (thread-safe)."""

    def __init__(self, start: float = 1_735_689_600.0) -> None:  # 2025-01-01T00:00:00Z
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@dataclass(frozen=True)
class RateLimits:
    """Budget configuration; ``exhausted_status`` is the REST status once the core bucket is empty."""

    rest_limit: int = 5000
    graphql_limit: int = 5000
    window_seconds: float = 3600.0
    exhausted_status: Literal[403, 429] = 403


@dataclass(frozen=True)
class BucketState:
    resource: Resource
    limit: int
    remaining: int
    used: int
    reset: int  # epoch seconds


class Bucket:
    """One hourly budget; the window starts at the first charge, like GitHub's."""

    def __init__(self, resource: Resource, limit: int, window: float, clock: Clock) -> None:
        self.resource: Resource = resource
        self.limit = limit
        self._window = window
        self._clock = clock
        self._used = 0
        self._reset_at: float | None = None
        self._lock = threading.Lock()

    def _roll(self) -> float:
        """Start a fresh window if the old one is over; returns the current time."""
        now = self._clock.now()
        if self._reset_at is not None and now >= self._reset_at:
            self._used = 0
            self._reset_at = None
        return now

    def state(self) -> BucketState:
        with self._lock:
            now = self._roll()
            reset = self._reset_at if self._reset_at is not None else now + self._window
            return BucketState(
                self.resource, self.limit, max(0, self.limit - self._used), self._used, math.ceil(reset)
            )

    def try_charge(self, amount: int) -> bool:
        """Charge ``amount`` if the budget allows it; False (and nothing charged) when exhausted."""
        with self._lock:
            now = self._roll()
            if self._used + amount > self.limit:
                return False
            if self._reset_at is None:
                self._reset_at = now + self._window
            self._used += amount
            return True


class RateLimiter:
    """The REST ("core") and GraphQL buckets of one token."""

    def __init__(self, limits: RateLimits, clock: Clock) -> None:
        self.limits = limits
        self.core = Bucket("core", limits.rest_limit, limits.window_seconds, clock)
        self.graphql = Bucket("graphql", limits.graphql_limit, limits.window_seconds, clock)

    def bucket(self, resource: Resource) -> Bucket:
        return self.core if resource == "core" else self.graphql


def rate_headers(state: BucketState) -> dict[str, str]:
    """The ``x-ratelimit-*`` headers GitHub sends on every response."""
    return {
        "x-ratelimit-limit": str(state.limit),
        "x-ratelimit-remaining": str(state.remaining),
        "x-ratelimit-used": str(state.used),
        "x-ratelimit-reset": str(state.reset),
        "x-ratelimit-resource": state.resource,
    }
