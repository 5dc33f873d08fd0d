"""Freed memory goes back to the system once ``FrugalAllocation`` is started (the client of a cluster run)."""

from __future__ import annotations

import ctypes
import threading

import numpy as np
import psutil
import pyarrow as pa
import pytest

from analyzer.scores import memory
from analyzer.scores.memory import frugal_allocation

MB = 2**20


def rss() -> int:
    return int(psutil.Process().memory_info().rss)


def freed_but_kept() -> int:
    """On a thread (as the team-level steps run), allocate 128 MiB in blocks of 8 MiB with a small heap
    allocation after each, free the large blocks: the resident memory that stays."""
    kept: list[int] = []

    def work() -> None:
        before = rss()
        held: list[object] = []
        for _ in range(16):
            held.append(np.ones(MB))
            held.append(ctypes.create_string_buffer(1000))
        assert rss() - before > 100 * MB
        del held[::2]
        kept.append(rss() - before)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return kept[0]


@pytest.mark.skipif(memory._LIBC is None, reason="glibc only")  # noqa: SLF001
def test_large_buffers_go_back_to_the_system_when_freed() -> None:
    # glibc raises its threshold for mapping a block on its own up to 32 MiB as large blocks are freed;
    # set it there, as a long run finds it, then start frugal allocation
    memory._mmap_threshold(32 * MB)  # noqa: SLF001
    with frugal_allocation() as frugal:
        frugal.start()
        assert freed_but_kept() < 16 * MB
    # stopped: glibc's initial threshold (128 KiB), so blocks of 8 MiB are still mapped on their own
    assert freed_but_kept() < 16 * MB


def test_arrow_allocates_from_the_system_once_started_and_its_pool_is_restored() -> None:
    pool = pa.default_memory_pool()
    with frugal_allocation() as frugal:
        assert pa.default_memory_pool().backend_name == pool.backend_name  # not before start()
        frugal.start()
        assert pa.default_memory_pool().backend_name == "system"
        assert pa.array(np.arange(1_000_000)).to_numpy().sum() == 499_999_500_000
    assert pa.default_memory_pool().backend_name == pool.backend_name
