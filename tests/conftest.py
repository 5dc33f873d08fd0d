"""Fixtures shared across the suite: the demo org served on loopback and collected into a store."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it skip cleanly where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (API descriptions and datasets live there)")
    return SHARED


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The full demo (scale 1.0): served, collected for real, scored and reported, once per session."""
    from analyzer.pipeline import run_demo

    out = tmp_path_factory.mktemp("demo")
    return run_demo(out, seed=7, scale=1.0)


@pytest.fixture(scope="session")
def demo_store(demo_run) -> Path:  # type: ignore[no-untyped-def]
    return Path(demo_run.store)
