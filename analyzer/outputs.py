"""Files analyzer writes for people (the report, Parquet files, meta.json): checked before a long step
starts, written atomically, and every failure is one line saying what to do.

Atomic: each file is written beside its target under a temporary name (``.<name>.<pid>.tmp``), flushed
to disk, and only then renamed over the target. A reader sees the previous file or the new one, never
a part of either; a full disk, a kill or an error leaves the previous file whole. ``AtomicFiles``
moves a set of files into place together, after the caller's other work (the score tables' commit)
has succeeded.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from analyzer.errors import OutputError

# why a write failed, in words (errno), and what to do about it
REASONS: dict[int, str] = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "it is on a read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "part of its path is a file, not a folder",
    errno.EEXIST: "part of its path is a file, not a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "an input/output error (failing disk?)",
}
FULL = (errno.ENOSPC, errno.EDQUOT)


def reason(exc: OSError) -> str:
    """``exc`` in words (Arrow's I/O errors carry no errno, only the C library's text)."""
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    text = str(exc)
    for code, words in REASONS.items():
        if os.strerror(code) in text:
            return words
    if exc.strerror:
        return exc.strerror
    return text.splitlines()[0] if text else type(exc).__name__


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in FULL or any(os.strerror(code) in str(exc) for code in FULL)


def output_error(what: str, path: Path, exc: OSError, flag: str) -> OutputError:
    """One line for a failed write of ``what`` at ``path``; ``flag`` is how to choose another place."""
    if is_disk_full(exc):
        fix = "free some space and run the same command again (nothing was replaced)"
    else:
        fix = f"choose another place with {flag}"
    return OutputError(f"cannot write {what} {path}: {reason(exc)}; {fix}")


def check_file_target(path: str | Path, what: str, flag: str) -> Path:
    """``path`` (``~`` expanded) if a file can be written there; else ``OutputError`` before any work:
    the path is a folder, a parent is a file, or the nearest existing folder cannot be written."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise OutputError(f"{what} {target} is a folder; give {flag} a file name such as {target / 'x'}")
    _check_creatable(target.parent, what, target, flag)
    return target


def check_folder_target(path: str | Path, what: str, flag: str) -> Path:
    """``path`` (``~`` expanded) if it is, or can become, a writable folder; else ``OutputError``."""
    target = Path(path).expanduser()
    if target.exists() and not target.is_dir():
        raise OutputError(f"{what} {target} is a file, not a folder; give {flag} a folder")
    _check_creatable(target, what, target, flag)
    return target


def make_folder(path: Path, what: str, flag: str) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(what, path, exc, flag) from exc
    return path


def _check_creatable(folder: Path, what: str, target: Path, flag: str) -> None:
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"cannot write {what} {target}: {existing} is a file, not a folder; choose another"
                          f" place with {flag}")
    if not os.access(existing, os.W_OK | os.X_OK):
        why = "is on a read-only file system" if _read_only_fs(existing) else "cannot be written (permission)"
        raise OutputError(f"cannot write {what} {target}: {existing} {why}; choose another place with {flag}")


def _read_only_fs(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def temp_name(target: Path, pid: int | None = None) -> Path:
    return target.with_name(f".{target.name}.{os.getpid() if pid is None else pid}.tmp")


def sweep(target: Path) -> None:
    """Remove temporary files of ``target`` left by writers that were killed (their pid is gone)."""
    for temp in target.parent.glob(f".{target.name}.*.tmp"):
        pid = temp.name[len(target.name) + 2 : -4]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            temp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # no cheap liveness check: leave the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class AtomicFiles:
    """Files written aside, then moved over their targets together by ``publish``; leaving the block
    without publishing removes the temporary files and leaves every target as it was."""

    def __init__(self, what: str, flag: str) -> None:
        self.what = what
        self.flag = flag
        self.pending: list[tuple[Path, Path]] = []

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        for temp, _ in self.pending:
            temp.unlink(missing_ok=True)
        self.pending = []

    def write(self, target: Path, fill: Callable[[Path], object]) -> None:
        """``fill(temp)`` writes the file's content to ``temp``; it is flushed to disk here."""
        temp = temp_name(target)
        self.pending.append((temp, target))
        try:
            sweep(target)
            fill(temp)
            with open(temp, "rb+") as handle:
                os.fsync(handle.fileno())
        except OSError as exc:
            raise output_error(self.what, target, exc, self.flag) from exc

    def publish(self) -> list[Path]:
        """Move every written file over its target (renames: no space needed, each one atomic)."""
        done: list[Path] = []
        try:
            for temp, target in self.pending:
                os.replace(temp, target)
                done.append(target)
        except OSError as exc:
            raise output_error(self.what, target, exc, self.flag) from exc
        self.pending = self.pending[len(done) :]
        return done


def write_atomically(target: Path, data: bytes, what: str, flag: str) -> Path:
    """``data`` into ``target`` via a temporary file and a rename (the previous file stays whole on any
    failure); failures are ``OutputError``."""
    make_folder(target.parent, what, flag)
    with AtomicFiles(what, flag) as files:
        files.write(target, lambda temp: temp.write_bytes(data))
        files.publish()
    return target
