"""Issue 9: the gaps of a run are reported at its end and on the report's methodology page."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.demo import generate_org
from tests.collector.helpers import TOKEN, served
from tests.collector.real_shapes import a_pr_with


def test_gaps_are_reported_after_the_run_and_under_data_completeness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    (tmp_path / "config.toml").write_text(
        '[github]\nseconds_between_requests = 0\nmax_retries = 1\n[window]\nsince = "2000-01-01"\n'
    )
    org = generate_org(seed=5, scale=0.05)
    repo, number = a_pr_with(org, reviews=True, index=2)
    with served(org) as server:
        server.fidelity.timeout_prs = {(repo, number)}
        assert main(["collect", "--org", org.login, "--base-url", server.base_url, "--store", "s.sqlite",
                     "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "data completeness: 1 gap(s)" in out and f"{org.login}/{repo} #{number}" in out
    assert "Something went wrong" in out
    assert main(["score", "--store", "s.sqlite", "--now", "2026-11-01", "--quiet"]) == 0
    assert main(["report", "--store", "s.sqlite", "--now", "2026-11-01", "--out", "r.html", "--quiet"]) == 0
    html = (tmp_path / "r.html").read_text()
    section = html[html.index("Data completeness"):]
    assert f"#{number}" in section[:5000] and "Something went wrong" in section[:5000]
