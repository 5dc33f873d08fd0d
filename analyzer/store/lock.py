"""One `analyzer score` at a time per store: an exclusive lock on ``<store>.score-lock``.

Two score runs on one store would race for the score cache and the score tables. The lock is an OS
file lock (``flock``; ``msvcrt.locking`` on Windows) on a small file beside the store, so it is released
by the OS however the holder ends, ``kill -9`` included: there is never a stale lock to clean up. The
file records the holder's pid and start time for the one-line message the second run gets, and is
emptied on release.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from analyzer.errors import StoreError
from analyzer.outputs import reason


def lock_path(store: str | Path) -> Path:
    path = Path(store).expanduser()
    return path.with_name(f"{path.name}.score-lock")


@contextmanager
def score_lock(store: str | Path) -> Iterator[None]:
    """Hold the store's score lock for the block; ``StoreError`` at once when another run holds it."""
    path = lock_path(store)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"cannot score {Path(store)}: cannot create its lock file {path} ({reason(exc)});"
            " copy the store to a writable folder and score it there"
        ) from exc
    try:
        if not _try_lock(fd):
            raise StoreError(
                f"another `analyzer score` is already scoring {Path(store)} ({_holder(fd)}); wait for it to"
                " finish, then run this again"
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {datetime.now(tz=UTC):%Y-%m-%d %H:%M:%S} UTC\n".encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # empty while nobody holds it (a kill -9 leaves the holder's line: harmless)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "its pid is unknown"
