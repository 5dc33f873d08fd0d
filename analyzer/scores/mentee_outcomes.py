"""Mentee outcomes (docs/methodology.md, "Mentees' review rounds"; exploratory, never ranked):
review rounds on a mentee's first mentored PR
against their later newcomer PRs, per mentor, with a bootstrap interval over mentees."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.codes import bool_mask, in_window, int_ids, join_key, text_codes
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import (
    codes_in,
    family_rows,
    head_per_group,
    join_positions,
    rows_at,
    stable_sort_order,
)

ROUNDS_UNIT = "review rounds"
OUTCOME_COLUMNS = ("mentor", "mentee", "first_pr", "first_url", "first_at", "first_rounds", "later_rounds", "n_later")


def pr_review_rounds(frames: Frames) -> pd.Series:
    """Review rounds per PR id (docs/methodology.md, "Mentees' review rounds"):
    CHANGES_REQUESTED reviews by humans other than the author,
    plus the author's commits (a proxy for pushes) committed after the first human review. Joined and
    counted on integer codes of PR ids and names."""
    prs, reviews, commits = frames.prs, frames.reviews, frames.pr_commits
    authored = np.flatnonzero(prs["pr_id"].notna().to_numpy() & prs["person"].notna().to_numpy())
    human = (
        ~bool_mask(reviews["is_bot"]) & reviews["pr_id"].notna().to_numpy() & reviews["submitted_at"].notna().to_numpy()
    )
    reviewed = np.flatnonzero(human)
    pushed = np.flatnonzero(commits[["pr_id", "person", "committed_at"]].notna().all(axis=1).to_numpy())
    author, reviewer, committer = text_codes(
        prs["person"].take(authored), reviews["person"].take(reviewed), commits["person"].take(pushed)
    )
    pr_ids = prs["pr_id"].to_numpy(dtype=np.int64, na_value=0)[authored]
    pr_code, uniques = pd.factorize(pr_ids)
    # reviews by someone other than the author (a missing reviewer is "other", as != on objects says)
    at_review, at_pr = join_positions([int_ids(reviews["pr_id"])[reviewed]], [pr_ids])
    other = reviewer[at_review] != author[at_pr]
    review_pr = pr_code[at_pr][other]
    requested = (reviews["state"] == "CHANGES_REQUESTED").to_numpy(dtype=bool, na_value=False)[reviewed[at_review]]
    changes = np.bincount(pr_code[at_pr][other & requested], minlength=len(uniques))
    submitted = reviews["submitted_at"].to_numpy(dtype="datetime64[ns]").view(np.int64)[reviewed[at_review][other]]
    first_review = np.full(len(uniques), np.iinfo(np.int64).max)
    np.minimum.at(first_review, review_pr, submitted)
    has_review = np.bincount(review_pr, minlength=len(uniques)) > 0
    # the author's own commits after the PR's first human review
    at_commit, at_pr = join_positions([int_ids(commits["pr_id"])[pushed]], [pr_ids])
    commit_pr = pr_code[at_pr]
    committed = commits["committed_at"].to_numpy(dtype="datetime64[ns]").view(np.int64)[pushed[at_commit]]
    own_later = has_review[commit_pr] & (committer[at_commit] == author[at_pr])
    own_later &= committed > first_review[commit_pr]
    pushes = np.bincount(commit_pr[own_later], minlength=len(uniques))
    # as changes.reindex(ids).fillna(0) + pushes...: integers only when every PR has both
    complete = bool((changes[pr_code] > 0).all() and (pushes[pr_code] > 0).all())
    rounds = (changes + pushes)[pr_code]
    ids = pd.Index(pr_ids, name="pr_id")
    return pd.Series(rounds.astype(np.int64 if complete else np.float64), index=ids)


def mentee_outcomes(pairs: pd.DataFrame, frames: Frames, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per (mentor, mentee) with >= 1 later PR: the PR of the mentor's first teaching comment to
    the mentee (``first_pr_id`` of ``mentoring_pairs``), its review rounds, and the mean rounds over the
    mentee's later newcomer PRs (created after it, in the window)."""
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in OUTCOME_COLUMNS})
    if pairs.empty:
        return empty
    prs = frames.prs
    keep = ~bool_mask(prs["is_bot"]) & in_window(prs["created_at"], start, end)
    rows = np.flatnonzero(keep & prs["pr_id"].notna().to_numpy() & prs["person"].notna().to_numpy())
    pr_ids = prs["pr_id"].to_numpy(dtype=np.int64, na_value=0)[rows]
    rounds = pr_review_rounds(frames).reindex(pr_ids).fillna(0).to_numpy()
    person, mentee = text_codes(prs["person"].take(rows), pairs["mentee"])
    first_pr = pairs["first_pr_id"].to_numpy(dtype=np.int64)
    at_pair, at_pr = join_positions([first_pr, join_key(mentee)], [pr_ids, person])
    created = prs["created_at"].to_numpy(dtype="datetime64[ns]")[rows].view(np.int64)
    later_sum, later_n = _later_rounds(person, created, rounds, bool_mask(prs["author_newcomer"])[rows])
    later = np.flatnonzero(later_n[at_pr] > 0)
    if len(later) == 0:
        return empty
    at_pair, at_pr = at_pair[later], at_pr[later]
    mentor, mentors = pd.factorize(pairs["mentor"], sort=True)
    mentee, mentees = pd.factorize(pairs["mentee"], sort=True)
    order = _name_order(mentor[at_pair], len(mentors), mentee[at_pair], len(mentees))
    at_pair, at_pr = at_pair[order], at_pr[order]
    return pd.DataFrame(
        {
            "mentor": _objects(pairs["mentor"], mentor, mentors, at_pair),
            "mentee": _objects(pairs["mentee"], mentee, mentees, at_pair),
            "first_pr": pr_ids[at_pr],
            "first_url": prs["url"].take(rows[at_pr]).array,
            "first_at": prs["created_at"].take(rows[at_pr]).array,
            "first_rounds": rounds[at_pr],
            "later_rounds": later_sum[at_pr] / np.maximum(later_n[at_pr], 1),
            "n_later": later_n[at_pr],
        }
    )


def _name_order(
    first: npt.NDArray[np.intp], n_first: int, second: npt.NDArray[np.intp], n_second: int
) -> npt.NDArray[np.intp]:
    """The row order of ``sort_values`` on two name columns (stable, missing last), from their sorted
    codes (-1: missing); no sort at all when the rows are in order already."""
    key = np.where(first >= 0, first, n_first).astype(np.int64) * (n_second + 1)
    key += np.where(second >= 0, second, n_second)
    if bool((key[1:] >= key[:-1]).all()):
        return np.arange(len(key))
    order: npt.NDArray[np.intp] = np.argsort(key, kind="stable")
    return order


def _objects(
    column: pd.Series, codes: npt.NDArray[np.intp], uniques: pd.Index, rows: npt.NDArray[np.intp]
) -> pd.Series:
    """``column.astype(object)`` at ``rows``, from the few distinct names rather than one conversion per row."""
    if (codes[rows] < 0).any():
        return column.astype(object).take(rows).reset_index(drop=True)
    return pd.Series(np.asarray(uniques, dtype=object)[codes[rows]], dtype=object)


def _later_rounds(
    person: npt.NDArray[np.int64],
    created: npt.NDArray[np.int64],
    rounds: npt.NDArray[np.float64],
    newcomer: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Per PR (``person`` code, ``created`` ns): (sum of rounds, count) of the same person's newcomer PRs
    created strictly later. One sort by (person, time) and running totals: the later ones are those after
    the end of the PR's (person, time) run up to the end of the person's run. (Rounds are whole numbers,
    so the sums do not depend on the summation order.)"""
    order = np.lexsort((created, person))
    who, when = person[order], created[order]
    counted = newcomer[order]
    n_total = np.cumsum(counted)
    rounds_total = np.cumsum(np.where(counted, rounds[order].astype(float), 0.0))
    person_ends = np.r_[who[1:] != who[:-1], True]
    time_ends = person_ends | np.r_[when[1:] != when[:-1], True]
    person_end = _run_end(person_ends)
    time_end = _run_end(time_ends)
    later_n = np.empty(len(order), dtype=np.int64)
    later_sum = np.empty(len(order))
    later_n[order] = n_total[person_end] - n_total[time_end]
    later_sum[order] = rounds_total[person_end] - rounds_total[time_end]
    return later_sum, later_n


def _run_end(ends: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Per position: the position of the last element of its run (``ends`` marks each run's last one)."""
    last = np.flatnonzero(ends)
    run = np.r_[0, np.cumsum(ends[:-1])] if len(ends) else np.zeros(0, dtype=np.intp)
    found: npt.NDArray[np.intp] = last[run]
    return found


def bootstrap_mean_interval(
    values: npt.NDArray[np.float64], samples: int, seed: int, level: float
) -> tuple[float, float]:
    """Seeded percentile-bootstrap interval of the mean (resampling the values); NaN for < 2 values."""
    if len(values) < 2:
        return np.nan, np.nan
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (samples, len(values)))].mean(axis=1)
    tail = (1 - level) / 2
    lo, hi = np.quantile(means, [tail, 1 - tail])
    return float(lo), float(hi)


def _bootstrap_rows(
    values: npt.NDArray[np.float64], samples: int, seed: int, level: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``bootstrap_mean_interval`` of each row of ``values`` (rows of >= 2 values), drawing the resampled
    positions once for all rows."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, values.shape[1], (samples, values.shape[1]))
    # each row's (samples x mentees) resample reduced along its last axis: the summation order of
    # bootstrap_mean_interval's values[draws].mean(axis=1) (a 3-D mean over axis 2 rounds differently);
    # one row at a time into one reused buffer, which stays in cache (no page faults on a huge block)
    resampled = np.empty(draws.shape)
    means = np.empty((len(values), samples))
    for row, own in enumerate(values):
        np.take(own, draws, out=resampled, mode="clip")  # draws are in range: clip skips the checks
        means[row] = resampled.mean(axis=1)
    tail = (1 - level) / 2
    bounds = np.quantile(means, [tail, 1 - tail], axis=1)
    return bounds[0].astype(float), bounds[1].astype(float)


def rounds_change_scores(outcomes: pd.DataFrame, options: ScoringOptions, reviewers: pd.Index) -> pd.DataFrame:
    """Mean over a mentor's mentees of (mean rounds of later newcomer PRs - rounds of the first mentored
    PR), with a bootstrap interval over mentees; exploratory (never ranked), insufficient below 8 mentees
    or 30 later mentee PRs."""
    est = np.full(len(reviewers), np.nan)
    lo, hi = est.copy(), est.copy()
    change = (outcomes["later_rounds"].astype(float) - outcomes["first_rounds"].astype(float)).to_numpy()
    later = outcomes["n_later"].to_numpy(dtype=float)
    positions = codes_in(outcomes["mentor"], reviewers)
    # each mentor's rows, in their original order, as one contiguous run
    rows = np.flatnonzero(positions >= 0)
    rows = rows[np.argsort(positions[rows], kind="stable")]
    starts = np.flatnonzero(np.r_[True, positions[rows][1:] != positions[rows][:-1]]) if len(rows) else rows
    sizes = np.diff(np.r_[starts, len(rows)])
    mentors = positions[rows[starts]]
    n_mentees = np.bincount(mentors, weights=sizes, minlength=len(reviewers))
    n_later = np.bincount(positions[rows], weights=later[rows], minlength=len(reviewers))  # whole numbers
    # every mentor's bootstrap uses the same seed, so mentors with as many mentees share the draws:
    # resample them together (the same numbers as bootstrap_mean_interval, one mentor at a time)
    for size in np.unique(sizes):
        same = np.flatnonzero(sizes == size)
        values = change[rows[starts[same][:, None] + np.arange(size)]].astype(np.float64)
        est[mentors[same]] = values.mean(axis=1)  # row by row: each mentor's own change[mine].mean()
        if size >= 2:
            lo[mentors[same]], hi[mentors[same]] = _bootstrap_rows(
                values, options.bootstrap_samples, options.seed, options.level
            )
    enough = (n_mentees >= options.min_mentees) & (n_later >= options.min_mentee_prs)
    status = np.where(enough, "exploratory", "insufficient")
    unit = "change in review rounds (later PRs - first mentored PR)"
    return family_rows(
        reviewers, "mentee_rounds_change", est, lo, hi, est, n_mentees, options.min_mentees, unit, False, status
    )


def mentee_rounds_evidence(outcomes: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Per mentor, the latest mentees' first mentored PR with its rounds against their later PRs (the rows
    of a stable newest-first sort and a per-mentor head, found on numpy arrays; text built for those only)."""
    first_at = outcomes["first_at"].to_numpy(dtype="datetime64[ns]")
    groups, _ = pd.factorize(outcomes["mentor"])
    latest = head_per_group(groups, stable_sort_order(first_at, descending=True), options.evidence_per_family)
    rows = rows_at(
        outcomes,
        latest,
        ["mentor", "mentee", "first_pr", "first_url", "first_at", "first_rounds", "later_rounds", "n_later"],
    )
    text = [
        f"{m}: {f:.0f} review rounds on the first mentored PR, {later:.1f} on average over {k} later PR(s)"
        for m, f, later, k in zip(
            rows["mentee"], rows["first_rounds"], rows["later_rounds"], rows["n_later"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "person": rows["mentor"].to_numpy(),
            "family": "mentee_rounds_change",
            "kind": "pr",
            "ref": ("pr:" + rows["first_pr"].astype(str)).to_numpy(),
            "url": rows["first_url"].to_numpy(),
            "excerpt": np.asarray(text, dtype=object),
            "markers": "",
            "at": rows["first_at"].to_numpy(),
        }
    )
