"""Demo orgs shared by the demo tests (generated once per session)."""

from __future__ import annotations

import pytest

from analyzer.demo import generate_org
from analyzer.fakegithub.model import OrgModel


@pytest.fixture(scope="session")
def demo_full() -> OrgModel:
    return generate_org(seed=7, scale=1.0)


@pytest.fixture(scope="session")
def demo_tiny() -> OrgModel:
    return generate_org(seed=7, scale=0.05)
