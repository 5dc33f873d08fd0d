"""Every notebook runs top to bottom against a collected demo store, through the public API only."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def store(request: pytest.FixtureRequest) -> Path:
    """ANALYZER_DEMO_STORE if set, else the suite's ``demo_store`` fixture (tests/conftest.py)."""
    env = os.environ.get("ANALYZER_DEMO_STORE")
    if env:
        return Path(env)
    path = request.getfixturevalue("demo_store")
    return Path(path)


def test_notebooks_exist() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {"01_org_overview", "02_person_deep_dive", "03_calibration_and_weights"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has stored outputs"
            # public API only: no private helpers, no direct plotly (charts come from analyzer.report.charts)
            assert "analyzer.report.figures" not in cell.source and "import plotly" not in cell.source


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_DEMO_STORE", str(store))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    # the last chart or table really rendered something
    assert any(c.outputs for c in nb.cells if c.cell_type == "code")
