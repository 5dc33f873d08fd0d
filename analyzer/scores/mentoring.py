"""Mentoring reach (§3): interactions with newcomers, reach, breadth, knowledge spreading and the
exploratory mentee outcomes (retention, change in review rounds)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.episodes import in_episode
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import beta_binomial, excerpt, family_rows

TEACHING_LABELS = ("thought", "note")
MENTORING_COLUMNS = ("mentor", "mentee", "n_interactions", "first_at", "last_at", "pr_ids")


def teaching_comments(comments: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Comments that make an episode a mentoring interaction (§3.2): in an episode on a newcomer's PR,
    non-trivial, not harsh, with a teaching cue (rationale, link, suggestion block, thought/note label, or a
    reply in a thread to the newcomer)."""
    flags = ~comments["is_trivial"].to_numpy() & ~comments["harsh"].to_numpy()
    flags &= comments["to_newcomer"].to_numpy(dtype=bool) & in_episode(comments, episodes)
    c = comments[flags]
    replied = c["in_reply_to"].notna().to_numpy()
    answered = np.zeros(len(c), dtype=bool)
    if replied.any():  # only replies need the author of the comment they answer
        inline = comments[comments["kind"].to_numpy() == "review_comment"]
        authors = pd.Series(inline["person"].to_numpy(), index=pd.Index(inline["comment_id"].to_numpy()))
        targets = c.loc[replied, "in_reply_to"].to_numpy()
        found = authors.reindex(targets).to_numpy()
        answered[replied] = pd.Series(found).eq(c.loc[replied, "pr_author"].to_numpy()).fillna(False).to_numpy()
    label = c["cc_label"].str.lower().isin(TEACHING_LABELS) | c["comment_type"].astype(str).isin(TEACHING_LABELS)
    cue = (c["has_rationale"] | c["has_link"] | c["has_suggestion"] | label).to_numpy() | answered
    teaching: pd.DataFrame = c[cue]
    return teaching


def mentoring_pairs(teaching: pd.DataFrame) -> pd.DataFrame:
    """mentor, mentee, n_interactions (episodes with >= 1 teaching comment), first_at, last_at, pr_ids.
    Grouped on integer codes (sorted like the names) rather than on strings."""
    mentor, mentors = pd.factorize(teaching["person"].to_numpy(dtype=object), sort=True)
    mentee, mentees = pd.factorize(teaching["pr_author"].to_numpy(dtype=object), sort=True)
    pr_id = teaching["pr_id"].to_numpy(dtype=np.float64, na_value=np.nan)
    valid = (mentor >= 0) & (mentee >= 0) & ~np.isnan(pr_id)
    if not valid.any():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MENTORING_COLUMNS})
    mentor, mentee, pr = mentor[valid], mentee[valid], pr_id[valid].astype(np.int64)
    at = teaching["created_at"].to_numpy(dtype="datetime64[ns]")[valid]
    order = np.lexsort((pr, mentee, mentor))
    mentor, mentee, pr, at = mentor[order], mentee[order], pr[order], at[order]
    new_pair = np.r_[True, (mentor[1:] != mentor[:-1]) | (mentee[1:] != mentee[:-1])]
    new_episode = new_pair | np.r_[True, pr[1:] != pr[:-1]]
    episode_starts = np.flatnonzero(new_episode)
    episode_pr = pr[episode_starts]
    first_of_pair = new_pair[episode_starts]
    starts = np.flatnonzero(first_of_pair)  # in episode units
    ends = np.r_[starts[1:], len(episode_starts)]
    pair_rows = episode_starts[starts]
    ids = episode_pr.astype(str).tolist()
    # the PR of each pair's earliest teaching comment (ties: lowest PR id), for the mentee outcomes
    pair_of_row = np.cumsum(new_pair) - 1
    by_time = np.lexsort((pr, at, pair_of_row))
    first_pr = pr[by_time[pair_rows]]
    pairs = pd.DataFrame(
        {
            "mentor": np.asarray(mentors, dtype=object)[mentor[pair_rows]],
            "mentee": np.asarray(mentees, dtype=object)[mentee[pair_rows]],
            "n_interactions": ends - starts,
            "first_at": pd.to_datetime(np.minimum.reduceat(at, pair_rows), utc=True),
            "last_at": pd.to_datetime(np.maximum.reduceat(at, pair_rows), utc=True),
            "pr_ids": [";".join(ids[a:b]) for a, b in zip(starts, ends, strict=True)],
            "first_pr_id": first_pr,  # not part of the mentoring table's contract (conform drops it)
        }
    )
    return pairs


def review_edges(episodes: pd.DataFrame) -> pd.DataFrame:
    """reviewer, author, n_episodes, author_is_newcomer (a newcomer in at least one of those PRs)."""
    g = episodes.dropna(subset=["pr_author"]).groupby(["person", "pr_author"], observed=True)
    edges = pd.DataFrame({"n_episodes": g.size(), "author_is_newcomer": g["to_newcomer"].any()}).reset_index()
    return edges.rename(columns={"person": "reviewer", "pr_author": "author"})


def mentoring_scores(
    episodes: pd.DataFrame,
    pairs: pd.DataFrame,
    frames: Frames,
    options: ScoringOptions,
    start: datetime,
    end: datetime,
    outcomes: pd.DataFrame,
) -> pd.DataFrame:
    """Family rows mentoring_reach, breadth, knowledge_spreading, mentee_retention and
    mentee_rounds_change (``outcomes``: see ``mentee_outcomes``)."""
    reviewers = pd.Index(sorted(episodes["person"].dropna().unique()), name="person")
    if reviewers.empty:
        return family_rows([], "mentoring_reach", [], [], [], [], [], 0, "newcomers", True)
    strong = pairs[pairs["n_interactions"] >= options.mentoring_min_interactions]
    reach = strong.groupby("mentor").size().reindex(reviewers).fillna(0)
    touched = pairs.groupby("mentor").size().reindex(reviewers).fillna(0)
    n_inter = pairs.groupby("mentor")["n_interactions"].sum().reindex(reviewers).fillna(0)
    rows = [
        family_rows(
            reviewers,
            "mentoring_reach",
            reach,
            np.nan,
            np.nan,
            touched,
            n_inter,
            0,
            "newcomers with >= 2 mentoring interactions",
            True,
        )
    ]
    rows.append(_breadth(episodes, reviewers))
    rows.append(_knowledge_spreading(episodes, frames, options, reviewers, start, end))
    rows.append(_retention(pairs, frames, options, reviewers))
    rows.append(rounds_change_scores(outcomes, options, reviewers))
    return pd.concat(rows, ignore_index=True)


def _breadth(episodes: pd.DataFrame, reviewers: pd.Index) -> pd.DataFrame:
    """Normalised entropy of the authors each person reviews, over K = the window's PR authors other than
    the person (at least 2), so reviewing two authors evenly in a team of ten is not 'maximally broad'.
    Counted on integer person codes (bincount), not by grouping strings: episodes run to a million rows."""
    person = reviewers.get_indexer(pd.Index(episodes["person"])).astype(np.int64)
    author_codes, authors = pd.factorize(episodes["pr_author"].to_numpy(dtype=object))  # NA -> -1
    has_author = (author_codes >= 0) & (person >= 0)
    pair, k = np.unique(person[has_author] * max(len(authors), 1) + author_codes[has_author], return_counts=True)
    pair_person = pair // max(len(authors), 1)
    size = len(reviewers)
    total = np.bincount(pair_person, weights=k, minlength=size)
    share = k / total[pair_person]
    entropy = np.bincount(pair_person, weights=-(share * np.log(share)), minlength=size)
    distinct = np.bincount(pair_person, minlength=size)
    k_authors = np.maximum(len(authors) - reviewers.isin(list(authors)).astype(int), 2)
    normalised = np.clip(entropy / np.log(k_authors), 0.0, None)
    n = np.bincount(person[person >= 0], minlength=size)
    return family_rows(
        reviewers,
        "breadth",
        normalised,
        np.nan,
        np.nan,
        distinct,
        n,
        1,
        "normalised entropy of authors reviewed (0..1)",
        True,
    )


def file_authors(frames: Frames, start: datetime, end: datetime) -> pd.DataFrame:
    """Distinct (repo, path, person) recent human authorship in the window: PRs created in the window and
    default-branch commits."""
    prs = frames.prs[~frames.prs["is_bot"].fillna(False).astype(bool)]
    prs = prs[(prs["created_at"] >= pd.Timestamp(start)) & (prs["created_at"] <= pd.Timestamp(end))]
    pr_auth = frames.pr_files[["pr_id", "path"]].merge(prs[["pr_id", "repo", "person"]], on="pr_id")
    commits = frames.commits[~frames.commits["is_bot"].fillna(False).astype(bool)]
    in_window = (commits["committed_at"] >= pd.Timestamp(start)) & (commits["committed_at"] <= pd.Timestamp(end))
    commits = commits[in_window]
    c_auth = frames.commit_files[["repo", "sha", "path"]].merge(commits[["repo", "sha", "person"]], on=["repo", "sha"])
    authors = pd.concat([pr_auth[["repo", "path", "person"]], c_auth[["repo", "path", "person"]]]).dropna()
    return authors.astype(object).drop_duplicates().reset_index(drop=True)


def _knowledge_spreading(
    episodes: pd.DataFrame,
    frames: Frames,
    options: ScoringOptions,
    reviewers: pd.Index,
    start: datetime,
    end: datetime,
) -> pd.DataFrame:
    """Share of a person's episodes touching >= 1 file at risk: a file whose recent authors, other than the
    reviewer, number at most one (beta-binomial)."""
    # a file is at risk for reviewer r when its recent authors other than r number <= 1: always when it
    # has <= 1 author, and when it has exactly 2 and r is one of them
    files = frames.pr_files[~frames.pr_files["is_generated"].fillna(False).astype(bool)][["pr_id", "path"]]
    files = files.merge(frames.prs[["pr_id", "repo"]], on="pr_id").astype(object)
    authors = file_authors(frames, start, end)
    n_authors = authors.groupby(["repo", "path"]).size().rename("n_authors").reset_index()
    files = files.merge(n_authors, on=["repo", "path"], how="left")
    n_files = files["n_authors"].fillna(0).to_numpy()
    risky_prs = pd.unique(files.loc[n_files <= 1, "pr_id"])
    pair_files = files[n_files == 2].merge(authors, on=["repo", "path"])
    # (PR, person) keys on integer codes against the reviewers (-1: not a reviewer, never an episode)
    width = len(reviewers) + 1
    code = reviewers.get_indexer(pd.Index(episodes["person"].to_numpy())).astype(np.int64)
    keys = episodes["pr_id"].fillna(-1).to_numpy(dtype=np.int64) * width + code
    pair_code = reviewers.get_indexer(pd.Index(pair_files["person"].to_numpy())).astype(np.int64)
    risky_pairs = pair_files["pr_id"].fillna(-1).to_numpy(dtype=np.int64) * width + pair_code
    at_risk = episodes["pr_id"].isin(risky_prs).to_numpy() | np.isin(keys, risky_pairs)
    counted = code >= 0
    x = pd.Series(np.bincount(code[counted], weights=at_risk[counted], minlength=len(reviewers)), index=reviewers)
    n = pd.Series(np.bincount(code[counted], minlength=len(reviewers)), index=reviewers)
    bb = beta_binomial(x, n, options.prior_min_n, options.prior_strength_cap, options.level)
    return family_rows(
        reviewers,
        "knowledge_spreading",
        bb["estimate"],
        bb["lo"],
        bb["hi"],
        bb["raw"],
        n,
        1,
        "share of reviews on files at risk",
        True,
    )


def _retention(pairs: pd.DataFrame, frames: Frames, options: ScoringOptions, reviewers: pd.Index) -> pd.DataFrame:
    """Share of a mentor's mentees who open another PR within 90 days of their first mentored PR
    (only mentees whose 90 days have elapsed by ``now``); exploratory, never ranked."""
    days = pd.Timedelta(days=options.retention_days)
    now = pd.Timestamp(frames.now)
    if pairs.empty:
        return family_rows(
            reviewers,
            "mentee_retention",
            np.nan,
            np.nan,
            np.nan,
            np.nan,
            0,
            options.min_mentees,
            "share of mentees active again within 90 days",
            True,
        )
    first = pairs.assign(first_pr=pairs["first_at"])
    first = first[first["first_pr"] + days <= now]
    prs = frames.prs[["person", "created_at"]].dropna().rename(columns={"person": "mentee"})
    prs = prs.astype({"mentee": object})
    first = first.astype({"mentee": object})
    # the mentee's next PR strictly after the first mentored interaction, if any
    nxt = pd.merge_asof(
        first[["mentor", "mentee", "first_pr"]].sort_values("first_pr", kind="stable"),
        prs.assign(next_pr=prs["created_at"]).sort_values("created_at", kind="stable"),
        left_on="first_pr",
        right_on="created_at",
        by="mentee",
        direction="forward",
        allow_exact_matches=False,
    )
    back = nxt[nxt["next_pr"].notna() & (nxt["next_pr"] <= nxt["first_pr"] + days)]
    retained = back.drop_duplicates(["mentor", "mentee"]).groupby("mentor").size()
    x = retained.reindex(reviewers).fillna(0)
    n = first.groupby("mentor").size().reindex(reviewers).fillna(0)
    bb = beta_binomial(x, n, options.prior_min_n, options.prior_strength_cap, options.level)
    status = np.where(n >= options.min_mentees, "exploratory", "insufficient")
    return family_rows(
        reviewers,
        "mentee_retention",
        bb["estimate"],
        bb["lo"],
        bb["hi"],
        bb["raw"],
        n,
        options.min_mentees,
        "share of mentees active again within 90 days",
        True,
        status,
    )


def newcomer_inflow(frames: Frames, pairs: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    """Per month of first PR (in the window): newcomers arriving, and how many got a mentoring interaction."""
    people = frames.people[~frames.people["is_bot"].fillna(False).astype(bool)].dropna(subset=["first_pr_at"])
    people = people[(people["first_pr_at"] >= pd.Timestamp(start)) & (people["first_pr_at"] <= pd.Timestamp(end))]
    # established members (newcomer period ending at their first PR, see frames) are not inflow
    until = people["newcomer_until"]
    people = people[(until.isna() | (until > people["first_pr_at"])).fillna(True).astype(bool)]
    if people.empty:
        return pd.DataFrame(
            {
                "month": pd.Series(dtype="string"),
                "n_newcomers": pd.Series(dtype="int64"),
                "n_helped": pd.Series(dtype="int64"),
            }
        )
    month = people["first_pr_at"].dt.strftime("%Y-%m")
    helped = people["person"].isin(pd.unique(pairs["mentee"].dropna().astype(str)))
    frame = pd.DataFrame({"month": month.to_numpy(), "helped": helped.to_numpy()})
    out = frame.groupby("month").agg(n_newcomers=("helped", "size"), n_helped=("helped", "sum")).reset_index()
    return out.astype({"month": "string", "n_newcomers": "int64", "n_helped": "int64"})


def mentoring_evidence(teaching: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Each mentor's latest teaching comments to newcomers."""
    cols = ["person", "comment_id", "url", "body", "markers", "created_at"]
    rows = teaching[cols].sort_values("created_at", ascending=False).groupby("person").head(options.evidence_per_family)
    return pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "family": "mentoring_reach",
            "kind": "comment",
            "ref": rows["comment_id"].to_numpy(),
            "url": rows["url"].to_numpy(),
            "excerpt": excerpt(rows["body"]).to_numpy(),
            "markers": rows["markers"].to_numpy(),
            "at": rows["created_at"].to_numpy(),
        }
    )


ROUNDS_UNIT = "review rounds"
OUTCOME_COLUMNS = ("mentor", "mentee", "first_pr", "first_url", "first_at", "first_rounds", "later_rounds", "n_later")


def pr_review_rounds(frames: Frames) -> pd.Series:
    """Review rounds per PR id (§3.3 item 4): CHANGES_REQUESTED reviews by humans other than the author,
    plus the author's commits (a proxy for pushes) committed after the first human review."""
    prs = frames.prs[["pr_id", "person"]].dropna().astype({"person": object})
    reviews = frames.reviews[~frames.reviews["is_bot"].fillna(False).astype(bool).to_numpy()]
    reviews = reviews[["pr_id", "person", "state", "submitted_at"]].dropna(subset=["pr_id", "submitted_at"])
    reviews = reviews.astype({"person": object}).merge(prs, on="pr_id", suffixes=("", "_author"))
    reviews = reviews[(reviews["person"] != reviews["person_author"]).to_numpy()]
    changes = reviews[reviews["state"].to_numpy() == "CHANGES_REQUESTED"].groupby("pr_id").size()
    first_review = reviews.groupby("pr_id")["submitted_at"].min().rename("first_review")
    commits = frames.pr_commits[["pr_id", "person", "committed_at"]].dropna().astype({"person": object})
    commits = commits.merge(prs, on="pr_id", suffixes=("", "_author")).merge(first_review.reset_index(), on="pr_id")
    own_later = (commits["person"] == commits["person_author"]) & (commits["committed_at"] > commits["first_review"])
    pushes = commits[own_later.to_numpy()].groupby("pr_id").size()
    ids = pd.Index(prs["pr_id"].to_numpy(dtype=np.int64), name="pr_id")
    rounds: pd.Series = changes.reindex(ids).fillna(0) + pushes.reindex(ids).fillna(0)
    return rounds


def mentee_outcomes(pairs: pd.DataFrame, frames: Frames, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per (mentor, mentee) with >= 1 later PR: the PR of the mentor's first teaching comment to
    the mentee (``first_pr_id`` of ``mentoring_pairs``), its review rounds, and the mean rounds over the
    mentee's later newcomer PRs (created after it, in the window)."""
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in OUTCOME_COLUMNS})
    if pairs.empty:
        return empty
    prs = frames.prs[~frames.prs["is_bot"].fillna(False).astype(bool).to_numpy()]
    prs = prs[(prs["created_at"] >= pd.Timestamp(start)) & (prs["created_at"] <= pd.Timestamp(end))]
    prs = prs[["pr_id", "person", "created_at", "url", "author_newcomer"]].dropna(subset=["pr_id", "person"])
    prs = prs.astype({"person": object}).assign(pr_id=lambda f: f["pr_id"].astype(np.int64))
    prs["rounds"] = pr_review_rounds(frames).reindex(prs["pr_id"].to_numpy()).fillna(0).to_numpy()
    first = pairs[["mentor", "mentee", "first_pr_id"]].astype({"mentor": object, "mentee": object})
    first = first.merge(prs, left_on=["first_pr_id", "mentee"], right_on=["pr_id", "person"])
    later_sum, later_n = _later_rounds(prs, first["mentee"], first["created_at"])
    out = first.assign(later_rounds=later_sum / np.maximum(later_n, 1), n_later=later_n)[later_n > 0]
    if out.empty:
        return empty
    names = {"pr_id": "first_pr", "url": "first_url", "created_at": "first_at", "rounds": "first_rounds"}
    return (
        out.rename(columns=names).loc[:, list(OUTCOME_COLUMNS)].sort_values(["mentor", "mentee"]).reset_index(drop=True)
    )


def _later_rounds(
    prs: pd.DataFrame, mentees: pd.Series, after: pd.Series
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """(sum of rounds, count) of each mentee's newcomer PRs created strictly after ``after``: one sorted
    (person, time rank) key and suffix sums, so there is no pairs x PRs join."""
    newcomer = prs[prs["author_newcomer"].fillna(False).astype(bool).to_numpy()]
    people = pd.Index(pd.unique(np.r_[newcomer["person"].to_numpy(dtype=object), mentees.to_numpy(dtype=object)]))
    times = np.r_[newcomer["created_at"].to_numpy(dtype="datetime64[ns]"), after.to_numpy(dtype="datetime64[ns]")]
    _, rank = np.unique(times, return_inverse=True)
    span = np.int64(len(times) + 1)
    pr_key = people.get_indexer(pd.Index(newcomer["person"])).astype(np.int64) * span + rank[: len(newcomer)]
    order = np.argsort(pr_key, kind="stable")
    keys = pr_key[order]
    cumulative = np.r_[0.0, np.cumsum(newcomer["rounds"].to_numpy(dtype=float)[order])]
    code = people.get_indexer(pd.Index(mentees)).astype(np.int64)
    lo = np.searchsorted(keys, code * span + rank[len(newcomer) :], side="right")
    hi = np.searchsorted(keys, (code + 1) * span, side="left")
    return cumulative[hi] - cumulative[lo], (hi - lo).astype(np.int64)


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


def rounds_change_scores(outcomes: pd.DataFrame, options: ScoringOptions, reviewers: pd.Index) -> pd.DataFrame:
    """Mean over a mentor's mentees of (mean rounds of later newcomer PRs - rounds of the first mentored
    PR), with a bootstrap interval over mentees; exploratory (never ranked), insufficient below 8 mentees
    or 30 later mentee PRs."""
    est = np.full(len(reviewers), np.nan)
    lo, hi = est.copy(), est.copy()
    n_mentees = np.zeros(len(reviewers))
    n_later = np.zeros(len(reviewers))
    change = (outcomes["later_rounds"].astype(float) - outcomes["first_rounds"].astype(float)).to_numpy()
    positions = reviewers.get_indexer(pd.Index(outcomes["mentor"].to_numpy()))
    for i in np.unique(positions[positions >= 0]):
        mine = positions == i
        est[i] = float(change[mine].mean())
        lo[i], hi[i] = bootstrap_mean_interval(change[mine], options.bootstrap_samples, options.seed, options.level)
        n_mentees[i] = mine.sum()
        n_later[i] = outcomes["n_later"].to_numpy(dtype=float)[mine].sum()
    enough = (n_mentees >= options.min_mentees) & (n_later >= options.min_mentee_prs)
    status = np.where(enough, "exploratory", "insufficient")
    unit = "change in review rounds (later PRs - first mentored PR)"
    return family_rows(
        reviewers, "mentee_rounds_change", est, lo, hi, est, n_mentees, options.min_mentees, unit, False, status
    )


def mentee_rounds_evidence(outcomes: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Per mentor, the latest mentees' first mentored PR with its rounds against their later PRs."""
    rows = outcomes
    rows = (
        rows.sort_values("first_at", ascending=False, kind="stable").groupby("mentor").head(options.evidence_per_family)
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
