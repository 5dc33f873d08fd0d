"""`kill -9` of a collector working with three token files and a GitHub App at once (four threads, one
store writer): whatever moment it dies, the store is consistent, and the next run resumes to ground truth."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.server import token_label
from tests.collector.app_keys import APP_ID, INSTALLATION_ID, app_for, private_pem
from tests.collector.helpers import assert_matches
from tests.collector.many_repos import org_with_repos
from tests.collector.test_kill_resume import _command, _kill_repeatedly

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKENS = [f"ghp_killPool{i}DoNotLeak{i * 11}abcdefghijklmnopq" for i in range(1, 4)]


def test_kill_9_of_a_pool_of_tokens_and_an_app_then_resume(tmp_path: Path) -> None:
    org = org_with_repos(40)
    for i, token in enumerate(TOKENS, start=1):
        (tmp_path / f"token{i}").write_text(token + "\n")
    (tmp_path / "app.pem").write_text(private_pem())
    (tmp_path / "config.toml").write_text(
        "[github]\nseconds_between_requests = 0\npage_size = 5\nmax_page_size = 5\ntimeout = 10\n"
        f'token_files = ["token1", "token2", "token3"]\napp_id = {APP_ID}\napp_private_key_file = "app.pem"\n'
        '[window]\nsince = "2000-01-01"\n'
    )
    store = tmp_path / "s.sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    rng = random.Random(15)
    with FakeGitHub(org, tokens=set(TOKENS), app=app_for(org.login), latency=0.01) as server:
        command = _command(server.base_url, org.login, store, tmp_path / "config.toml")
        kills, attempts = _kill_repeatedly(command, env, tmp_path, rng, org, store, 5, 20)
        final = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert server.errors == []
    assert kills >= 4, f"only {kills} kills landed mid-run in {attempts} attempts"
    assert final.returncode == 0, final.stderr
    assert_matches(org, store)
    used = Counter(r.credential for r in server.log if r.cost > 0)
    for label in [*(token_label(t) for t in TOKENS), f"installation:{INSTALLATION_ID}"]:
        assert used[label] > 0, (label, used)
    for label, peak in server.peak_in_flight.items():
        assert peak == 1 or label.startswith("app:") or label == "-", (label, peak)
    # the summary names each credential by where it came from, never by its secret
    assert "token file token2" in final.stdout and f"GitHub App {APP_ID} installation {INSTALLATION_ID}" in final.stdout
    conn = sqlite3.connect(store)
    statuses = [r[0] for r in conn.execute("SELECT status FROM collection_runs ORDER BY run_id")]
    assert statuses[-1] == "ok" and "running" not in statuses and statuses.count("interrupted") >= 1


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_every_worker_promptly_and_the_run_says_interrupted(tmp_path: Path) -> None:
    org = org_with_repos(16)
    for i, token in enumerate(TOKENS, start=1):
        (tmp_path / f"token{i}").write_text(token)
    (tmp_path / "config.toml").write_text('[github]\nseconds_between_requests = 0\n[window]\nsince = "2000-01-01"\n')
    store = tmp_path / "s.sqlite"
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    with FakeGitHub(org, tokens=set(TOKENS), latency=0.03) as server:
        command = [sys.executable, "-m", "analyzer", "collect", "--org", org.login, "--base-url", server.base_url,
                   "--store", str(store), "--token-file", "token1", "--token-file", "token2", "--token-file", "token3"]
        # Ctrl-C as at a terminal: a test run started in the background (no job control) would hand the
        # child SIGINT ignored
        proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, preexec_fn=_default_sigint)
        assert proc.stderr is not None
        for line in proc.stderr:
            if "page" in line:
                break
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "interrupted" in err and len(err.strip().splitlines()) >= 1
        conn = sqlite3.connect(store)
        assert [r[0] for r in conn.execute("SELECT status FROM collection_runs")] == ["interrupted"]
        conn.close()
        final = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert_matches(org, store)
