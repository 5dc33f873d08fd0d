"""Fixtures for the fake GitHub server's tests: the tiny org, a running server, PyGithub clients."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from github import Auth, Github, GithubRetry

sys.path.insert(0, str(Path(__file__).resolve().parent))

from openapi_check import SPEC_PATH  # noqa: E402
from tiny_org import TOKEN, build_tiny_org  # noqa: E402

from analyzer.fakegithub import FakeGitHub  # noqa: E402
from analyzer.fakegithub.model import OrgModel  # noqa: E402

OFFICIAL_SDL = SPEC_PATH.parents[1] / "graphql" / "schema.graphql"


@pytest.fixture
def model() -> OrgModel:
    return build_tiny_org()


@pytest.fixture
def server(model: OrgModel) -> Iterator[FakeGitHub]:
    with FakeGitHub(model, tokens={TOKEN}) as gh:
        yield gh
        assert gh.errors == [], gh.errors[-1] if gh.errors else ""


def client(gh: FakeGitHub, **retry: Any) -> Github:
    """PyGithub as the brief prescribes for tests (no throttling, 100 per page)."""
    kwargs: dict[str, Any] = {}
    if retry:
        kwargs["retry"] = GithubRetry(**retry)
    return Github(base_url=gh.base_url, per_page=100, seconds_between_requests=None, auth=Auth.Token(TOKEN),
                  timeout=5, **kwargs)


@pytest.fixture
def github(server: FakeGitHub) -> Github:
    return client(server)


@pytest.fixture
def make_client() -> Callable[..., Github]:
    return client


@pytest.fixture
def needs_rest_spec() -> Path:
    if not SPEC_PATH.is_file():
        pytest.skip("../shared/github-api is absent")
    return SPEC_PATH


@pytest.fixture(scope="session")
def official_sdl() -> str:
    if not OFFICIAL_SDL.is_file():
        pytest.skip("../shared/github-api is absent")
    return OFFICIAL_SDL.read_text(encoding="utf-8")
