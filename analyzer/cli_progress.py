"""Collection progress for the command line: one bar per repository and stream, budgets labelled.

On a terminal each (repository, stream) gets its own tqdm bar that counts items and shows "REST left /
GraphQL left"; elsewhere (a log file, CI) a stream prints one line when it is done instead of a line
per page. Only the CLI uses this module (the CLI is the only part of analyzer that prints).
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI starts without importing the collector (PyGithub) or tqdm
    from analyzer.collector import ProgressEvent

STREAM_WORDS = {
    "pulls": "pull requests",
    "commits": "commits",
    "workflow_runs": "CI runs",
    "commit_files": "commit files",
    "ready_for_review": "ready-for-review moments of stored PRs",
}


def _count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def pages(n: int) -> str:
    return f"{n:,} page{'' if n == 1 else 's'}"


def budgets(event: ProgressEvent) -> str:
    return f"REST left {_count(event.rest_left)} / GraphQL left {_count(event.graphql_left)}"


class CollectProgress:
    """Called with text lines (stage messages) and, through ``on_event``, with collector progress."""

    def __init__(self, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.quiet = quiet
        self.out = stream or sys.stderr
        self.live = bool(getattr(self.out, "isatty", lambda: False)())
        self.bars: dict[tuple[str, str], Any] = {}
        self.last: dict[tuple[str, str], ProgressEvent] = {}
        self.current: tuple[str, str] | None = None

    def __call__(self, line: str) -> None:
        if self.quiet:
            return
        self._finish_current()
        print(line, file=self.out, flush=True)

    def on_event(self, event: ProgressEvent) -> None:
        if self.quiet:
            return
        key = (event.repo, event.stream)
        if key != self.current:
            self._finish_current()
            self.current = key
        self.last[key] = event
        if self.live:
            bar = self.bars.get(key)
            if bar is None:
                from tqdm import tqdm

                bar = tqdm(
                    desc=f"{event.repo} {STREAM_WORDS.get(event.stream, event.stream)}",
                    unit=" items",
                    bar_format="{desc}: {n_fmt} items [{elapsed}{postfix}]",
                    file=self.out,
                    leave=True,
                    dynamic_ncols=True,
                )
                self.bars[key] = bar
            bar.n = event.items
            bar.set_postfix_str(f"{pages(event.pages)} · {budgets(event)}", refresh=True)

    def _finish_current(self) -> None:
        key, self.current = self.current, None
        if key is None:
            return
        bar = self.bars.pop(key, None)
        if bar is not None:
            bar.close()
            return
        event = self.last[key]
        print(
            f"  {event.repo} {STREAM_WORDS.get(event.stream, event.stream)}: {event.items:,} items in "
            f"{pages(event.pages)} · {budgets(event)}",
            file=self.out,
            flush=True,
        )

    def close(self) -> None:
        self._finish_current()
