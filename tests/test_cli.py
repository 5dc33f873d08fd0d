"""The CLI: help for every command, calibrate on a user's CSV, and `analyzer run` end to end."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analyzer.cli import build_parser, main
from analyzer.demo import generate_org
from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import TOKEN, served

COMMANDS = ["demo", "collect", "score", "report", "run", "calibrate"]


def test_help_lists_every_command_and_each_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert command in text
        with pytest.raises(SystemExit) as sub:
            main([command, "--help"])
        assert sub.value.code == 0
        sub_help = capsys.readouterr().out
        assert sub_help.startswith(f"usage: analyzer {command}")
        description = sub_help.split("\n\n")[1]  # argparse: usage, blank line, description, options
        assert not description.startswith("options") and len(description.split()) >= 8, (command, description)
    assert "GITHUB_TOKEN" in build_parser().epilog  # type: ignore[operator]


def test_report_says_which_stage_comes_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """report without a store: collect first; on a collected but unscored store: score first. One line
    each, no SQL, no traceback, non-zero exit."""
    from analyzer.store import Store

    code = main(["report", "--store", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and "collect" in err and "score" not in err
    with Store(tmp_path / "collected.sqlite"):
        pass
    code = main(["report", "--store", str(tmp_path / "collected.sqlite"), "--out", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert "analyzer score" in err and "first" in err
    assert "SELECT" not in err and "Execution failed" not in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "analyzer", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("analyzer ")


def _labelled_csv(path: Path) -> None:
    rows = ["text,label"]
    for i in range(40):
        rows.append(f'"You are an idiot, this is stupid garbage number {i}!!",1')
        rows.append(f'"Could you rename `value_{i}` because it shadows the builtin? Thanks!",0')
    path.write_text("\n".join(rows) + "\n")


def test_calibrate_prints_auc_pr_auc_and_f1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "mine.csv"
    _labelled_csv(csv)
    code = main(["calibrate", "--csv", str(csv), "--text-column", "text", "--label-column", "label",
                 "--target", "harsh", "--folds", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert "ROC-AUC" in out and "PR-AUC" in out and "F1" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--text-column", "body"], "body"),
        (["--label-column", "nope"], "nope"),
    ],
)
def test_calibrate_mistakes_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                          needle: str) -> None:
    csv = tmp_path / "mine.csv"
    _labelled_csv(csv)
    base = {"--text-column": "text", "--label-column": "label"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for pair in base.items() for x in pair]
    code = main(["calibrate", "--csv", str(csv), *flat, "--target", "harsh"])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and needle in err


def _small_org_to_collect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> OrgModel:
    """A small demo org, with tmp_path as the working directory holding a config that collects all of it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    (tmp_path / "config.toml").write_text('[github]\nseconds_between_requests = 0\n[window]\nsince = "2000-01-01"\n')
    return generate_org(seed=5, scale=0.05)


def test_run_collects_scores_and_reports_in_one_go(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    model = _small_org_to_collect(tmp_path, monkeypatch)
    with served(model) as server:
        code = main(["run", "--org", model.login, "--base-url", server.base_url, "--store", "s.sqlite",
                     "--out", "r.html", "--now", "2026-11-01"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "report: r.html" in captured.out or "r.html" in captured.out
    assert "items" in captured.err and "scoring" in captured.err  # progress of each long step
    # not a terminal: one line per repository and stream (not per page), the two budgets labelled
    streams = [line for line in captured.err.splitlines() if " items in " in line]
    assert streams and len(streams) == len({line.split(":")[0] for line in streams})
    assert all("REST left" in line and "GraphQL left" in line for line in streams)
    assert "budget left" not in captured.err
    html = (tmp_path / "r.html").read_text()
    assert "<html" in html.lower() and len(html) > 100_000
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"score_people", "score_family_scores", "score_comments"} <= tables
    assert any(p.suffix == ".parquet" for p in (tmp_path / "out" / "scores").iterdir())


def _cache_stats(store: Path) -> dict[str, int]:
    conn = sqlite3.connect(store)
    (value,) = conn.execute("SELECT value FROM score_meta WHERE key = 'cache'").fetchone()
    stats: dict[str, int] = json.loads(value)
    return stats


def test_score_reuses_the_score_cache_unless_told_not_to(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    model = _small_org_to_collect(tmp_path, monkeypatch)
    with served(model) as server:
        assert main(["collect", "--org", model.login, "--base-url", server.base_url, "--store", "s.sqlite",
                     "--quiet"]) == 0
    store = tmp_path / "s.sqlite"
    now = ["--store", "s.sqlite", "--now", "2026-11-01", "--quiet"]
    assert main(["score", *now]) == 0
    first = _cache_stats(store)
    assert first["prs_cached"] == 0 and first["prs_recomputed"] > 0
    assert (tmp_path / "out" / "score-cache" / "meta.json").is_file()  # store.score_cache's default
    families = pd.read_sql_query("SELECT * FROM score_family_scores", sqlite3.connect(store))
    assert main(["score", *now]) == 0
    again = _cache_stats(store)
    assert again["prs_recomputed"] == 0 and again["prs_cached"] == first["prs_recomputed"]
    pd.testing.assert_frame_equal(pd.read_sql_query("SELECT * FROM score_family_scores", sqlite3.connect(store)),
                                  families)
    assert main(["score", "--no-cache", *now]) == 0
    fresh = _cache_stats(store)
    assert fresh.get("prs_cached", 0) == 0 and fresh["cached"] == 0 and fresh["scored"] > 0
    capsys.readouterr()
    # a cache path that cannot be a directory: one line saying how to turn the cache off
    (tmp_path / "config.toml").write_text('[store]\nscore_cache = "s.sqlite/cache"\n[window]\nsince = "2000-01-01"\n')
    code = main(["score", *now])
    err = capsys.readouterr().err
    assert code != 0 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "--no-cache" in err
