"""A stateful GitHub-compatible server (REST + GraphQL) over an ``OrgModel``, for tests and the demo."""

from analyzer.fakegithub.faults import FAULT_KINDS, FaultKind, FaultPlan
from analyzer.fakegithub.ratelimit import Clock, FakeClock, RateLimits, SystemClock
from analyzer.fakegithub.server import FakeGitHub, RequestRecord
from analyzer.fakegithub.subprocess_server import RemoteFakeGitHub, serve_in_subprocess

__all__ = [
    "FAULT_KINDS",
    "Clock",
    "FakeClock",
    "FakeGitHub",
    "FaultKind",
    "FaultPlan",
    "RateLimits",
    "RemoteFakeGitHub",
    "RequestRecord",
    "SystemClock",
    "serve_in_subprocess",
]
