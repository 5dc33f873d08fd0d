"""Exposure of each PR's author to each person before the PR (docs/methodology.md, "Multiplier effect").

Two channels of interaction with person r count towards the exposure of PR j (opened at t_j by author a):

- reviews: r's review of one of a's PRs (the time of r's first review on that PR); it counts for every
  later PR of a, as the learning it stands for does;
- docs: a merged PR of r's that changed a documentation file j changes (the time of its merge), within
  the ``tau`` days before t_j; it counts for j alone (the docs a PR changes are read for that PR). Only
  docs the PR itself changes, and only recent ones, so a README everyone edits does not make everyone
  exposed to everyone (``recent_doc_writes``).

Both are interactions of one kind ("worked with r": her reviews, or her docs the PR changed), so r has one
exposure and one effect (the model's choice, docs/methodology.md says why). Two kernels (``KERNELS``; the
model's default is the window):

- ``window``: 1 when some interaction with r lies in the ``tau`` days before j (90 by default), else 0:
  "the following three months" of the report's sentence, literally. An effect "at full exposure" is then
  the effect on every PR of those three months, a regime the data visits often, so its estimate rests on
  every switch on and off of the window (measured on the demo: 3 to 4 times the information about a 20 %
  effect of the decayed kernel's "full exposure", which needs several recent reviews);
- ``decayed``: a decayed, saturating count, ``1 - exp(-sum_i exp(-(t_j - t_i) / tau))``: 0.63 for one
  interaction just before, near 1 after several recent ones, e^-1 of a fresh one's weight after tau.

The demo generator plants its ground-truth effects on this same quantity (``analyzer.demo.causal``), so
the simulation study measures the model against the estimand it states. Pure numpy: no pandas, so the
generator can use the scalar form cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Kernel = Literal["window", "decayed"]
KERNELS: tuple[Kernel, ...] = ("window", "decayed")
DEFAULT_KERNEL: Kernel = "window"
DEFAULT_TAU_DAYS = 90.0
NS_PER_DAY = 86_400 * 10**9
Ints = npt.NDArray[np.int64]


def saturate(total: float | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The saturating map from a decayed interaction count (>= 0) to exposure in [0, 1)."""
    return np.asarray(-np.expm1(-np.asarray(total, dtype=np.float64)), dtype=np.float64)


def exposure_at(
    moment_days: float,
    interaction_days: Iterable[float],
    tau_days: float = DEFAULT_TAU_DAYS,
    kernel: Kernel = DEFAULT_KERNEL,
) -> float:
    """Scalar exposure at ``moment_days`` given interaction times (days, any origin; later ones ignored):
    the author's reviews by r and r's recent writes of docs the PR changes (``is_recent``) together."""
    ages = [moment_days - t for t in interaction_days if t < moment_days]
    if kernel == "window":
        return 1.0 if ages and min(ages) < tau_days else 0.0
    return -math.expm1(-sum(math.exp(-age / tau_days) for age in ages))


def is_recent(moment_days: float, written_days: float, tau_days: float = DEFAULT_TAU_DAYS) -> bool:
    """Does a doc write at ``written_days`` count for a PR opened at ``moment_days`` (in the tau days before)?"""
    return 0 < moment_days - written_days < tau_days


@dataclass(frozen=True)
class PRInteractions:
    """Interactions that count for one PR alone (the docs channel): PR row, person code, time (ns)."""

    row: Ints
    person: Ints
    time_ns: Ints


def _ranks(*times: Ints) -> tuple[list[Ints], int]:
    """Each array's times as ranks among all of them (equal times, equal ranks) and a bound above every
    rank: keys (group x bound + rank) stay far inside int64, which (group, nanoseconds) did not (150
    authors over two years overflowed it, and the sorted keys were no longer sorted)."""
    every = np.unique(np.concatenate([np.asarray(t, dtype=np.int64) for t in times]))
    return [np.searchsorted(every, t).astype(np.int64) for t in times], len(every) + 1


def recent_doc_writes(
    touch_row: Ints,
    touch_file: Ints,
    touch_author: Ints,
    touch_time_ns: Ints,
    write_file: Ints,
    write_person: Ints,
    write_change: Ints,
    write_time_ns: Ints,
    tau_days: float = DEFAULT_TAU_DAYS,
) -> PRInteractions:
    """The docs channel: per PR row, the writes of the doc files it changes by someone other than its
    author in the ``tau`` days before it (``is_recent``), one per (row, writing change).

    ``touch_*``: one row per (PR, doc file it changes) with the PR's row, author code and opening time;
    ``write_*``: one row per (merged change, doc file it changed) with the writer's code, the change's id
    and its merge time. Writes are sorted by (file, time); two binary searches per touch find the writes
    of its file in its window, so the work is the pairs found, not touches x writes."""
    empty = np.zeros(0, dtype=np.int64)
    if len(touch_row) == 0 or len(write_file) == 0:
        return PRInteractions(empty, empty, empty)
    tau_ns = int(tau_days * NS_PER_DAY)
    order = np.lexsort((write_time_ns, write_file))
    w_time = write_time_ns[order]
    (w_rank, t_rank, open_rank), n = _ranks(w_time, touch_time_ns, touch_time_ns - tau_ns)
    key = write_file[order] * n + w_rank
    lo = np.searchsorted(key, touch_file * n + open_rank, side="right")  # written after t - tau
    hi = np.searchsorted(key, touch_file * n + t_rank, side="left")  # strictly before t
    counts = np.maximum(hi - lo, 0)
    which = np.repeat(np.arange(len(touch_row)), counts)
    starts = np.repeat(lo - np.r_[0, np.cumsum(counts)[:-1]], counts)
    write = order[starts + np.arange(len(which))]
    row, person = touch_row[which], write_person[write]
    keep = person != touch_author[which]
    # one interaction per (PR, writing change): a change that wrote two of the PR's doc files counts once
    found = np.column_stack([row[keep], write_change[write][keep], person[keep], write_time_ns[write][keep]])
    pairs = np.unique(found, axis=0)
    return PRInteractions(pairs[:, 0], pairs[:, 2], pairs[:, 3])


def exposure_matrix(
    pr_author: Ints,
    pr_time_ns: Ints,
    event_author: Ints,
    event_person: Ints,
    event_time_ns: Ints,
    n_people: int,
    tau_days: float = DEFAULT_TAU_DAYS,
    dtype: type[np.generic] = np.float64,  # the window kernel's 0/1 fit booleans
    kernel: Kernel = DEFAULT_KERNEL,
    own: PRInteractions | None = None,
) -> npt.NDArray[Any]:
    """Exposure (n_prs x n_people) of every PR to every person (codes 0..n_people-1): the author's
    interactions (``event_*``: reviews) and each PR's own (``own``: the docs channel, already recent).

    Per person: the person's interactions sorted by (author, time); two binary searches find, for each
    PR, the author's interactions strictly before it. The window kernel looks at the latest of them; the
    decayed kernel takes running sums of exp(t / tau) (times relative to the latest one, so exp() stays
    in range over long histories), adds each PR's own and saturates."""
    out = np.zeros((len(pr_author), n_people), dtype=dtype)
    if len(pr_author) == 0:
        return out
    if len(event_author):
        _author_exposure(out, pr_author, pr_time_ns, event_author, event_person, event_time_ns, tau_days, kernel)
    if own is not None and len(own.row):
        if kernel == "window":
            out[own.row, own.person] = True
        else:
            ages = (pr_time_ns[own.row] - own.time_ns) / NS_PER_DAY
            np.add.at(out, (own.row, own.person), np.exp(-ages / tau_days).astype(out.dtype))
    if kernel == "decayed":
        for start in range(0, n_people, 256):  # in place, a block of columns at a time
            block = out[:, start : start + 256]
            block[:] = saturate(block)
    return out


def _author_exposure(
    out: npt.NDArray[Any],
    pr_author: Ints,
    pr_time_ns: Ints,
    event_author: Ints,
    event_person: Ints,
    event_time_ns: Ints,
    tau_days: float,
    kernel: Kernel,
) -> None:
    """``exposure_matrix``'s reviews channel into ``out``: the window's 0/1, or the decayed kernel's
    unsaturated totals."""
    origin = int(min(pr_time_ns.min(), event_time_ns.min()))
    pr_days = (pr_time_ns - origin) / NS_PER_DAY
    ev_days = (event_time_ns - origin) / NS_PER_DAY
    scale = float(max(pr_days.max(), ev_days.max()))  # exp((t - scale)/tau) <= 1: no overflow
    # one sortable key per (author, time): the author in the high part, the time's rank below it
    (pr_rank, ev_rank), n = _ranks(pr_time_ns, event_time_ns)
    pr_key = pr_author.astype(np.int64) * n + pr_rank
    pr_start_key = pr_author.astype(np.int64) * n
    order = np.lexsort((event_time_ns, event_author, event_person))
    person_sorted = event_person[order]
    bounds = np.flatnonzero(np.r_[True, person_sorted[1:] != person_sorted[:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        rows = order[lo:hi]
        key = event_author[rows].astype(np.int64) * n + ev_rank[rows]
        upto = np.searchsorted(key, pr_key, side="left")  # interactions strictly before the PR
        start = np.searchsorted(key, pr_start_key, side="left")  # the author's first interaction
        if kernel == "window":
            latest = ev_days[rows][np.maximum(upto - 1, 0)]
            out[:, int(person_sorted[lo])] = (upto > start) & (pr_days - latest < tau_days)
            continue
        running = np.r_[0.0, np.cumsum(np.exp((ev_days[rows] - scale) / tau_days))]
        out[:, int(person_sorted[lo])] = (running[upto] - running[start]) * np.exp((scale - pr_days) / tau_days)
