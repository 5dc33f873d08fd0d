"""Helpers for tests that drive the fake server: PyGithub clients and raw REST/GraphQL calls."""

from __future__ import annotations

from typing import Any

import requests
from github import Auth, Github, GithubRetry
from tiny_org import TOKEN

from analyzer.fakegithub import FakeGitHub


def client(gh: FakeGitHub, **retry: Any) -> Github:
    """PyGithub as the brief prescribes for tests (no throttling, 100 per page)."""
    kwargs: dict[str, Any] = {}
    if retry:
        kwargs["retry"] = GithubRetry(**retry)
    return Github(
        base_url=gh.base_url,
        per_page=100,
        seconds_between_requests=None,
        auth=Auth.Token(TOKEN),
        timeout=5,
        **kwargs,
    )


def api_get(gh: FakeGitHub, path: str, /, headers: dict[str, str] | None = None, **params: Any) -> Any:
    """A raw authenticated GET (``requests.Response``) against the server's REST base."""
    url = path if path.startswith("http") else gh.base_url + path
    return requests.get(
        url, params=params, timeout=5, headers={"Authorization": f"token {TOKEN}", **(headers or {})}
    )


def graphql(gh: FakeGitHub, query: str, variables: dict[str, Any] | None = None, token: str = TOKEN) -> Any:
    """A raw GraphQL POST; returns the ``requests.Response``."""
    return requests.post(
        gh.graphql_url,
        json={"query": query, "variables": variables or {}},
        timeout=5,
        headers={"Authorization": f"bearer {token}"},
    )
