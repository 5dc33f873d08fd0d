"""The fake server in a child process: same answers, and the parent can read and reset its request log."""

from __future__ import annotations

import multiprocessing
from functools import partial

import pytest
import requests
from github import Auth, Github
from tiny_org import ORG, TOKEN, build_tiny_org

from analyzer.demo import generate_org
from analyzer.errors import AnalyzerError
from analyzer.fakegithub import serve_in_subprocess


def _client(base_url: str) -> Github:
    return Github(base_url=base_url, auth=Auth.Token(TOKEN), per_page=100, seconds_between_requests=None, timeout=5)


def test_a_child_process_serves_the_model_and_reports_its_request_log() -> None:
    with serve_in_subprocess(build_tiny_org, tokens={TOKEN}) as server:
        gh = _client(server.base_url)
        names = sorted(repo.name for repo in gh.get_organization(ORG).get_repos())
        assert names == sorted(build_tiny_org().repos)
        operations = server.operations()
        assert operations == ["/orgs/{org}", "/orgs/{org}/repos"]
        server.reset_log()
        assert server.operations() == []
        gh.get_repo(f"{ORG}/{names[0]}").get_pull(1)
        assert server.operations() == ["/repos/{owner}/{repo}", "/repos/{owner}/{repo}/pulls/{pull_number}"]
        assert server.cpu_seconds() > 0
        assert server.errors() == []


def test_the_child_rebuilds_the_same_demo_org_from_its_factory() -> None:
    here = generate_org(seed=5, scale=0.05)
    with serve_in_subprocess(partial(generate_org, seed=5, scale=0.05), tokens={TOKEN}) as server:
        gh = _client(server.base_url)
        repo = next(iter(here.repos))
        numbers = sorted(pr.number for pr in gh.get_repo(f"{here.login}/{repo}").get_pulls(state="all"))
    assert numbers == sorted(n for (r, n) in here.pulls if r == repo)


def _broken_model() -> None:
    raise ValueError("no model today")


def test_a_child_that_cannot_build_its_model_fails_with_a_typed_error() -> None:
    with pytest.raises(AnalyzerError, match="no model today"), serve_in_subprocess(_broken_model):  # type: ignore[arg-type]
        pass


def test_the_child_is_gone_after_the_block() -> None:
    with serve_in_subprocess(build_tiny_org) as server:
        base_url = server.base_url
        assert multiprocessing.active_children()
    assert multiprocessing.active_children() == []
    with pytest.raises(requests.ConnectionError):
        requests.get(base_url + "/rate_limit", timeout=2)  # nobody listens any more

