"""Collection progress: one bar per repository and stream on a terminal, budgets labelled; one line per
stream elsewhere; nothing with --quiet."""

from __future__ import annotations

import io
import re

from analyzer.cli_progress import CollectProgress
from analyzer.collector import ProgressEvent


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _events() -> list[ProgressEvent]:
    out = []
    for repo in ("acme/api", "acme/web"):
        for page in range(1, 4):
            out.append(ProgressEvent(repo, "pulls", page, 50 * page, page, 4900, 4999, 4900 - 10 * page))
        for page in range(1, 3):
            out.append(ProgressEvent(repo, "workflow_runs", page, 100 * page, 3 + page, 4990, 4990 - page, 4870))
    return out


def test_a_terminal_gets_one_bar_per_repository_and_stream() -> None:
    screen = Terminal()
    progress = CollectProgress(stream=screen)
    progress("generating the demo org")
    for event in _events():
        progress.on_event(event)
    progress("scoring")
    text = screen.getvalue()
    finished = [line.split("\r")[-1] for line in text.split("\n") if "items" in line]
    names = [line.split(":")[0] for line in finished]
    assert names == ["acme/api pull requests", "acme/api CI runs", "acme/web pull requests", "acme/web CI runs"]
    assert all(re.search(r"REST left [\d,]+ / GraphQL left [\d,]+", line) for line in finished)
    assert "150 items" in finished[0] and "3 pages" in finished[0]
    assert text.rstrip().endswith("scoring")


def test_a_log_gets_one_line_per_stream_and_quiet_gets_none() -> None:
    log = io.StringIO()
    progress = CollectProgress(stream=log)
    for event in _events():
        progress.on_event(event)
    progress.close()
    lines = log.getvalue().splitlines()
    assert len(lines) == 4 and "\r" not in log.getvalue()
    assert lines[1] == "  acme/api CI runs: 200 items in 2 pages · REST left 4,988 / GraphQL left 4,870"
    quiet = io.StringIO()
    silent = CollectProgress(quiet=True, stream=quiet)
    for event in _events():
        silent.on_event(event)
    silent("scoring")
    silent.close()
    assert quiet.getvalue() == ""


def test_every_graphql_stream_has_words() -> None:
    from analyzer.cli_progress import STREAM_WORDS
    from analyzer.collector.streams import GRAPHQL_STREAMS

    assert set(GRAPHQL_STREAMS) <= set(STREAM_WORDS)  # a new stream must not show up by its code name
