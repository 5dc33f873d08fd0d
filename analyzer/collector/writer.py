"""Store writes on one background thread, so earlier pages are written while later ones are fetched.

Requests stay serial (only the caller's thread talks HTTP) and writes stay in page order: one thread
runs them one after another, at most ``depth`` of them waiting. Each write is one whole transaction
(a page's rows with the sync state that covers them), which keeps ``kill -9`` safe: a write that never
ran leaves the store at the page before it, and the next run fetches from there again. After a write
fails, the writes queued behind it are dropped unrun (each assumes the ones before it committed) and
the failure is raised to the caller at its next ``submit`` or ``drain``.

The caller must ``drain()`` before it reads the store itself, and must not touch the store while
writes are pending; then the connection is only ever used by one thread at a time.

Several collecting threads (one per credential, ``run.py``) share the one writer thread through
``lane()``s: each lane has its own pending writes, order and failure (a truncated page of one
repository never skips another's writes), and reads the store through ``read``, which runs on the
writer thread too. The store's connection is then used by the writer thread alone, and a read sees
every write submitted before it (the thread runs them first come, first served).

While a writer is open the interpreter's thread switch interval is lowered (and restored on close):
the caller's thread makes many short system calls per request (connect, send, receive in chunks),
and at the default 5 ms each of them can wait that long for the lock held by a busy writer.
"""

from __future__ import annotations

import contextlib
import sys
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import TypeVar

SWITCH_INTERVAL = 0.0005  # seconds; measured: about 1 s less wall time over the benchmark's 350 requests
DEPTH = 4  # pages that may wait for the writer: a burst of big pages does not stall the requests
T = TypeVar("T")


class WriterLane:
    """One caller's ordered writes on a shared writer thread: ``submit``, ``drain``, ``read``."""

    def __init__(self, pool: Executor, depth: int = DEPTH) -> None:
        self._pool = pool
        self._pending: deque[Future[None]] = deque()
        self._depth = max(1, depth)
        self._failed = False

    def submit(self, write: Callable[[], None]) -> None:
        """Queue ``write`` after the earlier ones; re-raises the error of one that failed.

        Blocks while ``depth`` writes are already waiting.
        """
        while self._pending and (self._pending[0].done() or len(self._pending) >= self._depth):
            self._settle(self._pending.popleft())
        self._pending.append(self._pool.submit(self._guarded, write))

    def drain(self) -> None:
        """Wait until every submitted write has committed; re-raises the error of a failed one."""
        while self._pending:
            self._settle(self._pending.popleft())

    def _settle(self, future: Future[None]) -> None:
        try:
            future.result()
        except BaseException:
            # The writes queued behind it are being skipped: let them all end before the writer is
            # usable again, or one could still run after the reset and commit past the failed page.
            for later in self._pending:
                later.exception()
            self._pending.clear()
            self._failed = False
            raise

    def _guarded(self, write: Callable[[], None]) -> None:
        """Runs on the writer thread: skip writes queued behind a failure."""
        if self._failed:
            raise WriteSkipped("an earlier write failed")
        try:
            write()
        except BaseException:
            self._failed = True
            raise

    def read(self, query: Callable[[], T]) -> T:
        """Run ``query`` on the writer thread after this lane's writes; re-raises a failed write's error."""
        self.drain()
        return self._pool.submit(query).result()


class PageWriter(WriterLane):
    """An ordered write pipeline: ``submit`` writes, ``drain`` before reading or finishing."""

    def __init__(self, depth: int = DEPTH) -> None:
        super().__init__(ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer"), depth)
        self._lanes: list[WriterLane] = []
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL))

    def lane(self) -> WriterLane:
        """Another caller's lane on the same writer thread."""
        lane = WriterLane(self._pool, self._depth)
        self._lanes.append(lane)
        return lane

    def close(self) -> None:
        """Drain (every lane), then stop the thread (also when a drain raises)."""
        try:
            for lane in [*self._lanes, self]:
                lane.drain()
        finally:
            self._pool.shutdown(wait=True)
            sys.setswitchinterval(self._switch_interval)

    def __enter__(self) -> PageWriter:
        return self

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        if exc_type is None:
            self.close()
            return
        # Already failing: finish what is in flight, but let the caller's error be the one reported.
        with contextlib.suppress(Exception):
            self.close()


class WriteSkipped(Exception):
    """A queued write that did not run because an earlier one failed (never reaches the caller)."""
