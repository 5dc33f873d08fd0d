"""Time as the collector sees it: injectable so tests can wait for a rate-limit reset without sleeping."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""

    def sleep(self, seconds: float) -> None:
        """Wait (or pretend to wait) ``seconds``."""


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


def iso(epoch: float) -> str:
    """ISO-8601 UTC with a trailing Z, the store's timestamp format."""
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> float:
    """Epoch seconds of an ISO-8601 timestamp ("Z" or offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
