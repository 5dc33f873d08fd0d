"""House rules enforced in CI: ruff clean, mypy strict on the package, PyGithub and plotly kept in their folders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_ruff_is_clean() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "analyzer", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def _importers(module: str) -> set[str]:
    pattern = re.compile(rf"^\s*(from|import)\s+{module}\b", re.MULTILINE)
    return {
        str(path.relative_to(ROOT / "analyzer").parts[0])
        for path in (ROOT / "analyzer").rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }


def test_pygithub_stays_inside_the_collector_and_plotly_inside_the_report() -> None:
    assert _importers("github") <= {"collector"}
    assert _importers("plotly") <= {"report"}


def test_no_calibration_data_is_tracked() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert not re.search(r"toxicr|usefulness\.csv", tracked, re.IGNORECASE)
