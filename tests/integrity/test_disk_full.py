"""Issue 10 item 11: a disk that fills up during collect, score or report. Each ends in one line with a
non-zero exit; the store stays whole (SQLite's integrity check, the previous score generation), and
the previous report, Parquet files and meta.json are byte for byte what they were. Freeing the space
and running the same commands again works.

The small disk is a tmpfs (root only: CI runs as root; the test skips with the reason otherwise)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer.demo import generate_org
from tests.collector.helpers import TOKEN, served
from tests.integrity.conftest import Mount, mounted
from tests.integrity.helpers import NOW, assert_one_line_error, cli, generation, snapshot

CONFIG = '[github]\nseconds_between_requests = 0\n[window]\nsince = "2000-01-01"\n'


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Mount]:
    with mounted(tmp_path / "small-disk", "48m") as mount:
        yield mount


def fill(folder: Path, leave: int) -> Path:
    """A file that takes all free space of ``folder``'s file system but ``leave`` bytes."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    size = stats.f_bavail * stats.f_frsize - leave
    with filler.open("wb") as out:
        block = b"\0" * (1 << 20)
        while size > 0:
            size -= out.write(block[: min(size, len(block))])
    return filler


def whole(store: Path) -> str | None:
    """The store's integrity check result ('ok') and its score generation."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return generation(store)


def outputs(folder: Path) -> dict[str, bytes]:
    """The previous outputs a failure must leave alone: the report, Parquet files and meta.json."""
    files = snapshot(folder / "out" / "scores")
    files["report.html"] = (folder / "report.html").read_bytes()
    return files


def test_a_full_disk_in_collect_score_and_report_is_one_line_and_loses_nothing(collected: Path,
                                                                               small_disk: Mount) -> None:
    disk = small_disk.path
    (disk / "config.toml").write_text(CONFIG)
    (disk / "s.sqlite").write_bytes(collected.read_bytes())
    report = ("report", "--store", "s.sqlite", "--now", NOW, "--out", "report.html", "--quiet")
    assert cli(disk, "score", "--store", "s.sqlite", "--now", NOW).returncode == 0
    assert cli(disk, *report).returncode == 0
    before, scored = outputs(disk), whole(disk / "s.sqlite")
    parquet = sum(len(data) for name, data in before.items() if name != "report.html")
    bigger = generate_org(seed=5, scale=0.12)  # more PRs than the store holds: the collect has pages to write
    with served(bigger) as server:
        collect = ("collect", "--org", bigger.login, "--base-url", server.base_url, "--store", "s.sqlite", "--quiet")
        for command, leave, what in [
            (collect, 256 << 10, "the disk holding"),
            (("score", "--store", "s.sqlite", "--now", NOW, "--quiet"), 64 << 10, "cannot write"),
            # room for the new Parquet files, not for the tables: the store's transaction fails
            (("score", "--store", "s.sqlite", "--now", NOW, "--quiet", "--no-cache"), parquet + (96 << 10),
             "cannot write scores into"),
            (report, 256 << 10, "cannot write the report"),
        ]:
            filler = fill(disk, leave)
            result = cli(disk, *command, env={"GITHUB_TOKEN": TOKEN})
            assert_one_line_error(result, what, "full")
            assert whole(disk / "s.sqlite") == scored, command
            assert outputs(disk) == before, command
            assert not [p.name for p in disk.rglob("*.tmp")], command  # no temporary file left behind
            filler.unlink()
        # with space again, the same commands complete
        assert cli(disk, *collect, env={"GITHUB_TOKEN": TOKEN}).returncode == 0
    assert cli(disk, "score", "--store", "s.sqlite", "--now", NOW).returncode == 0
    assert cli(disk, *report).returncode == 0
    assert whole(disk / "s.sqlite") != scored and outputs(disk)["report.html"] != before["report.html"]
