"""Where independent scoring steps run: threads or one after another, with the same results and errors."""

from __future__ import annotations

import threading

import pytest

from analyzer.scores import schedule


def where(tag: str) -> tuple[str, str]:
    return tag, threading.current_thread().name


def boom() -> None:
    raise ValueError("step failed")


def test_no_threads_runs_each_step_at_once_in_the_callers_thread() -> None:
    with schedule.steps(0, "score") as later:
        first = later(where, "a")
        assert first.result() == ("a", threading.current_thread().name)
        with pytest.raises(ValueError, match="step failed"):  # raised where the step is started
            later(boom)


def test_threads_run_steps_beside_the_caller_and_raise_at_result() -> None:
    with schedule.steps(2, "score") as later:
        jobs = [later(where, tag) for tag in "abc"]
        failed = later(boom)
        assert [job.result()[0] for job in jobs] == ["a", "b", "c"]
        assert all(job.result()[1].startswith("score") for job in jobs)
        with pytest.raises(ValueError, match="step failed"):
            failed.result()
