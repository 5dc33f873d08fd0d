"""Issue 9: an exception nobody anticipated, on any thread of any stage, ends in one line (what failed, the
store is intact, --debug for the traceback), a non-zero exit and an untouched store."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analyzer.cli import UNEXPECTED_EXIT, main
from analyzer.demo import generate_org
from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import TOKEN, served

NOW = "2026-11-01"


@pytest.fixture(scope="module")
def org() -> OrgModel:
    return generate_org(seed=5, scale=0.05)


@pytest.fixture(scope="module")
def scored_store(org: OrgModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store collected over HTTP and scored through the CLI, copied by each test."""
    home = tmp_path_factory.mktemp("scored")
    with pytest.MonkeyPatch.context() as mp:
        _cli_home(mp, home)
        with served(org) as server:
            assert main(["collect", "--org", org.login, "--base-url", server.base_url, "--store", "s.sqlite",
                         "--quiet"]) == 0
        assert main(["score", "--store", "s.sqlite", "--now", NOW, "--quiet"]) == 0
    yield home / "s.sqlite"


def _cli_home(mp: pytest.MonkeyPatch, home: Path) -> None:
    mp.chdir(home)
    mp.setenv("GITHUB_TOKEN", TOKEN)
    (home / "config.toml").write_text('[github]\nseconds_between_requests = 0\n[window]\nsince = "2000-01-01"\n')


@pytest.fixture()
def store(scored_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _cli_home(monkeypatch, tmp_path)
    copy = tmp_path / "s.sqlite"
    shutil.copyfile(scored_store, copy)
    return copy


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables_but_the_run_log(path: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY 1").fetchall() for n in names if n not in ("collection_runs", "sqlite_sequence")}
    finally:
        conn.close()


def _boom(*_args: object, **_kwargs: object) -> Any:
    raise RuntimeError("boom: a bug nobody anticipated")


def _one_line(capsys: pytest.CaptureFixture[str], stage: str, where: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and f"{stage} failed unexpectedly" in lines[0]
    assert "RuntimeError: boom" in lines[0] and where in lines[0]
    assert "store is intact" in lines[0] and "--debug" in lines[0]
    return lines[0]


def test_collector_writer_thread(store: Path, org: OrgModel, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from analyzer.collector.streams import RepoSync

    before = _tables_but_the_run_log(store)
    seen: list[str] = []

    def on_writer_thread(self: RepoSync, row: dict[str, Any]) -> None:
        import threading

        seen.append(threading.current_thread().name)
        _boom()

    monkeypatch.setattr(RepoSync, "_write_repo", on_writer_thread)
    org.pulls[next(iter(org.pulls))].title += " (edited)"  # something new to collect
    with served(org) as server:
        capsys.readouterr()
        code = main(["collect", "--org", org.login, "--base-url", server.base_url, "--store", "s.sqlite", "--quiet"])
    assert code == UNEXPECTED_EXIT
    _one_line(capsys, "collect", "analyzer/collector/")
    assert seen and seen[0].startswith("store-writer")  # it really failed on the writer thread
    assert _tables_but_the_run_log(store) == before
    statuses = [r[0] for r in sqlite3.connect(store).execute("SELECT status FROM collection_runs")]
    assert statuses[-1] == "failed"  # and the run says so instead of staying 'running'


@pytest.mark.parametrize(
    ("stage", "target", "where"),
    [
        ("score", "analyzer.frames.load.build_frames", "analyzer/frames/load.py"),
        ("score", "analyzer.scores.pipeline._team", "analyzer/scores/pipeline.py"),
    ],
)
def test_frames_and_scores(store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                           stage: str, target: str, where: str) -> None:
    before = _digest(store)
    monkeypatch.setattr(target, _boom)
    capsys.readouterr()
    assert main(["score", "--store", "s.sqlite", "--now", NOW, "--quiet"]) == UNEXPECTED_EXIT
    _one_line(capsys, stage, where)
    assert _digest(store) == before


def test_report(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> None:
    import analyzer.report.build as build

    before = _digest(store)
    monkeypatch.setattr(build, "build_report", _boom)
    monkeypatch.setattr("analyzer.report.build_report", _boom)
    capsys.readouterr()
    assert main(["report", "--store", "s.sqlite", "--now", NOW, "--out", "r.html", "--quiet"]) == UNEXPECTED_EXIT
    _one_line(capsys, "report", "analyzer/")
    assert _digest(store) == before and not (tmp_path / "r.html").exists()


def test_debug_shows_the_traceback(store: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("analyzer.frames.load.build_frames", _boom)
    capsys.readouterr()
    assert main(["score", "--store", "s.sqlite", "--now", NOW, "--debug"]) == UNEXPECTED_EXIT
    err = capsys.readouterr().err
    assert "Traceback" in err and "boom" in err
