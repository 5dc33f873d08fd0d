"""Running the real CLI (``python -m analyzer``) in a subprocess and checking its one-line errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pyarrow.parquet as pq

from analyzer.scores.pipeline import GENERATION_KEY, SCORE_SCHEMAS
from analyzer.store.generations import META, stamps

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-01"
KILLER = Path(__file__).with_name("killer.py")


def hooked(folder: Path, *args: str, **hooks: str) -> tuple[list[str], dict[str, str]]:
    """Command and environment for `analyzer ARGS` run through killer.py in ``folder`` with ``hooks``
    (KILL_AT, SIGNAL, PAUSE: see killer.py)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ANALYZER_TEST_EVENTS": str(folder / "events")}
    env.update({f"ANALYZER_TEST_{name}": value for name, value in hooks.items()})
    return [sys.executable, str(KILLER), *args], env


def cli(cwd: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m analyzer ARGS` in ``cwd`` (no GitHub token in its environment unless ``env`` sets one)."""
    base = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    full = {**base, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "analyzer", *args], cwd=cwd, env=full, capture_output=True, text=True, timeout=timeout
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Non-zero exit, exactly one line on stderr (the error), no traceback; returns the line."""
    err = result.stderr.strip()
    assert result.returncode != 0, f"exit 0 for a bad input; stdout: {result.stdout[-500:]}"
    assert "Traceback" not in err, err[-3000:]
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err[-3000:]
    assert lines[0].startswith("analyzer: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def generation(store: Path) -> str | None:
    """The generation label of the store's score_meta table (None: no scores)."""
    conn = sqlite3.connect(store)
    try:
        return stamps(conn).get(META)
    finally:
        conn.close()


def parquet_generations(folder: Path) -> set[str]:
    """The generation label of every Parquet file of ``folder`` (each file read whole: a torn file fails)."""
    labels = set()
    for name in SCORE_SCHEMAS:
        table = pq.read_table(folder / f"{name}.parquet")
        labels.add((table.schema.metadata or {})[GENERATION_KEY].decode())
    return labels


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), to prove that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
