"""The page writer: writes run in order, one at a time, off the caller's thread, a bounded number
waiting; a failure skips the writes queued behind it and comes back to the caller."""

from __future__ import annotations

import threading
import time

import pytest

from analyzer.collector.writer import PageWriter


def test_writes_run_in_submission_order_on_one_background_thread() -> None:
    done: list[tuple[int, str]] = []
    caller = threading.current_thread().name
    with PageWriter() as writer:
        for page in range(5):
            writer.submit(lambda page=page: done.append((page, threading.current_thread().name)))
    assert [page for page, _ in done] == list(range(5))
    assert len({name for _, name in done}) == 1 and done[0][1] != caller


def test_submit_returns_before_the_write_finishes_and_drain_waits_for_it() -> None:
    started, release = threading.Event(), threading.Event()
    finished: list[bool] = []

    def slow_write() -> None:
        started.set()
        release.wait(5)
        finished.append(True)

    with PageWriter() as writer:
        writer.submit(slow_write)
        assert started.wait(5)
        assert finished == []  # the caller is free while the write runs (the next request goes out)
        release.set()
        writer.drain()
        assert finished == [True]


def test_writes_run_one_at_a_time() -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def write() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1

    with PageWriter() as writer:
        for _ in range(4):
            writer.submit(write)
    assert most == 1


def test_a_failed_write_is_raised_at_the_next_submit_or_drain() -> None:
    def broken() -> None:
        raise OSError("disk full")

    writer = PageWriter(depth=1)  # each submit first waits for the write before it
    writer.submit(broken)
    with pytest.raises(OSError, match="disk full"):
        writer.submit(lambda: None)
    writer.submit(broken)
    with pytest.raises(OSError, match="disk full"):
        writer.close()


def test_submit_blocks_while_depth_writes_are_waiting() -> None:
    release = threading.Event()
    submitted: list[int] = []
    writer = PageWriter(depth=2)

    def caller() -> None:
        for page in range(3):
            writer.submit(lambda: release.wait(5))
            submitted.append(page)

    thread = threading.Thread(target=caller)
    thread.start()
    deadline = time.monotonic() + 5
    while len(submitted) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)  # time enough for a third submit that did not block
    assert submitted == [0, 1], "the third page waits for room"
    release.set()
    thread.join(5)
    assert submitted == [0, 1, 2]
    writer.close()


def test_writes_queued_behind_a_failed_one_are_skipped_and_the_writer_recovers() -> None:
    release = threading.Event()
    committed: list[int] = []

    def failing_page() -> None:
        release.wait(5)
        raise OSError("disk full")

    writer = PageWriter(depth=4)
    writer.submit(lambda: committed.append(1))
    writer.submit(failing_page)
    writer.submit(lambda: committed.append(3))  # each assumes page 2 committed: must not run
    writer.submit(lambda: committed.append(4))
    release.set()
    with pytest.raises(OSError, match="disk full"):
        writer.drain()
    assert committed == [1]
    writer.submit(lambda: committed.append(5))  # after the caller has seen the failure: usable again
    writer.close()
    assert committed == [1, 5]


def test_leaving_on_an_error_finishes_the_pending_write_and_keeps_the_callers_error() -> None:
    finished: list[bool] = []

    def write() -> None:
        time.sleep(0.02)
        finished.append(True)
        raise OSError("also broken")

    with pytest.raises(KeyError), PageWriter() as writer:
        writer.submit(write)
        raise KeyError("the caller's own failure")
    assert finished == [True]


def test_the_switch_interval_is_lowered_while_open_and_restored_after() -> None:
    import sys

    before = sys.getswitchinterval()
    with PageWriter():
        assert sys.getswitchinterval() <= 0.001
    assert sys.getswitchinterval() == before
