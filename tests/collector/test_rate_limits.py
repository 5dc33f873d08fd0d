"""Rate limits: wait for the reset (REST and GraphQL), honour Retry-After, stop cleanly past --max-wait."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from analyzer.errors import RateLimitWaitTooLong
from analyzer.fakegithub.model import OrgModel
from analyzer.fakegithub.ratelimit import FakeClock, RateLimits
from tests.collector.helpers import assert_matches, run, served


class RecordingClock(FakeClock):
    def __init__(self) -> None:
        super().__init__()
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)


@pytest.mark.parametrize("status", [403, 429])
def test_rest_exhaustion_waits_until_reset(tiny_org: OrgModel, tmp_path: Path, status: int) -> None:
    clock = RecordingClock()
    store = tmp_path / "s.sqlite"
    started = time.monotonic()
    with served(tiny_org, clock=clock, rate_limit=RateLimits(rest_limit=4, exhausted_status=status)) as server:
        run(server, tiny_org, store, clock=clock)
    assert any(s >= 3000 for s in clock.sleeps), clock.sleeps  # waited (on the fake clock) for the reset
    assert time.monotonic() - started < 60  # ... without really sleeping an hour
    assert_matches(tiny_org, store)


def test_graphql_exhaustion_waits_until_reset(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = RecordingClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock, rate_limit=RateLimits(graphql_limit=40)) as server:
        result = run(server, tiny_org, store, clock=clock)
        limited = [r for r in server.log if r.kind == "graphql" and "RATE_LIMITED" in str(r.body)]
    assert any(s >= 1000 for s in clock.sleeps), clock.sleeps
    assert result.budget.graphql_points > 40  # more than one hour's budget was needed
    assert len(limited) <= 1  # it watched rateLimit.remaining instead of hammering the limit
    assert_matches(tiny_org, store)


@pytest.mark.parametrize("kind", ["403_retry_after", "429_retry_after"])
def test_retry_after_is_honoured(tiny_org: OrgModel, tmp_path: Path, kind: str) -> None:
    clock = RecordingClock()
    with served(tiny_org, clock=clock) as server:
        server.faults.add(kind, count=1, after=2, retry_after=37)  # type: ignore[arg-type]
        run(server, tiny_org, tmp_path / "s.sqlite", clock=clock)
    assert 37.0 in clock.sleeps


def test_max_wait_stops_with_a_resumable_store_and_a_clear_message(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = RecordingClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock, rate_limit=RateLimits(graphql_limit=30)) as server:
        with pytest.raises(RateLimitWaitTooLong) as stopped:
            run(server, tiny_org, store, clock=clock, max_wait=60)
        message = str(stopped.value)
        assert "--max-wait" in message and "resume" in message and "\n" not in message
        conn = sqlite3.connect(store)
        assert conn.execute("SELECT status FROM collection_runs").fetchall() == [("stopped",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        run(server, tiny_org, store, clock=clock)  # default max_wait: waits for the reset and finishes
    assert_matches(tiny_org, store)
