"""Mentees' first clean merge (docs/methodology.md, "Mentees' first clean merge"; exploratory, never ranked).

Per mentor (the ``mentoring`` pairs, so "mentee" means what it means for retention and review rounds):
the share of their mentees whose first PR merged with no changes requested came within
``clean_merge_days`` of the mentee's first PR, over mentees whose ``clean_merge_days`` have elapsed by
``now`` (the others are censored: left out, never counted as failures). Beta-binomial interval.
Descriptive only: it says nothing about what caused the merge.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.codes import bool_mask, int_ids, text_codes
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import (
    beta_binomial,
    codes_in,
    family_rows,
    head_per_group,
    join_positions,
    stable_sort_order,
)

FAMILY = "mentee_first_clean_merge"
UNIT = "share of mentees with a clean merge in time"
DAY_NS = 86_400 * 10**9
CLEAN_COLUMNS = ("person", "first_pr", "first_url", "first_at", "clean_pr", "clean_url", "clean_at", "ordinal")
MENTEE_COLUMNS = ("mentor", "mentee", *CLEAN_COLUMNS[1:], "days", "evaluable", "reached")


def changes_requested(frames: Frames, pr_ids: np.ndarray, authors: pd.Series) -> np.ndarray:
    """Per PR (``pr_ids`` with their ``authors``): True when a human other than the author submitted a
    CHANGES_REQUESTED review on it (a review with no reviewer login, a deleted account, counts as
    someone else; bots never count)."""
    reviews = frames.reviews
    state = (reviews["state"] == "CHANGES_REQUESTED").to_numpy(dtype=bool, na_value=False)
    asked = np.flatnonzero(state & ~bool_mask(reviews["is_bot"]))
    author, reviewer = text_codes(authors, reviews["person"].take(asked))
    at_review, at_pr = join_positions([int_ids(reviews["pr_id"])[asked]], [pr_ids])
    requested = np.zeros(len(pr_ids), dtype=bool)
    requested[at_pr[reviewer[at_review] != author[at_pr]]] = True
    return requested


def first_clean_merges(frames: Frames, people: pd.Series | None = None) -> pd.DataFrame:
    """One row per human PR author (of ``people`` only, when given: the mentees, a few of all authors):
    their first PR opened (``first_*``) and their first PR merged with no changes requested (``clean_*``,
    by merge time; missing when there is none), with its ``ordinal`` among their PRs by opening time
    (1 = their first PR)."""
    prs = frames.prs
    known = prs[["pr_id", "person", "created_at"]].notna().all(axis=1).to_numpy()
    if people is not None:
        known = known & prs["person"].isin(pd.unique(people.dropna())).to_numpy(dtype=bool, na_value=False)
    rows = np.flatnonzero(known & ~bool_mask(prs["is_bot"]))
    pr_ids = int_ids(prs["pr_id"])[rows]
    authors = prs["person"].take(rows).reset_index(drop=True)
    merged = prs["merged_at"].take(rows).reset_index(drop=True)
    table = pd.DataFrame(
        {
            "person": authors,
            "pr": pr_ids,
            "url": prs["url"].take(rows).reset_index(drop=True),
            "created": prs["created_at"].take(rows).reset_index(drop=True),
            "merged": merged,
            "clean": merged.notna().to_numpy() & ~changes_requested(frames, pr_ids, authors),
        }
    )
    table = table.sort_values(["person", "created", "pr"], kind="stable")
    table["ordinal"] = table.groupby("person").cumcount() + 1
    first = table.drop_duplicates("person").set_index("person")
    clean = table[table["clean"]].sort_values(["person", "merged", "pr"], kind="stable").drop_duplicates("person")
    clean = clean.set_index("person").reindex(first.index)
    return pd.DataFrame(
        {
            "person": first.index.to_numpy(dtype=object),
            "first_pr": first["pr"].to_numpy(),
            "first_url": first["url"].to_numpy(dtype=object),
            "first_at": first["created"].array,
            "clean_pr": clean["pr"].astype("Int64").array,
            "clean_url": clean["url"].to_numpy(dtype=object),
            "clean_at": clean["merged"].array,
            "ordinal": clean["ordinal"].astype("Int64").array,
        }
    )


def mentee_clean_merges(pairs: pd.DataFrame, frames: Frames, options: ScoringOptions) -> pd.DataFrame:
    """One row per distinct (mentor, mentee) pair whose mentee opened a PR: ``days`` from their first PR
    opened to their first clean merge (NaN: none yet), ``evaluable`` (their ``clean_merge_days`` have
    elapsed by ``now``) and ``reached`` (evaluable and a clean merge within ``clean_merge_days``)."""
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MENTEE_COLUMNS})
    mentees = pairs[["mentor", "mentee"]].dropna().drop_duplicates()
    merges = first_clean_merges(frames, mentees["mentee"])
    rows = mentees.merge(merges, left_on="mentee", right_on="person").drop(columns="person")
    rows = rows.sort_values(["mentor", "mentee"], kind="stable").reset_index(drop=True)
    first_ns = rows["first_at"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    clean = rows["clean_at"].to_numpy(dtype="datetime64[ns]")
    days = np.where(np.isnat(clean), np.nan, (clean.view(np.int64) - first_ns) / DAY_NS)
    limit = options.clean_merge_days
    now_ns = pd.Timestamp(frames.now).value
    rows["days"] = days
    rows["evaluable"] = first_ns + limit * DAY_NS <= now_ns
    rows["reached"] = rows["evaluable"].to_numpy() & (np.nan_to_num(days, nan=np.inf) <= limit)
    return rows


def clean_merge_scores(merges: pd.DataFrame, options: ScoringOptions, reviewers: pd.Index) -> pd.DataFrame:
    """Per reviewer: beta-binomial share of evaluable mentees who reached a clean merge in time; status
    'exploratory' from ``min_clean_merge_mentees`` evaluable mentees, else 'insufficient' (never 'ok':
    never ranked, never in the multiplier)."""
    evaluable = merges[merges["evaluable"].astype(bool)]
    mentor = codes_in(evaluable["mentor"], reviewers)
    counted = mentor >= 0
    n = np.bincount(mentor[counted], minlength=len(reviewers)).astype(float)
    reached = evaluable["reached"].to_numpy(dtype=float)[counted]
    x = np.bincount(mentor[counted], weights=reached, minlength=len(reviewers))
    bb = beta_binomial(x, n, options.prior_min_n, options.prior_strength_cap, options.level)
    minimum = options.min_clean_merge_mentees
    status = np.where(n >= minimum, "exploratory", "insufficient")
    return family_rows(reviewers, FAMILY, bb["estimate"], bb["lo"], bb["hi"], bb["raw"], n, minimum, UNIT, True, status)


def ordinal(k: int) -> str:
    """1 -> "1st", 2 -> "2nd", 3 -> "3rd", 11 -> "11th", 22 -> "22nd"."""
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _excerpt(row: pd.Series, limit: int) -> str:
    if pd.isna(row["clean_pr"]):
        return f"{row['mentee']}: no PR merged without changes requested yet (first PR linked)"
    when = "within" if row["days"] <= limit else "after"
    return (
        f"{row['mentee']}: first PR merged with no changes requested {row['days']:.1f} days after their first "
        f"PR opened ({when} {limit} days; their {ordinal(int(row['ordinal']))} PR)"
    )


def clean_merge_evidence(merges: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Per mentor, the latest mentees (by first PR opened): their first clean-merged PR with the days it
    took, or, for a mentee with none yet, their first PR."""
    if merges.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=object) for c in ("person", "family", "kind", "ref", "url", "excerpt", "markers", "at")}
        )
    first_at = merges["first_at"].to_numpy(dtype="datetime64[ns]")
    groups, _ = pd.factorize(merges["mentor"])
    latest = stable_sort_order(first_at, descending=True)
    rows = merges.iloc[head_per_group(groups, latest, options.evidence_per_family)]
    has_clean = rows["clean_pr"].notna()
    pr = rows["clean_pr"].astype("Int64").where(has_clean, rows["first_pr"].astype("Int64"))
    return pd.DataFrame(
        {
            "person": rows["mentor"].to_numpy(dtype=object),
            "family": FAMILY,
            "kind": "pr",
            "ref": ("pr:" + pr.astype(str)).to_numpy(dtype=object),
            "url": rows["clean_url"].where(has_clean, rows["first_url"]).to_numpy(dtype=object),
            "excerpt": np.asarray([_excerpt(r, options.clean_merge_days) for _, r in rows.iterrows()], dtype=object),
            "markers": "",
            "at": rows["clean_at"].where(has_clean, rows["first_at"]).array,
        }
    )


def newcomer_merge_scores(
    pairs: pd.DataFrame, frames: Frames, options: ScoringOptions, episodes: pd.DataFrame
) -> pd.DataFrame:
    """The family's rows for every reviewer of the episodes (as the other mentoring families)."""
    reviewers = pd.Index(sorted(episodes["person"].dropna().unique()), name="person")
    return clean_merge_scores(mentee_clean_merges(pairs, frames, options), options, reviewers)


def newcomer_merge_evidence(pairs: pd.DataFrame, frames: Frames, options: ScoringOptions) -> pd.DataFrame:
    return clean_merge_evidence(mentee_clean_merges(pairs, frames, options), options)
