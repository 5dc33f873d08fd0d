"""A small demo org collected for real (served on loopback) into a store, once per session; each test
works on copies."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from analyzer.demo import generate_org
from tests.collector.helpers import run, served


@pytest.fixture(scope="session")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding a small demo org (about 80 PRs), collected over HTTP; never written to by tests."""
    store = tmp_path_factory.mktemp("collected") / "s.sqlite"
    model = generate_org(seed=5, scale=0.05)
    with served(model) as server:
        run(server, model, store)
    with sqlite3.connect(store) as conn:  # everything in the main file: tests copy that file alone
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store


@pytest.fixture()
def store(collected: Path, tmp_path: Path) -> Path:
    """A copy of the collected store in this test's folder (also the working directory of CLI runs)."""
    copy = tmp_path / "s.sqlite"
    shutil.copyfile(collected, copy)
    return copy


@dataclass(frozen=True)
class Mount:
    """A small tmpfs mounted for one test (root only: CI runs as root)."""

    path: Path

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True, capture_output=True)

    @contextmanager
    def writable(self) -> Iterator[Path]:
        """Read-write for the block (to put files on it), read-only again afterwards."""
        self.remount("rw")
        try:
            yield self.path
        finally:
            self.remount("ro")


@contextmanager
def mounted(folder: Path, size: str) -> Iterator[Mount]:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (CI runs as root); run the suite as root to cover this")
    folder.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()}): a container without CAP_SYS_ADMIN?")
    try:
        yield Mount(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture()
def read_only_mount(tmp_path: Path) -> Iterator[Mount]:
    """A read-only file system (a tmpfs remounted read-only); ``writable()`` to put files on it."""
    with mounted(tmp_path / "read-only", "64m") as mount:
        mount.remount("ro")
        yield mount
