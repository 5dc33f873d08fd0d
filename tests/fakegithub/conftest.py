"""Fixtures for the fake GitHub server's tests: the tiny org, a running server, PyGithub clients."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from github import Github
from graphql import GraphQLSchema, build_schema

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakegh_support import client  # noqa: E402
from openapi_check import OFFICIAL_SDL, SPEC_PATH  # noqa: E402
from tiny_org import TOKEN, build_tiny_org  # noqa: E402

from analyzer.fakegithub import FakeGitHub  # noqa: E402
from analyzer.fakegithub.model import OrgModel  # noqa: E402


@pytest.fixture
def model() -> OrgModel:
    return build_tiny_org()


@pytest.fixture
def server(model: OrgModel) -> Iterator[FakeGitHub]:
    with FakeGitHub(model, tokens={TOKEN}) as gh:
        yield gh
        assert gh.errors == [], gh.errors[-1] if gh.errors else ""


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
def official_schema() -> GraphQLSchema:
    """GitHub's whole public schema (built once; upstream quirks need the assume_valid flags)."""
    if not OFFICIAL_SDL.is_file():
        pytest.skip("../shared/github-api is absent")
    return build_schema(OFFICIAL_SDL.read_text(encoding="utf-8"), assume_valid_sdl=True, assume_valid=True)
