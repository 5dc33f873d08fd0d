"""The fake server in a child process, for benchmarks: like GitHub, it does not share the client's GIL.

``FakeGitHub`` normally runs in a thread of the test process, where every millisecond it computes
competes with the client under test for the interpreter lock. A benchmark that times a client wants
the server elsewhere, as the real GitHub is. The child builds its own model from a picklable factory
(e.g. ``functools.partial(generate_org, seed=7, scale=1.35)``: deterministic, so it equals the
parent's copy) and is driven over a pipe: reset the request log, read the operations it answered.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.fakegithub.model import OrgModel
from analyzer.fakegithub.ratelimit import RateLimits
from analyzer.fakegithub.server import FakeGitHub

ModelFactory = Callable[[], OrgModel]


class RemoteFakeGitHub:
    """The parent's handle on a server running in a child process (see ``serve_in_subprocess``)."""

    def __init__(self, conn: Connection, base_url: str) -> None:
        self._conn = conn
        self.base_url = base_url

    def _ask(self, command: str) -> Any:
        self._conn.send(command)
        return self._conn.recv()

    def reset_log(self) -> None:
        """Forget the requests answered so far."""
        self._ask("reset_log")

    def operations(self) -> list[str | None]:
        """The operation of every request answered since the last reset, in order.

        An OpenAPI path template (e.g. ``/repos/{owner}/{repo}/commits/{ref}``), ``"graphql"``, or
        None for a path the server does not know.
        """
        answer: list[str | None] = self._ask("operations")
        return answer

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user + system, all its threads)."""
        answer: float = self._ask("cpu_seconds")
        return answer

    def errors(self) -> list[str]:
        """Tracebacks of requests the fake itself failed to answer (empty when all is well)."""
        answer: list[str] = self._ask("errors")
        return answer


@contextmanager
def serve_in_subprocess(
    make_model: ModelFactory,
    *,
    tokens: set[str] | None = None,
    latency: float = 0.0,
    rate_limit: RateLimits | None = None,
    start_timeout: float = 300.0,
) -> Iterator[RemoteFakeGitHub]:
    """Serve ``make_model()`` on 127.0.0.1 from a child process until the block ends."""
    context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
    parent_end, child_end = context.Pipe()
    process = context.Process(
        target=_serve, args=(child_end, make_model, tokens, latency, rate_limit), name="fakegithub", daemon=True
    )
    process.start()
    child_end.close()
    try:
        if not parent_end.poll(start_timeout):
            raise AnalyzerError(f"the fake GitHub server process did not start within {start_timeout:.0f} s")
        status, detail = parent_end.recv()
        if status != "ready":
            raise AnalyzerError(f"the fake GitHub server process failed to start: {detail}")
        yield RemoteFakeGitHub(parent_end, str(detail))
    finally:
        _stop(process, parent_end)


def _stop(process: Any, conn: Connection) -> None:
    with contextlib.suppress(OSError):  # a broken pipe: the child is already gone
        conn.send("stop")
    process.join(timeout=10)
    if process.is_alive():
        process.terminate()
        process.join(timeout=10)
    conn.close()


def _serve(
    conn: Connection,
    make_model: ModelFactory,
    tokens: set[str] | None,
    latency: float,
    rate_limit: RateLimits | None,
) -> None:
    """The child: build the model, start the server, answer commands until "stop" or a closed pipe."""
    try:
        model = make_model()
        # The model lives as long as the process and never becomes garbage: keep the collector from
        # re-scanning its million objects (measured: 0.6 s of a 12 s benchmark run on a 2,000-PR org),
        # and let a big page's ~100,000 short-lived objects pass with fewer young collections (0.2 s).
        gc.freeze()
        gc.set_threshold(20_000, 20, 10)
        server = FakeGitHub(model, tokens=tokens, latency=latency, rate_limit=rate_limit)
        server.start()
    except Exception:  # noqa: BLE001 - reported to the parent, which raises a typed error
        conn.send(("error", traceback.format_exc(limit=5)))
        return
    conn.send(("ready", server.base_url))
    try:
        while True:
            try:
                command = conn.recv()
            except EOFError:
                return
            if command == "stop":
                return
            conn.send(_answer(server, command))
    finally:
        server.stop()


def _answer(server: FakeGitHub, command: str) -> Any:
    if command == "reset_log":
        server.reset_log()
        return None
    if command == "operations":
        return server.operations()
    if command == "cpu_seconds":
        return time.process_time()
    if command == "errors":
        return list(server.errors)
    return None
