from __future__ import annotations

import pytest

from analyzer.demo import generate_org
from analyzer.fakegithub.model import OrgModel


@pytest.fixture()
def tiny_org() -> OrgModel:
    """A fresh small demo org (every trait, bots, ghosts, overflowing PRs) for each test."""
    return generate_org(seed=11, scale=0.05)
