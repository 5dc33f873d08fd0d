"""The collector: the only package that imports PyGithub.

GraphQL (through PyGithub's requester) fetches the pull-request graph and default-branch history;
REST fetches workflow runs and the files of commits pushed straight to the default branch.
"""

from analyzer.collector.client import Budget, ClientOptions, GitHubClient
from analyzer.collector.clock import Clock, SystemClock
from analyzer.collector.run import CollectResult, collect, discover
from analyzer.collector.streams import ProgressEvent, SyncWindow

__all__ = [
    "Budget",
    "ClientOptions",
    "Clock",
    "CollectResult",
    "GitHubClient",
    "ProgressEvent",
    "SyncWindow",
    "SystemClock",
    "collect",
    "discover",
]
