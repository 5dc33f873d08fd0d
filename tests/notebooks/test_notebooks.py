"""Every notebook runs top to bottom in a real Jupyter kernel (this venv's Python) against the scored demo
store, started in notebooks/ as JupyterLab starts it, through the public API only, and is stored without
outputs; without a store it says what to run."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# The analyzer modules a notebook may import: the package's public API, the chart builders, calibration.
PUBLIC_MODULES = {"analyzer", "analyzer.report.charts", "analyzer.report", "analyzer.scores.calibration"}
IMPORT_RE = re.compile(r"^\s*(?:from\s+(analyzer[\w.]*)\s+import\s+([\w, ]+)|import\s+(analyzer[\w.]*))", re.M)


@pytest.fixture(scope="module")
def store(request: pytest.FixtureRequest) -> Path:
    """ANALYZER_DEMO_STORE if set, else the suite's scored ``demo_store`` (tests/conftest.py)."""
    env = os.environ.get("ANALYZER_DEMO_STORE")
    return Path(env) if env else Path(request.getfixturevalue("demo_store"))


@pytest.fixture(scope="module")
def venv_kernel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 'python3' kernelspec that starts this interpreter (the venv's), first on JUPYTER_PATH, so no
    system-wide kernel with another Python (and without analyzer installed) can be picked."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3 (analyzer venv)", "language": "python"})
    )
    return root


def _code(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_notebooks_exist() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {"01_org_overview", "02_person_deep_dive", "03_calibration_and_weights"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has stored outputs"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_the_public_api_only(path: Path) -> None:
    source = "\n".join(_code(path))
    assert "import plotly" not in source and "from plotly" not in source  # charts come from the builders
    modules = {m.group(1) or m.group(3) for m in IMPORT_RE.finditer(source)}
    assert modules and modules <= PUBLIC_MODULES
    assert not re.search(r"\._[a-z]", source.replace("_repr_", ""))  # no private helpers
    assert "charts." in source  # every notebook rebuilds report charts


@pytest.fixture(scope="module")
def checkout(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository layout as a user has it after `make demo`: notebooks/ and out/demo/demo.sqlite,
    so the notebooks must find the store themselves (no ANALYZER_DEMO_STORE)."""
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    (root / "out" / "demo").mkdir(parents=True)
    with sqlite3.connect(store) as src, closing(sqlite3.connect(root / "out" / "demo" / "demo.sqlite")) as dst:
        src.backup(dst)  # a consistent copy, WAL included
    return root


def _run(path: Path, kernels: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch, store: Path | None = None) -> nbformat.NotebookNode:
    """Execute ``path`` in a kernel started in ``cwd`` (JupyterLab starts it in the notebook's folder)."""
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(kernels), os.environ.get("JUPYTER_PATH")])))
    if store is None:
        monkeypatch.delenv("ANALYZER_DEMO_STORE", raising=False)
    else:
        monkeypatch.setenv("ANALYZER_DEMO_STORE", str(store))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def test_kernel_is_this_venvs_python(venv_kernel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    path = tmp_path / "probe.ipynb"
    nbformat.write(probe, path)
    nb = _run(path, venv_kernel, tmp_path, monkeypatch, tmp_path / "unused.sqlite")
    assert nb.cells[0].outputs[0]["text"].strip() == sys.executable


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_executes_from_the_notebooks_folder(
    name: str, venv_kernel: Path, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = checkout / "notebooks"
    nb = _run(folder / name, venv_kernel, folder, monkeypatch)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count is not None for c in code)  # ran top to bottom
    # the report's charts were rebuilt: plotly figures came out of the kernel
    figures = [o for c in code for o in c.outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert figures, f"{name} drew no chart"


def test_without_a_store_the_notebook_says_what_to_run(
    venv_kernel: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    with pytest.raises(CellExecutionError) as err:
        _run(folder / NOTEBOOKS[0].name, venv_kernel, folder, monkeypatch)
    assert "NoDataError" in str(err.value)
    assert "run make demo / analyzer collect first" in str(err.value)
    assert "score first" not in str(err.value)


def test_find_store_walks_up_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.errors import NoDataError
    from analyzer.report import find_store

    monkeypatch.delenv("ANALYZER_DEMO_STORE", raising=False)
    deep = tmp_path / "repo" / "notebooks" / "drafts"
    deep.mkdir(parents=True)
    with pytest.raises(NoDataError, match="run make demo / analyzer collect first"):
        find_store(deep)
    demo = tmp_path / "repo" / "out" / "demo" / "demo.sqlite"
    demo.parent.mkdir(parents=True)
    demo.write_bytes(b"")
    assert find_store(deep) == demo
    (tmp_path / "repo" / "config.toml").write_text('[store]\npath = "mine.sqlite"\n')
    assert find_store(deep) == demo  # the configured store does not exist yet: the demo's is used
    (tmp_path / "repo" / "mine.sqlite").write_bytes(b"")
    assert find_store(deep) == tmp_path / "repo" / "mine.sqlite"
    monkeypatch.setenv("ANALYZER_DEMO_STORE", str(tmp_path / "missing.sqlite"))
    with pytest.raises(NoDataError, match="run make demo / analyzer collect first"):
        find_store(deep)
