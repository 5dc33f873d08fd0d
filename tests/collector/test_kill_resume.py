"""`kill -9` of the collector at random moments: the store stays consistent and resumes to ground truth."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from analyzer.demo import generate_org
from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import TOKEN, assert_matches, served

REPO_ROOT = Path(__file__).resolve().parents[2]


def _command(base_url: str, org: str, store: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "analyzer", "collect", "--config", str(config), "--org", org,
            "--base-url", base_url, "--store", str(store)]


def _run_and_kill(command: list[str], env: dict[str, str], cwd: Path, rng: random.Random) -> bool:
    """Start the collector, let it write a random number of pages (it prints one progress line per
    page), then SIGKILL it a random few milliseconds later. True when the kill landed mid-run."""
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    pages = rng.randint(1, 6)
    seen = 0
    for line in proc.stderr:
        if "page" in line:
            seen += 1
            if seen >= pages:
                time.sleep(rng.uniform(0.0, 0.05))
                break
    landed = proc.poll() is None
    if landed:
        proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return landed


def _kill_repeatedly(
    command: list[str], env: dict[str, str], cwd: Path, rng: random.Random, model: OrgModel, store: Path,
    kills_wanted: int, max_attempts: int,
) -> tuple[int, int]:
    """Run and kill the collector until ``kills_wanted`` kills landed mid-run (or ``max_attempts`` runs),
    checking the store after each; returns (kills, attempts)."""
    kills = attempts = 0
    while kills < kills_wanted and attempts < max_attempts:
        attempts += 1
        kills += _run_and_kill(command, env, cwd, rng)
        if store.exists():
            _assert_consistent(model, store)
    return kills, attempts


def _assert_consistent(model: OrgModel, store: Path) -> None:
    """Whatever a killed run left: an intact database, and every stored PR complete (one transaction)."""
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        by_id = {p.id: p for p in model.pulls.values()}
        for (pr_id,) in conn.execute("SELECT id FROM pull_requests"):
            pr = by_id[pr_id]
            want = {c.id for c in model.review_comments.values() if (c.repo, c.pr_number) == (pr.repo, pr.number)}
            got = {r[0] for r in conn.execute("SELECT id FROM review_comments WHERE pr_id = ?", (pr_id,))}
            assert got == want, f"PR {pr_id} stored partially"
            files = conn.execute("SELECT COUNT(*) FROM pr_files WHERE pr_id = ?", (pr_id,)).fetchone()[0]
            assert files == len(pr.files)
    finally:
        conn.close()


def test_kill_9_at_ten_random_moments_then_resume(tmp_path: Path) -> None:
    # big enough (300 PRs, ~200 requests) that twelve kills land while work remains
    tiny_org = generate_org(seed=13, scale=0.2)
    store = tmp_path / "s.sqlite"
    config = tmp_path / "config.toml"
    config.write_text(
        '[github]\nseconds_between_requests = 0\npage_size = 5\nmax_page_size = 5\ntimeout = 10\n[window]\nsince = "2000-01-01"\n'
    )
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "PYTHONPATH": str(REPO_ROOT)}
    rng = random.Random(2026)
    with served(tiny_org, latency=0.03) as server:
        command = _command(server.base_url, tiny_org.login, store, config)
        kills, attempts = _kill_repeatedly(command, env, tmp_path, rng, tiny_org, store, 12, 40)
        final = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert kills >= 10, f"only {kills} kills landed mid-run in {attempts} attempts"
    assert final.returncode == 0, final.stderr
    assert_matches(tiny_org, store)
    conn = sqlite3.connect(store)
    statuses = [r[0] for r in conn.execute("SELECT status FROM collection_runs ORDER BY run_id")]
    # killed runs never got to finish: the next start marked them, none is left 'running' (issue 10, item 12)
    assert statuses[-1] == "ok" and "running" not in statuses and statuses.count("interrupted") >= 1
