"""The exposure of a PR to a person (analyzer.scores.exposure; docs/methodology.md, "Multiplier effect"):
the reviews channel and the docs channel, the model's matrix against the scalar definition, and the demo
generator's exposure (on which it plants the ground truth) against the model's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.demo import generate_org
from analyzer.demo.causal import Causal
from analyzer.demo.people import build_roster
from analyzer.fakegithub.model import OrgModel
from analyzer.pipeline import load_frames
from analyzer.scores.exposure import (
    DEFAULT_TAU_DAYS,
    KERNELS,
    NS_PER_DAY,
    Kernel,
    PRInteractions,
    exposure_at,
    exposure_matrix,
    is_recent,
    recent_doc_writes,
)
from analyzer.scores.outcomes import PR_COLUMNS
from analyzer.scores.uplift import Design, UpliftSettings, build_design, design_from

DAY = NS_PER_DAY
T0 = 1_700_000_000 * 10**9  # an epoch in nanoseconds: real timestamps, not small numbers


def test_many_authors_over_years_are_exposed_as_the_scalar_definition_says() -> None:
    """The (author, time) sort keys once overflowed int64 past ~150 authors over two years (a 5,000-person
    org's exposure was then garbage); every PR x person still equals the scalar definition."""
    rng = np.random.default_rng(8)
    n_authors, n_events, n_prs, span = 400, 3000, 1500, 900
    ev_author, ev_person = rng.integers(0, n_authors, n_events), rng.integers(0, 3, n_events)
    ev_day = rng.integers(0, span, n_events)
    pr_author, pr_day = rng.integers(0, n_authors, n_prs), rng.integers(0, span, n_prs) + 0.5
    got = exposure_matrix(
        pr_author, T0 + (pr_day * DAY).astype(np.int64), ev_author, ev_person, T0 + ev_day * DAY, 3, kernel="window"
    )
    for j in range(n_prs):
        for person in range(3):
            mine = ev_day[(ev_author == pr_author[j]) & (ev_person == person)].astype(float)
            assert got[j, person] == exposure_at(float(pr_day[j]), mine), (j, person)


def _brute_doc_writes(
    touch: list[tuple[int, int, int, int]], writes: list[tuple[int, int, int, int]], tau: float
) -> list[tuple[int, int, int]]:
    """(row, person, day) for every touch (row, file, author, day) and write (file, person, change, day)
    of its file by someone else in the tau days before, one per (row, change)."""
    found = {}
    for row, file, author, day in touch:
        for w_file, person, change, w_day in writes:
            if w_file == file and person != author and is_recent(day, w_day, tau):
                found[(row, change)] = (row, person, w_day)
    return sorted(found.values())


def test_recent_doc_writes_are_the_writes_of_the_prs_doc_files_by_others_in_the_window() -> None:
    rng = np.random.default_rng(9)
    n_touch, n_writes, tau = 300, 400, 90.0
    touch = [
        (int(r), int(f), int(a), int(d))
        for r, f, a, d in zip(
            rng.integers(0, 120, n_touch),
            rng.integers(0, 12, n_touch),
            rng.integers(0, 6, n_touch),
            rng.integers(0, 500, n_touch),
            strict=True,
        )
    ]
    # a change writes one or more files, at one time, by one person
    changes = [(int(p), int(d)) for p, d in zip(rng.integers(0, 6, 150), rng.integers(0, 500, 150), strict=True)]
    writes = sorted(
        {
            (int(f), *changes[c][:1], c, changes[c][1])
            for f, c in zip(rng.integers(0, 12, n_writes), rng.integers(0, 150, n_writes), strict=True)
        }
    )
    t = np.array(touch, dtype=np.int64).T
    w = np.array(writes, dtype=np.int64).T
    got = recent_doc_writes(t[0], t[1], t[2], T0 + t[3] * DAY, w[0], w[1], w[2], T0 + w[3] * DAY, tau)
    found = sorted(
        (int(r), int(p), int((s - T0) // DAY)) for r, p, s in zip(got.row, got.person, got.time_ns, strict=True)
    )
    assert found == _brute_doc_writes(touch, writes, tau)  # one per (row, change)
    assert len(found) > 50  # the case is not empty


@pytest.mark.parametrize("kernel", KERNELS)
def test_a_prs_own_interactions_join_the_authors_as_one_exposure(kernel: Kernel) -> None:
    """The docs channel (``own``) and the reviews channel make one exposure: the scalar definition over
    both sets of interaction times."""
    rng = np.random.default_rng(10)
    n_prs, n_events, n_own = 80, 150, 120
    pr_author, pr_day = rng.integers(0, 4, n_prs), rng.integers(100, 400, n_prs)
    ev_author, ev_person, ev_day = (
        rng.integers(0, 4, n_events),
        rng.integers(0, 3, n_events),
        rng.integers(0, 400, n_events),
    )
    own_row, own_person = rng.integers(0, n_prs, n_own), rng.integers(0, 3, n_own)
    own_day = pr_day[own_row] - rng.integers(1, 90, n_own)  # recent writes, as recent_doc_writes finds them
    own = PRInteractions(own_row, own_person, T0 + own_day * DAY)
    got = exposure_matrix(
        pr_author, T0 + pr_day * DAY, ev_author, ev_person, T0 + ev_day * DAY, 3, 90.0, kernel=kernel, own=own
    )
    for j in range(n_prs):
        for person in range(3):
            times = list(ev_day[(ev_author == pr_author[j]) & (ev_person == person)].astype(float))
            times += list(own_day[(own_row == j) & (own_person == person)].astype(float))
            assert got[j, person] == pytest.approx(exposure_at(float(pr_day[j]), times, 90.0, kernel), abs=1e-6)
    assert (got[own_row, own_person] > 0).all()


def _every(rows: list[tuple[int, str, int]]) -> pd.DataFrame:
    """pr_outcomes-shaped rows (pr_id, author, day opened), every PR merged with one review round."""
    start = pd.Timestamp("2026-01-01", tz="UTC")
    frame = pd.DataFrame(rows, columns=["pr_id", "person", "day"])
    frame = frame.assign(repo="r", created_at=start + pd.to_timedelta(frame["day"], unit="D"), size=10.0, prior_prs=0.0)
    for column in PR_COLUMNS:
        if column not in frame:
            frame[column] = 1.0
    return frame[list(PR_COLUMNS)]


def test_a_pr_is_exposed_to_the_recent_writers_of_the_docs_it_changes_other_than_its_author() -> None:
    every = _every([(1, "maja", 0), (2, "ali", 30), (3, "ali", 200), (4, "maja", 40), (5, "ali", 50), (6, "ali", 60)])
    merged = every.set_index("pr_id")["created_at"] + pd.Timedelta(days=1)
    docs = pd.DataFrame(
        {
            "pr_id": [1, 2, 3, 4, 6],
            "person": ["maja", "ali", "ali", "maja", "ali"],
            "repo": "r",
            "path": ["docs/x.md", "docs/x.md", "docs/x.md", "docs/x.md", "docs/y.md"],
        }
    )
    docs["merged_at"] = merged.reindex(docs["pr_id"]).to_numpy()
    met = pd.DataFrame({"pr_id": pd.Series([], dtype=np.int64), "author": [], "person": [], "at": []})
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    design: Design = design_from(every, met, docs, start, end, UpliftSettings())
    exposed = pd.DataFrame(design.exposure, index=design.prs["pr_id"], columns=design.people)
    assert list(design.people) == ["ali", "maja"]  # maja: a writer with no reviews is a person of the model
    assert exposed.loc[2, "maja"] and exposed.loc[4, "ali"]  # each changed docs the other wrote 10-30 days before
    assert not exposed.loc[3, "maja"]  # 199 days after maja's write: out of the window
    assert not exposed.loc[4, "maja"] and not exposed.loc[2, "ali"]  # one's own docs do not count
    assert not exposed.loc[5].any() and not exposed.loc[6, "maja"]  # no docs changed; docs only ali wrote
    assert design.prs.set_index("pr_id")["changes_docs"].to_dict() == {1: 1, 2: 1, 3: 1, 4: 1, 5: 0, 6: 1}


def _first_reviews(model: OrgModel) -> dict[tuple[str, int], dict[str, datetime]]:
    """Per PR (repo, number), each reviewer's first review: the generator's interactions."""
    firsts: dict[tuple[str, int], dict[str, datetime]] = {}
    for review in sorted(model.reviews.values(), key=lambda r: r.submitted_at):
        if review.author is not None:
            firsts.setdefault((review.repo, review.pr_number), {}).setdefault(review.author, review.submitted_at)
    return firsts


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_generator_plants_on_the_exposure_the_model_fits(demo_store: Path, kernel: Kernel) -> None:
    """``Causal.exposure`` (what the demo's effects are planted on) equals the model's exposure, on the
    collected demo store, for every modelled PR and every person, reviews and docs channels together, once
    the generator's causal state holds the org's reviews and merged PRs in the order they were made."""
    model = generate_org(seed=7, scale=1.0)
    roster = {p.login: p for p in build_roster()}
    causal = Causal(busy={}, effects={}, kernel=kernel)
    firsts = _first_reviews(model)
    for pr in sorted(model.pulls.values(), key=lambda p: p.created_at):
        if pr.author in roster:
            reviews = firsts.get((pr.repo, pr.number), {})
            causal.record(roster[pr.author], {r: at for r, at in reviews.items() if r != pr.author}, pr)
    frames = load_frames(demo_store)
    design = build_design(frames, frames.window_start, frames.window_end, UpliftSettings(kernel=kernel))
    pulls = {p.id: p for p in model.pulls.values()}
    docs_only = 0
    for row, pr_id in enumerate(design.prs["pr_id"]):
        pr = pulls[int(pr_id)]
        paths = [f.path for f in pr.files]
        for k, person in enumerate(design.people):
            want = causal.exposure(pr.author, person, pr.created_at, pr.repo, paths)
            assert float(design.exposure[row, k]) == pytest.approx(want, abs=1e-5), (pr.number, person)
            docs_only += want > causal.exposure(pr.author, person, pr.created_at)
    assert docs_only > 50  # the docs channel is at work in the demo


def test_recency_is_strict_on_both_ends() -> None:
    assert is_recent(100.0, 20.0) and not is_recent(100.0, 100.0) and not is_recent(100.0, 100.0 - DEFAULT_TAU_DAYS)
    assert not is_recent(100.0, 130.0)
    assert timedelta(days=DEFAULT_TAU_DAYS) == timedelta(days=90)
