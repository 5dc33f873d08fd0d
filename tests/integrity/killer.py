"""`analyzer score` in this process, signalling itself at the Nth write event (for test_generations).

Write events are counted only while ``write_scores`` runs: every output file staged (``AtomicFiles.write``),
every rename (``os.replace``) and every PROGRESS_STEPS SQLite instructions on connections opened meanwhile
(a progress handler), so the moments cover staging, the table inserts, the commit and the renames.
Environment: ANALYZER_TEST_EVENTS (file that receives the number of events, for calibration),
ANALYZER_TEST_KILL_AT (the event to signal at; 0: never) and ANALYZER_TEST_SIGNAL (SIGKILL or SIGINT);
or ANALYZER_TEST_PAUSE (a folder): at the first event, create ``paused`` there and wait for ``resume``.
The rest of the command line is passed to `analyzer`.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import analyzer.outputs as outputs
import analyzer.scores.pipeline as score_pipeline
from analyzer.cli import main

PROGRESS_STEPS = 1_000
# Ctrl-C as at a terminal: a test run started in the background (`make test &`, no job control) hands its
# children SIGINT ignored, and the interrupt this harness simulates would never arrive
signal.signal(signal.SIGINT, signal.default_int_handler)
KILL_AT = int(os.environ.get("ANALYZER_TEST_KILL_AT", "0"))
SIGNAL = getattr(signal, os.environ.get("ANALYZER_TEST_SIGNAL", "SIGKILL"))
PAUSE = os.environ.get("ANALYZER_TEST_PAUSE")
state = {"writing": False, "events": 0}


def event() -> int:
    if state["writing"]:
        state["events"] += 1
        if state["events"] == KILL_AT:
            os.kill(os.getpid(), SIGNAL)
        if PAUSE and state["events"] == 1:
            (Path(PAUSE) / "paused").touch()
            while not (Path(PAUSE) / "resume").exists():
                time.sleep(0.05)
    return 0


def patch() -> None:
    connect, replace, stage, write_scores = sqlite3.connect, os.replace, outputs.AtomicFiles.write, score_pipeline.write_scores

    def counted_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        if state["writing"]:
            conn.set_progress_handler(event, PROGRESS_STEPS)
        return conn

    def counted_replace(*args: Any, **kwargs: Any) -> None:
        event()
        replace(*args, **kwargs)

    def counted_stage(self: outputs.AtomicFiles, *args: Any) -> None:
        event()
        stage(self, *args)

    def writing(*args: Any, **kwargs: Any) -> list[Path]:
        state["writing"] = True
        try:
            return write_scores(*args, **kwargs)
        finally:
            state["writing"] = False

    sqlite3.connect = counted_connect  # type: ignore[assignment]
    os.replace = counted_replace
    outputs.AtomicFiles.write = counted_stage  # type: ignore[method-assign]
    score_pipeline.write_scores = writing


if __name__ == "__main__":
    patch()
    code = main(sys.argv[1:])
    Path(os.environ["ANALYZER_TEST_EVENTS"]).write_text(str(state["events"]))
    sys.exit(code)
