"""A recognisable token ends up nowhere: not in the store file, logs or output."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.fakegithub.model import OrgModel
from tests.collector.helpers import TOKEN, served


def test_token_never_reaches_store_logs_or_output(
    tiny_org: OrgModel, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    (tmp_path / "config.toml").write_text("[github]\nseconds_between_requests = 0\n")
    caplog.set_level("DEBUG")
    with served(tiny_org) as server:
        code = main(["collect", "--org", tiny_org.login, "--base-url", server.base_url, "--store", "s.sqlite"])
        # the token really was sent: the server saw it
        assert server.log and code == 0
    out = capsys.readouterr()
    secret = TOKEN.encode()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    assert TOKEN not in out.out and TOKEN not in out.err
    assert TOKEN not in caplog.text
    assert "items" in out.err  # progress was printed, so there was output to leak into
