"""Issue 10 items 8 and 9: one `analyzer score` at a time per store (the second is told in one line), and
score refuses a store of an older schema, another program's SQLite file or a 0-byte file, even with
--now (which skips reading the collection runs), without changing a byte of it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from analyzer.store import SCHEMA_VERSION
from analyzer.store.lock import score_lock
from tests.integrity.helpers import NOW, assert_one_line_error, cli, generation, hooked

SCORE = ("score", "--store", "s.sqlite", "--now", NOW)


def test_a_second_score_run_on_the_same_store_stops_at_once_in_one_line(store: Path, tmp_path: Path) -> None:
    with score_lock(store):
        assert_one_line_error(cli(tmp_path, *SCORE), "another `analyzer score` is already scoring", "wait")
    assert generation(store) is None  # nothing written
    assert cli(tmp_path, *SCORE).returncode == 0  # the lock went with its holder


def test_two_concurrent_score_runs_one_waits_for_nothing_and_the_store_stays_whole(store: Path,
                                                                                   tmp_path: Path) -> None:
    """The first run is held just as it starts writing; a second run then starts on the same store."""
    command, env = hooked(tmp_path, *SCORE, PAUSE=str(tmp_path))
    first = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 240
        while not (tmp_path / "paused").exists():
            assert first.poll() is None and time.monotonic() < deadline, "the first run never reached writing"
            time.sleep(0.1)
        second = cli(tmp_path, *SCORE)
        (tmp_path / "resume").touch()
        out, err = first.communicate(timeout=240)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert_one_line_error(second, "another `analyzer score` is already scoring", "s.sqlite", "pid")
    label = generation(store)
    assert label is not None and label.startswith("1-")  # one run wrote, once
    assert cli(tmp_path, "report", "--store", "s.sqlite", "--now", NOW, "--out", "r.html").returncode == 0


def _schema_version(path: Path, version: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))


@pytest.mark.parametrize("now", [["--now", NOW], []])
def test_score_refuses_a_store_of_an_older_schema_and_leaves_it_alone(store: Path, tmp_path: Path,
                                                                      now: list[str]) -> None:
    _schema_version(store, SCHEMA_VERSION - 1)
    before = store.read_bytes()
    line = assert_one_line_error(cli(tmp_path, "score", "--store", "s.sqlite", *now), f"schema {SCHEMA_VERSION - 1}",
                                 "analyzer collect")
    assert "upgrade" in line
    assert store.read_bytes() == before and generation(store) is None
    assert not (tmp_path / "out").exists()


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")


@pytest.mark.parametrize("kind", ["empty", "foreign-sqlite", "text"])
@pytest.mark.parametrize("command", ["score", "report"])
def test_a_file_that_is_not_an_analyzer_store_is_refused_and_never_turned_into_one(
    tmp_path: Path, kind: str, command: str
) -> None:
    path = tmp_path / "s.sqlite"
    if kind == "empty":
        path.touch()
    elif kind == "foreign-sqlite":
        _foreign_sqlite(path)
    else:
        path.write_text("just some notes\n" * 100)
    before = path.read_bytes()
    for now in (["--now", NOW], []):
        result = cli(tmp_path, command, "--store", "s.sqlite", *now)
        line = assert_one_line_error(result, "s.sqlite")
        assert "store" in line
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]  # no -wal, -shm, lock or output


def test_collect_refuses_another_programs_sqlite_file(tmp_path: Path) -> None:
    from analyzer.errors import StoreError
    from analyzer.store import Store

    path = tmp_path / "places.sqlite"
    _foreign_sqlite(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an analyzer store"):
        Store(path)
    with pytest.raises(StoreError, match="not an analyzer store"):
        Store(path, create=False)
    assert path.read_bytes() == before


def test_a_valid_store_on_read_only_media_can_be_reported(store: Path, tmp_path: Path,
                                                          read_only_mount: Path) -> None:
    assert cli(tmp_path, *SCORE).returncode == 0
    expected = cli(tmp_path, "report", "--store", "s.sqlite", "--now", NOW, "--out", "expected.html")
    assert expected.returncode == 0, expected.stderr
    with read_only_mount.writable():
        shutil.copyfile(store, read_only_mount.path / "s.sqlite")
    result = cli(tmp_path, "report", "--store", str(read_only_mount.path / "s.sqlite"), "--out", "ro.html")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ro.html").read_bytes().count(b"<html") == 1
    # without --now too (the default "now" is read from the store's collection runs)
    same = cli(tmp_path, "report", "--store", str(read_only_mount.path / "s.sqlite"), "--now", NOW, "--out", "x.html")
    assert (tmp_path / "x.html").read_bytes() == (tmp_path / "expected.html").read_bytes(), same.stderr
    # scoring there is refused in one line, and nothing is written
    assert_one_line_error(cli(tmp_path, "score", "--store", str(read_only_mount.path / "s.sqlite"), "--now", NOW),
                          "read-only")
