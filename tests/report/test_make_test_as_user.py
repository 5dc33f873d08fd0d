"""The README's test command as a normal user: a fresh unprivileged account with its own copy of the
checkout runs `make test` (its own venv, no apt, no root) on the browser tests. With chromium present
they pass; with it absent `make test` still succeeds, says in one line how to get it, and the browser
tests skip with that same line.

Creating the account needs root (CI runs as root on Debian); elsewhere the test skips and says why.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer.report.browser import CHROMIUM_ENV, CHROMIUM_HINT, find_chromium

ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS = "tests/report/test_browser.py"
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "out", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.egg-info"
)
# What a user's own environment would carry over: the package registry settings and proxies.
PASSED_ON = re.compile(r"^(PIP_\w+|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)$")

pytestmark = pytest.mark.slow


def _needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("creating an unprivileged user needs root (CI runs as root)")
    missing = [tool for tool in ("useradd", "userdel", "runuser", "make") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    if find_chromium() is None:
        pytest.skip(CHROMIUM_HINT)
    python = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
    if python is None or subprocess.run([python, "-c", "import ensurepip, venv"], capture_output=True).returncode:
        pytest.skip("the system python3 cannot create a venv (Debian: apt-get install python3-venv)")


@pytest.fixture(scope="module")
def account() -> Iterator[tuple[str, Path]]:
    """A new unprivileged user with a copy of this checkout (without .venv or outputs) in their home."""
    _needs_root()
    name = f"anz{os.getpid() % 100000}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True, capture_output=True)
    try:
        home = Path(pwd.getpwnam(name).pw_dir)
        checkout = home / "analyzer"
        shutil.copytree(ROOT, checkout, ignore=NOT_COPIED, symlinks=True)
        subprocess.run(["chown", "-R", f"{name}:{name}", str(home)], check=True)
        yield name, checkout
    finally:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def _make_test(name: str, checkout: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`make test` limited to the browser tests, as ``name``, in a clean login-like environment."""
    home = pwd.getpwnam(name).pw_dir
    inherited = {k: v for k, v in os.environ.items() if PASSED_ON.match(k)}
    clean = {"HOME": home, "USER": name, "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    assignments = [f"{k}={v}" for k, v in {**inherited, **clean, **env}.items()]
    return subprocess.run(
        ["runuser", "-u", name, "--", "env", "-i", *assignments, "make", "-C", str(checkout), "test",
         f"TESTS={BROWSER_TESTS}"],
        capture_output=True,
        text=True,
        timeout=3000,
    )


def test_make_test_as_a_normal_user_runs_the_browser_tests(account: tuple[str, Path]) -> None:
    name, checkout = account
    done = _make_test(name, checkout)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "Could not open lock file" not in out and "apt-get" not in out  # nothing needed root
    assert (checkout / ".venv" / "bin" / "python").exists()
    counts = re.search(r"(\d+) passed", out)
    assert counts is not None and int(counts.group(1)) >= 4, out[-2000:]
    assert "skipped" not in out


def test_without_chromium_make_test_says_how_to_get_it(account: tuple[str, Path]) -> None:
    name, checkout = account
    done = _make_test(name, checkout, **{CHROMIUM_ENV: "/nonexistent/chromium"})
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "Traceback" not in out and "failed" not in out
    hint_lines = [line for line in out.splitlines() if line.strip() == CHROMIUM_HINT]
    assert hint_lines, out[-2000:]  # make says it once, in one line, before the tests run
    assert re.search(r"SKIPPED \[\d+\] .*" + re.escape(CHROMIUM_HINT), out), out[-2000:]
    assert re.search(r"\d+ skipped", out), out[-2000:]
