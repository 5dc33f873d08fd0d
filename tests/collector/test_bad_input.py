"""Bad input: one clear line, a non-zero exit, no traceback, and an untouched store."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.fakegithub.model import OrgModel, Repo
from analyzer.store import Store
from tests.collector.helpers import TOKEN, served

FAST = "[github]\nseconds_between_requests = 0\ntimeout = 5\nmax_retries = 1\n"


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.err


def _assert_one_clear_line(code: int, err: str, *needles: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("analyzer: error: ")
    for needle in needles:
        assert needle.lower() in lines[0].lower(), lines[0]


@pytest.fixture()
def setup_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    (tmp_path / "config.toml").write_text(FAST)
    return tmp_path


def _existing_store(path: Path) -> str | None:
    with Store(path):
        pass
    return _digest(path)


CASES: dict[str, tuple[Callable[[OrgModel], None] | None, list[str], tuple[str, ...]]] = {
    "unknown org": (None, ["--org", "no-such-org"], ("not found", "no-such-org")),
    "unknown repository": (None, ["--repo", "{org}/no-such-repo"], ("not found", "no-such-repo")),
    "sso protected org": (lambda m: setattr(m, "sso_protected", True), ["--org", "{org}"], ("SAML", "authorize")),
    "empty org": (lambda m: (m.repos.clear(), m.pulls.clear()), ["--org", "{org}"], ("no repositories",)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_server_side_mistakes(case: str, tiny_org: OrgModel, setup_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mutate, extra, needles = CASES[case]
    if mutate:
        mutate(tiny_org)
    store = setup_dir / "s.sqlite"
    before = _existing_store(store)
    with served(tiny_org) as server:
        args = ["collect", "--base-url", server.base_url, "--store", str(store)]
        code, err = _run_cli(args + [a.format(org=tiny_org.login) for a in extra], capsys)
    _assert_one_clear_line(code, err, *needles)
    assert _digest(store) == before


def test_bad_token(tiny_org: OrgModel, setup_dir: Path, capsys: pytest.CaptureFixture[str],
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrong")
    store = setup_dir / "s.sqlite"
    before = _existing_store(store)
    with served(tiny_org) as server:
        code, err = _run_cli(["collect", "--org", tiny_org.login, "--base-url", server.base_url,
                              "--store", str(store)], capsys)
    _assert_one_clear_line(code, err, "401", "GITHUB_TOKEN")
    assert _digest(store) == before


def test_repository_without_pull_requests(tiny_org: OrgModel, setup_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    tiny_org.repos["quiet"] = Repo(id=99_999, name="quiet", created_at=next(iter(tiny_org.repos.values())).created_at)
    store = setup_dir / "s.sqlite"
    with served(tiny_org) as server:
        code, err = _run_cli(["collect", "--repo", f"{tiny_org.login}/quiet", "--base-url", server.base_url,
                              "--store", str(store)], capsys)
    _assert_one_clear_line(code, err, "no pull requests")
    assert not store.exists()


def test_no_token_at_all(setup_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    code, err = _run_cli(["collect", "--org", "acme", "--store", "s.sqlite"], capsys)
    _assert_one_clear_line(code, err, "GITHUB_TOKEN", "--token-file")
    assert not (setup_dir / "s.sqlite").exists()


def test_token_file_is_read(tiny_org: OrgModel, setup_dir: Path, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    (setup_dir / "token").write_text(TOKEN + "\n")
    with served(tiny_org) as server:
        code = main(["collect", "--org", tiny_org.login, "--base-url", server.base_url, "--store", "s.sqlite",
                     "--token-file", "token", "--quiet"])
    assert code == 0, capsys.readouterr().err


def test_unreachable_base_url(setup_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, err = _run_cli(["collect", "--org", "acme", "--base-url", f"http://127.0.0.1:{port}",
                          "--store", "s.sqlite"], capsys)
    _assert_one_clear_line(code, err, "cannot reach", "base_url")
    assert not (setup_dir / "s.sqlite").exists()


def test_malformed_config(setup_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (setup_dir / "config.toml").write_text("[github\nbase_url = 'x'\n")
    code, err = _run_cli(["collect", "--org", "acme", "--store", "s.sqlite"], capsys)
    _assert_one_clear_line(code, err, "config.toml", "TOML")
    assert not (setup_dir / "s.sqlite").exists()


def test_unknown_config_key_names_key_line_and_suggestion(setup_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (setup_dir / "config.toml").write_text(FAST + 'organisations = ["acme"]\n')
    code, err = _run_cli(["collect", "--store", "s.sqlite"], capsys)
    _assert_one_clear_line(code, err, "config.toml:5", "organisations", 'did you mean "organizations"')


def test_wrong_type_in_config(setup_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (setup_dir / "config.toml").write_text('[github]\npage_size = "fifty"\n')
    code, err = _run_cli(["collect", "--org", "acme", "--store", "s.sqlite"], capsys)
    _assert_one_clear_line(code, err, "config.toml:2", "github.page_size", "whole number")


def test_token_in_config_is_refused(setup_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (setup_dir / "config.toml").write_text('[github]\ntoken = "ghp_x"\n')
    code, err = _run_cli(["collect", "--org", "acme", "--store", "s.sqlite"], capsys)
    _assert_one_clear_line(code, err, "never read from config.toml")
