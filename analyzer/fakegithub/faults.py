"""Fault injection for the fake server: queued faults for matching requests, or seeded random ones.

A fault replaces the normal answer to one request; it never touches the model or the rate budgets.
Shapes seen from api.github.com (issue 9): ``graphql_rate_limit`` is GraphQL's HTTP 200 with
``type: RATE_LIMIT`` / ``code: graphql_rate_limit`` (beside ``graphql_rate_limited``'s RATE_LIMITED);
``403_abuse`` the older secondary-limit message, without Retry-After; ``empty_200`` and ``html_200``
an HTTP 200 whose body is empty or an HTML page (GitHub's "unicorn" page).
"""

from __future__ import annotations

import random as _random
import threading
from dataclasses import dataclass
from typing import Literal, get_args

FaultKind = Literal[
    "500",
    "502",
    "503",
    "timeout",
    "403_retry_after",
    "429_retry_after",
    "403_secondary",
    "429_no_retry_after",
    "graphql_rate_limited",
    "graphql_rate_limit",
    "403_abuse",
    "empty_200",
    "html_200",
    "truncated",
    "reset_connection",
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID "
    "0000:1111:2222:3333:44444444."
)

ABUSE_MESSAGE = (
    "You have triggered an abuse detection mechanism. Please wait a few minutes before you try again."
)
# GraphQL's other rate-limit shape (HTTP 200): type RATE_LIMIT, code graphql_rate_limit
GRAPHQL_RATE_LIMIT_MESSAGE = "API rate limit already exceeded for user ID 1234567."
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Unicorn!</title></head>"
    b"<body>No server is currently available to service your request.</body></html>"
)


@dataclass
class QueuedFault:
    kind: FaultKind
    remaining: int  # how many more matching requests get this fault
    match: str | None  # substring of the path, or "graphql"
    skip: int  # matching requests to let through first
    retry_after: int


@dataclass(frozen=True)
class Fault:
    """The fault chosen for one request."""

    kind: FaultKind
    retry_after: int = 1


@dataclass
class RandomFaults:
    rate: float
    rng: _random.Random
    kinds: tuple[FaultKind, ...]
    match: str | None
    retry_after: int


def _matches(match: str | None, path: str, is_graphql: bool) -> bool:
    if match is None:
        return True
    if match == "graphql":
        return is_graphql
    return match in path


class FaultPlan:
    """What goes wrong next. ``timeout_seconds`` is how long a "timeout" fault stalls the response."""

    def __init__(self, timeout_seconds: float = 2.0) -> None:
        self.timeout_seconds = timeout_seconds
        self._queue: list[QueuedFault] = []
        self._random: RandomFaults | None = None
        self._lock = threading.Lock()
        self.injected: list[tuple[str, FaultKind]] = []  # (path, kind) of every fault served

    def add(
        self,
        kind: FaultKind,
        *,
        count: int = 1,
        match: str | None = None,
        after: int = 0,
        retry_after: int = 1,
    ) -> None:
        """Fail the next ``count`` requests matching ``match`` (after letting ``after`` through)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {', '.join(FAULT_KINDS)}")
        with self._lock:
            self._queue.append(QueuedFault(kind, count, match, after, retry_after))

    def random(
        self,
        rate: float,
        seed: int,
        kinds: list[FaultKind] | None = None,
        *,
        match: str | None = None,
        retry_after: int = 1,
    ) -> None:
        """Fail each matching request with probability ``rate``, kind drawn from ``kinds`` (seeded)."""
        chosen = tuple(kinds) if kinds else ("500", "502", "503")
        for kind in chosen:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._random = RandomFaults(rate, _random.Random(seed), chosen, match, retry_after)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._random = None

    @property
    def pending(self) -> int:
        """Queued faults not served yet."""
        with self._lock:
            return sum(q.remaining for q in self._queue)

    def take(self, path: str, is_graphql: bool) -> Fault | None:
        """The fault for this request, if any (consumes it from the queue)."""
        with self._lock:
            fault = self._take_queued(path, is_graphql) or self._take_random(path, is_graphql)
            if fault is not None:
                self.injected.append((path, fault.kind))
            return fault

    def _take_queued(self, path: str, is_graphql: bool) -> Fault | None:
        # Every matching entry still waiting out its ``after`` counts this request; the first ready
        # entry serves it.
        chosen: QueuedFault | None = None
        for queued in self._queue:
            if queued.remaining <= 0 or not _matches(queued.match, path, is_graphql):
                continue
            if queued.skip > 0:
                queued.skip -= 1
            elif chosen is None:
                chosen = queued
        if chosen is None:
            return None
        chosen.remaining -= 1
        return Fault(chosen.kind, chosen.retry_after)

    def _take_random(self, path: str, is_graphql: bool) -> Fault | None:
        plan = self._random
        if plan is None or not _matches(plan.match, path, is_graphql):
            return None
        if plan.rng.random() >= plan.rate:
            return None
        return Fault(plan.rng.choice(plan.kinds), plan.retry_after)
