"""Where the independent steps of a scoring run execute: on a few threads, or one after another.

Scoring code says only *which* steps are independent: ``start(step, *args)`` now, ``.result()`` where the
value is needed. Every step only reads its inputs and results are combined in a fixed order, so the
number of threads changes when a step finishes, never what any table holds. numpy, pandas, Arrow and
the hashing release the interpreter lock in their heavy loops, which is what lets two threads overlap;
whether that pays is measured by benchmarks/score_speed.py (see docs/ARCHITECTURE.md for the figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, ParamSpec, Protocol, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
P = ParamSpec("P")


class Pending(Protocol[T_co]):
    """A step started earlier; ``result()`` waits for its value (or raises what the step raised)."""

    def result(self) -> T_co: ...


class Start(Protocol):
    """Starts one step: ``start(function, *args, **kwargs)``."""

    def __call__(self, step: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Pending[T]: ...


@dataclass(frozen=True)
class _Done(Generic[T]):
    value: T

    def result(self) -> T:
        return self.value


def _now(step: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Pending[T]:
    return _Done(step(*args, **kwargs))


@contextmanager
def steps(threads: int, name: str) -> Iterator[Start]:
    """A ``start`` for the block: steps run on ``threads`` threads named ``name-N`` while the caller
    goes on (0: each step runs at once, in the caller's thread). Leaving the block waits for them all."""
    if threads <= 0:
        yield _now
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name) as pool:
        yield pool.submit
