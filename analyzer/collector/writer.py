"""Store writes on one background thread, so page N is written while page N+1 is being fetched.

Requests stay serial (only the caller's thread talks HTTP) and writes stay in page order: a new write
waits for the previous one, so at most one is in flight. Each write is one whole transaction (a page's
rows with the sync state that covers them), which keeps ``kill -9`` safe: a write that never ran
leaves the store at the previous page, and the next run fetches that page again.

The caller must ``drain()`` before it reads the store itself, and must not touch the store while a
write is pending; then the connection is only ever used by one thread at a time.

While a writer is open the interpreter's thread switch interval is lowered (and restored on close):
the caller's thread makes many short system calls per request (connect, send, receive in chunks),
and at the default 5 ms each of them can wait that long for the lock held by a busy writer.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

SWITCH_INTERVAL = 0.0005  # seconds; measured: about 1 s less wall time over the benchmark's 350 requests


class PageWriter:
    """A single-slot write pipeline: ``submit`` a write, ``drain`` before reading or finishing."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        self._pending: Future[None] | None = None
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL))

    def submit(self, write: Callable[[], None]) -> None:
        """Run ``write`` after the previous write; re-raises that one's error, if it failed."""
        self.drain()
        self._pending = self._pool.submit(write)

    def drain(self) -> None:
        """Wait until every submitted write has committed; re-raises the error of a failed one."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Drain, then stop the thread (also when the drain raises)."""
        try:
            self.drain()
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
