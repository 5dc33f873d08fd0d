"""Exposure of each PR's author to each person before the PR (docs/methodology.md, "Multiplier effect").

An interaction is one person's review of one PR of the author (the time of the person's first review on
that PR). The exposure of PR j to person r says how much the author had worked with r before j was opened.
Two kernels (``KERNELS``; the model's default is the window):

- ``window``: 1 when r reviewed one of the author's PRs in the ``tau`` days before j (90 by default),
  else 0: "the following three months" of the report's sentence, literally. An effect "at full exposure"
  is then the effect on every PR of those three months, a regime the data visits often, so its estimate
  rests on every switch on and off of the window (measured on the demo: 3 to 4 times the information
  about a 20 % effect of the decayed kernel's "full exposure", which needs several recent reviews);
- ``decayed``: a decayed, saturating count, ``1 - exp(-sum_i exp(-(t_j - t_i) / tau))``: 0.63 for one
  review just before, near 1 after several recent ones, e^-1 of a fresh review's weight after tau.

The demo generator plants its ground-truth effects on this same quantity (``analyzer.demo.causal``), so
the simulation study measures the model against the estimand it states. Pure numpy: no pandas, so the
generator can use the scalar form cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Kernel = Literal["window", "decayed"]
KERNELS: tuple[Kernel, ...] = ("window", "decayed")
DEFAULT_KERNEL: Kernel = "window"
DEFAULT_TAU_DAYS = 90.0
NS_PER_DAY = 86_400 * 10**9


def saturate(total: float | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The saturating map from a decayed interaction count (>= 0) to exposure in [0, 1)."""
    return np.asarray(-np.expm1(-np.asarray(total, dtype=np.float64)), dtype=np.float64)


def exposure_at(
    moment_days: float,
    interaction_days: Iterable[float],
    tau_days: float = DEFAULT_TAU_DAYS,
    kernel: Kernel = DEFAULT_KERNEL,
) -> float:
    """Scalar exposure at ``moment_days`` given interaction times (days, any origin; later ones ignored)."""
    ages = [moment_days - t for t in interaction_days if t < moment_days]
    if kernel == "window":
        return 1.0 if ages and min(ages) < tau_days else 0.0
    return -math.expm1(-sum(math.exp(-age / tau_days) for age in ages))


def exposure_matrix(
    pr_author: npt.NDArray[np.int64],
    pr_time_ns: npt.NDArray[np.int64],
    event_author: npt.NDArray[np.int64],
    event_person: npt.NDArray[np.int64],
    event_time_ns: npt.NDArray[np.int64],
    n_people: int,
    tau_days: float = DEFAULT_TAU_DAYS,
    dtype: type[np.generic] = np.float64,  # the window kernel's 0/1 fit booleans
    kernel: Kernel = DEFAULT_KERNEL,
) -> npt.NDArray[Any]:
    """Exposure (n_prs x n_people) of every PR to every person (codes 0..n_people-1).

    Per person: the person's interactions sorted by (author, time); two binary searches find, for each
    PR, the author's interactions strictly before it. The window kernel looks at the latest of them; the
    decayed kernel takes running sums of exp(t / tau) (times relative to the latest one, so exp() stays
    in range over long histories)."""
    out = np.zeros((len(pr_author), n_people), dtype=dtype)
    if len(event_author) == 0 or len(pr_author) == 0:
        return out
    origin = int(min(pr_time_ns.min(), event_time_ns.min()))
    pr_days = (pr_time_ns - origin) / NS_PER_DAY
    ev_days = (event_time_ns - origin) / NS_PER_DAY
    scale = float(max(pr_days.max(), ev_days.max()))  # exp((t - scale)/tau) <= 1: no overflow
    # one sortable key per (author, time): author in the high part, time (ns from the origin) below it
    span = int(max(pr_time_ns.max(), event_time_ns.max()) - origin) + 1
    pr_key = pr_author.astype(np.int64) * span + (pr_time_ns - origin)
    pr_start_key = pr_author.astype(np.int64) * span
    order = np.lexsort((event_time_ns, event_author, event_person))
    person_sorted = event_person[order]
    bounds = np.flatnonzero(np.r_[True, person_sorted[1:] != person_sorted[:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        rows = order[lo:hi]
        key = event_author[rows].astype(np.int64) * span + (event_time_ns[rows] - origin)
        upto = np.searchsorted(key, pr_key, side="left")  # interactions strictly before the PR
        start = np.searchsorted(key, pr_start_key, side="left")  # the author's first interaction
        if kernel == "window":
            latest = ev_days[rows][np.maximum(upto - 1, 0)]
            out[:, int(person_sorted[lo])] = (upto > start) & (pr_days - latest < tau_days)
            continue
        running = np.r_[0.0, np.cumsum(np.exp((ev_days[rows] - scale) / tau_days))]
        total = (running[upto] - running[start]) * np.exp((scale - pr_days) / tau_days)
        out[:, int(person_sorted[lo])] = saturate(total)
    return out
