"""A user's first run (issue 9, issue 10 items 3, 6, 7, 12): wrong URLs, bad tokens and credentials, a window
in the future, text GitHub sends that is not valid UTF-8, and runs that never finished."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from analyzer.cli import main
from analyzer.collector.client import NotGitHubError
from analyzer.errors import AuthError, ConfigError, ConnectionFailed
from analyzer.fakegithub.model import OrgModel
from analyzer.fakegithub.ratelimit import FakeClock
from tests.collector.helpers import TOKEN, WINDOW, assert_matches, run, served
from tests.collector.real_shapes import query

HTML = b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"


@contextmanager
def not_github(status: int, body: bytes, content_type: str) -> Iterator[str]:
    """A plain web server on loopback that answers every request the same way."""
    hits: list[str] = []

    def app(environ: dict[str, object], start_response: object) -> object:
        hits.append(Request(environ).path)
        return Response(body, status=status, content_type=content_type)(environ, start_response)  # type: ignore[arg-type]

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.socket.getsockname()[1]}"
    finally:
        server.shutdown()
        assert len(hits) == 1, f"asked {len(hits)} times: it must say so at once, not retry"


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [(501, b"<html><body>Not Implemented</body></html>", "text/html"), (200, HTML, "text/html"),
     (404, b"Not Found", "text/plain")],
)
def test_a_url_that_is_not_github_is_named_at_once(tmp_path: Path, tiny_org: OrgModel, status: int, body: bytes,
                                                    content_type: str) -> None:
    store = tmp_path / "s.sqlite"
    with not_github(status, body, content_type) as url:
        from analyzer.collector import collect
        from tests.collector.helpers import GitHubSection

        github = GitHubSection(base_url=url, organizations=("acme",), seconds_between_requests=0.0, timeout=5.0)
        with pytest.raises(NotGitHubError) as caught:
            collect(github, store, token=TOKEN, window=WINDOW, clock=FakeClock())
    message = str(caught.value)
    assert "does not look like the GitHub API" in message and "--base-url" in message and "base_url" in message
    assert not store.exists()


def test_credentials_in_the_base_url_are_refused_and_never_echoed(
    tmp_path: Path, tiny_org: OrgModel, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        run(server, tiny_org, store, clock=clock)  # an existing store: the refused run must not touch it
        runs_before = query(store, "SELECT * FROM collection_runs")
        port = server.base_url.rsplit(":", 1)[1]
        url = f"http://octo-user:hunter2secret@127.0.0.1:{port}/"
        capsys.readouterr()
        code = main(["collect", "--org", tiny_org.login, "--base-url", url, "--store", "s.sqlite", "--quiet"])
    out = capsys.readouterr()
    assert code != 0 and len(out.err.strip().splitlines()) == 1 and "Traceback" not in out.err
    assert "user name or password" in out.err and ("base_url" in out.err or "--base-url" in out.err)
    for secret in ("hunter2secret", "octo-user"):
        assert secret not in out.err + out.out
    assert query(store, "SELECT * FROM collection_runs") == runs_before
    assert not any("hunter2" in str(v) for row in query(store, "SELECT base_url FROM collection_runs") for v in row)
    # a store an older analyzer wrote with credentials in the URL loses them on the next collect
    conn = sqlite3.connect(store)
    with conn:
        conn.execute("UPDATE collection_runs SET base_url = 'https://octo-user:hunter2secret@ghe.example.com/api/v3'")
    conn.close()
    with served(tiny_org, clock=clock) as server:
        run(server, tiny_org, store, clock=clock)
    assert not any("hunter2" in str(row) or "octo-user" in str(row) for row in query(store, "SELECT * FROM collection_runs"))


@pytest.mark.parametrize("token", ["ghp_first\nsecondhalf", "ghp_first\rsecondhalf", "ghp_first\tsecondhalf"])
def test_a_token_with_a_line_break_is_refused_without_echoing_it(
    tmp_path: Path, tiny_org: OrgModel, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    token: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", token)
    with served(tiny_org) as server:
        code = main(["collect", "--org", tiny_org.login, "--base-url", server.base_url, "--store", "s.sqlite",
                     "--quiet"])
        assert server.log == []  # refused before anything went out
    out = capsys.readouterr()
    assert code == AuthError.exit_code and len(out.err.strip().splitlines()) == 1
    assert "ghp_first" not in out.err + out.out and "secondhalf" not in out.err + out.out
    assert not (tmp_path / "s.sqlite").exists()


def test_a_failed_first_run_leaves_no_store(tmp_path: Path, tiny_org: OrgModel) -> None:
    store = tmp_path / "new" / "s.sqlite"
    with served(tiny_org) as server:
        from analyzer.collector import collect
        from tests.collector.helpers import github_for

        with pytest.raises(AuthError):
            collect(github_for(server, tiny_org), store, token="ghp_wrong", window=WINDOW)
        with pytest.raises(ConnectionFailed):  # an unreachable host
            collect(github_for(server, tiny_org, base_url="http://127.0.0.1:9"), store, token=TOKEN, window=WINDOW)
        server.faults.add("403_abuse", count=1, match="graphql", after=1)  # the first repository page
        with pytest.raises(Exception, match="max-wait"):
            collect(github_for(server, tiny_org), store, token=TOKEN, window=WINDOW, clock=FakeClock(), max_wait=10)
    assert not store.exists() and not Path(f"{store}-wal").exists()
    with pytest.raises(ConfigError):
        from analyzer.collector.client import check_base_url

        check_base_url("https://x:y@ghe.example.com/api/v3")


def test_runs_left_running_by_a_killed_collector_are_marked_on_the_next_start(tmp_path: Path,
                                                                             tiny_org: OrgModel) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        run(server, tiny_org, store, clock=clock)
        conn = sqlite3.connect(store)
        with conn:
            dead = 2**22 + 12345  # above the default pid_max: no such process
            conn.execute("INSERT INTO collection_runs (started_at, status, target, base_url, message) VALUES"
                         " ('2026-01-01T00:00:00Z', 'running', 'x', 'y', ?)", (f"running: pid {dead} on {os.uname()[1]}",))
            conn.execute("INSERT INTO collection_runs (started_at, status, target, base_url) VALUES"
                         " ('2026-01-01T00:00:00Z', 'running', 'x', 'y')")
        conn.close()
        run(server, tiny_org, store, clock=clock)
    statuses = [r[0] for r in query(store, "SELECT status FROM collection_runs ORDER BY run_id")]
    assert statuses == ["ok", "interrupted", "interrupted", "ok"]
    ended = query(store, "SELECT ended_at FROM collection_runs WHERE status = 'interrupted'")
    assert all(e[0] for e in ended)


def test_a_window_in_the_future_does_not_move_the_commits_watermark(tmp_path: Path, tiny_org: OrgModel) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    future = (1_893_456_000.0, 1_893_456_000.0 + 86400 * 180)  # 2030-01-01 .. mid 2030
    with served(tiny_org, clock=clock) as server:
        run(server, tiny_org, store, clock=clock, window=future)
        assert query(store, "SELECT COUNT(*) FROM commits")[0][0] == 0
        assert query(store, "SELECT COUNT(*) FROM sync_state WHERE stream = 'commits' AND watermark IS NOT NULL")[0][0] == 0
        run(server, tiny_org, store, clock=clock)  # the normal window afterwards gets every commit
    assert_matches(tiny_org, store)


def test_a_lone_surrogate_in_a_title_does_not_stop_collection(tmp_path: Path, tiny_org: OrgModel) -> None:
    from analyzer.pipeline import load_frames

    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    pr = tiny_org.pulls[sorted(tiny_org.pulls)[2]]
    pr.title = "fix \ud83d crash"  # half an emoji: GitHub sends it as the JSON escape \ud83d
    comment = next(iter(tiny_org.review_comments.values()))
    comment.body = "looks good \udfff"
    with served(tiny_org, clock=clock) as server:
        run(server, tiny_org, store, clock=clock)
    title, raw = query(store, "SELECT title, raw FROM pull_requests WHERE id = ?", pr.id)[0]
    assert title == "fix \ufffd crash" and "\\ud83d" in raw  # readable text, the raw escape kept
    pr.title, comment.body = "fix \ufffd crash", "looks good \ufffd"  # what the typed columns hold
    assert_matches(tiny_org, store)
    # one invalid UTF-8 byte in stored text does not make the store unscorable either
    target = int(load_frames(store).issue_comments["comment_id"].iloc[0])
    conn = sqlite3.connect(store)
    with conn:
        conn.execute("UPDATE issue_comments SET body = CAST(x'6f6b20ff20626164' AS TEXT) WHERE id = ?", (target,))
    conn.close()
    comments = load_frames(store).issue_comments
    assert list(comments.loc[comments["comment_id"] == target, "body"]) == ["ok \ufffd bad"]


@pytest.mark.parametrize("key", ["[github]\nbase_url", "[report]\ngithub_url"])
def test_credentials_in_a_configured_url_are_refused_at_load(tmp_path: Path, key: str) -> None:
    from analyzer.config import load_config

    path = tmp_path / "config.toml"
    path.write_text(f'{key} = "https://bob:s3cret-pw@ghe.example.com/api/v3"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "user name or password" in str(caught.value)
    assert "s3cret" not in str(caught.value) and "bob" not in str(caught.value)
