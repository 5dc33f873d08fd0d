"""A stateful GitHub-compatible server (REST + GraphQL) over an ``OrgModel``, for tests and the demo."""

from analyzer.fakegithub.faults import FAULT_KINDS, FaultKind, FaultPlan
from analyzer.fakegithub.ratelimit import Clock, FakeClock, RateLimits, SystemClock
from analyzer.fakegithub.server import FakeGitHub, RequestRecord

__all__ = [
    "FAULT_KINDS",
    "Clock",
    "FakeClock",
    "FakeGitHub",
    "FaultKind",
    "FaultPlan",
    "RateLimits",
    "RequestRecord",
    "SystemClock",
]
