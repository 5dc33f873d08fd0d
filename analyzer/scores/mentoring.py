"""Mentoring reach (docs/methodology.md, "Newcomers mentored"):
interactions with newcomers, reach, breadth, knowledge spreading and mentee
retention; the review-rounds outcome is in ``mentee_outcomes``."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analyzer.frames.model import Frames
from analyzer.scores.codes import NA_ID, TEXT, bool_mask, in_window, int_ids, join_key, text_codes
from analyzer.scores.episodes import in_episode
from analyzer.scores.mentee_outcomes import rounds_change_scores
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import (
    COMMENT_EVIDENCE_SOURCE,
    beta_binomial,
    codes_in,
    comment_evidence,
    family_rows,
    group_codes,
    in_set,
    is_member,
    join_positions,
    rows_at,
    sorted_unique,
    top_per_group,
)
from analyzer.scores.tables import MENTORING

TEACHING_LABELS = ("thought", "note")
MENTORING_COLUMNS = MENTORING.columns


def teaching_comments(comments: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Comments that make an episode a mentoring interaction (docs/methodology.md, "A teaching review"):
    in an episode on a newcomer's PR,
    non-trivial, not harsh, with a teaching cue (rationale, link, suggestion block, thought/note label, or a
    reply in a thread to the newcomer)."""
    flags = ~comments["is_trivial"].to_numpy() & ~comments["harsh"].to_numpy()
    flags &= comments["to_newcomer"].to_numpy(dtype=bool) & in_episode(comments, episodes)
    rows = np.flatnonzero(flags)  # only these rows' columns are taken, and all columns once at the end
    replied = comments["in_reply_to"].notna().to_numpy()[rows]
    answered = np.zeros(len(rows), dtype=bool)
    if replied.any():  # only replies need the author of the comment they answer
        answered[replied] = _answers_pr_author(comments, rows[replied])
    cue = answered
    for flag in ("has_rationale", "has_link", "has_suggestion"):
        cue |= comments[flag].to_numpy(dtype=bool)[rows]
    # a label is only looked at (text taken, lower-cased) where no other cue already holds
    unlabelled = np.flatnonzero(~cue)
    cc_label, comment_type = (comments[c].take(rows[unlabelled]) for c in ("cc_label", "comment_type"))
    label = cc_label.str.lower().isin(TEACHING_LABELS) | comment_type.astype(str).isin(TEACHING_LABELS)
    cue[unlabelled] = label.to_numpy(dtype=bool)
    teaching: pd.DataFrame = comments.iloc[rows[cue]]
    return teaching


def _answers_pr_author(comments: pd.DataFrame, replies: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """Per reply (row position): is the inline comment it answers by the PR's author? Comment ids are
    matched through one factorisation of both id lists rather than an index of a million strings."""
    inline = np.flatnonzero((comments["kind"] == "review_comment").to_numpy(dtype=bool, na_value=False))
    ids = pd.concat([comments["comment_id"].take(inline), comments["in_reply_to"].take(replies)], ignore_index=True)
    codes, uniques = pd.factorize(ids)
    first_inline = np.full(len(uniques) + 1, -1, dtype=np.intp)  # code -1 (a missing id) reads the last slot
    first_inline[codes[: len(inline)][::-1]] = inline[::-1]  # reversed: the first of duplicate ids wins
    target = first_inline[codes[len(inline) :]]
    found = target >= 0
    author = comments["person"].take(np.where(found, target, 0)).to_numpy(dtype=object)
    pr_author = comments["pr_author"].take(replies).to_numpy(dtype=object)
    # names are str; a missing one (NA) never matches
    same = np.array([isinstance(a, str) and a == b for a, b in zip(author, pr_author, strict=True)], dtype=bool)
    answered: npt.NDArray[np.bool_] = found & same
    return answered


def mentoring_pairs(teaching: pd.DataFrame) -> pd.DataFrame:
    """mentor, mentee, n_interactions (episodes with >= 1 teaching comment), first_at, last_at, pr_ids.
    Grouped on integer codes (sorted like the names) rather than on strings."""
    mentor, mentors = pd.factorize(teaching["person"], sort=True)
    mentee, mentees = pd.factorize(teaching["pr_author"], sort=True)
    pr_id = teaching["pr_id"].to_numpy(dtype=np.float64, na_value=np.nan)
    valid = (mentor >= 0) & (mentee >= 0) & ~np.isnan(pr_id)
    if not valid.any():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MENTORING_COLUMNS})
    mentor, mentee, pr = mentor[valid], mentee[valid], pr_id[valid].astype(np.int64)
    at = teaching["created_at"].to_numpy(dtype="datetime64[ns]")[valid]
    order = _pair_order(mentor, mentee, pr, len(mentees))
    mentor, mentee, pr, at = mentor[order], mentee[order], pr[order], at[order]
    new_pair = np.r_[True, (mentor[1:] != mentor[:-1]) | (mentee[1:] != mentee[:-1])]
    new_episode = new_pair | np.r_[True, pr[1:] != pr[:-1]]
    episode_starts = np.flatnonzero(new_episode)
    starts = np.flatnonzero(new_pair[episode_starts])  # in episode units
    ends = np.r_[starts[1:], len(episode_starts)]
    pair_rows = episode_starts[starts]
    pairs = pd.DataFrame(
        {
            "mentor": _names(mentors, mentor[pair_rows]),
            "mentee": _names(mentees, mentee[pair_rows]),
            "n_interactions": ends - starts,
            "first_at": pd.to_datetime(np.minimum.reduceat(at, pair_rows), utc=True),
            "last_at": pd.to_datetime(np.maximum.reduceat(at, pair_rows), utc=True),
            "pr_ids": _joined_ids(pr[episode_starts], starts),
            "first_pr_id": _earliest_pr(at, pr, pair_rows),  # not in the mentoring table's contract
        }
    )
    return pairs


def _pair_order(
    mentor: npt.NDArray[np.intp], mentee: npt.NDArray[np.intp], pr: npt.NDArray[np.int64], n_mentees: int
) -> npt.NDArray[np.intp]:
    """``np.lexsort((pr, mentee, mentor))`` as one stable sort of a combined integer key."""
    pr_rank, prs = pd.factorize(pr, sort=True)
    if (len(prs) + 1) * (n_mentees + 1) * (int(mentor.max()) + 1) >= 2**62:
        return np.lexsort((pr, mentee, mentor))
    key = (mentor.astype(np.int64) * n_mentees + mentee) * len(prs) + pr_rank
    order: npt.NDArray[np.intp] = np.argsort(key, kind="stable")
    return order


def _names(uniques: pd.Index, codes: npt.NDArray[np.intp]) -> pd.api.extensions.ExtensionArray:
    """The names at ``codes`` as the text column a list of these Python strings would become."""
    names: pd.api.extensions.ExtensionArray = pd.array(
        pa.array(np.asarray(uniques, dtype=object)).take(codes), dtype=TEXT
    )
    return names


def _joined_ids(ids: npt.NDArray[np.int64], starts: npt.NDArray[np.intp]) -> pd.api.extensions.ExtensionArray:
    """``";".join(str(i) for i in ids[a:b])`` for consecutive runs starting at ``starts``, built in arrow
    (a list array over the ids as text) rather than with a Python join per pair."""
    offsets = pa.array(np.r_[starts, len(ids)].astype(np.int64))
    runs = pa.LargeListArray.from_arrays(offsets, pa.array(ids).cast(pa.string()))
    joined: pd.api.extensions.ExtensionArray = pd.array(pc.binary_join(runs, ";"), dtype=TEXT)
    return joined


def _earliest_pr(
    at: npt.NDArray[np.datetime64], pr: npt.NDArray[np.int64], pair_rows: npt.NDArray[np.intp]
) -> npt.NDArray[np.int64]:
    """Per pair (rows grouped from ``pair_rows``): the PR of its earliest comment, ties to the lowest PR id
    (a missing time sorts last, as in a lexsort)."""
    ns = at.view(np.int64)
    time = np.where(np.isnat(at), np.iinfo(np.int64).max, ns)
    sizes = np.diff(np.r_[pair_rows, len(pr)])
    earliest = np.repeat(np.minimum.reduceat(time, pair_rows), sizes)
    first: npt.NDArray[np.int64] = np.minimum.reduceat(
        np.where(time == earliest, pr, np.iinfo(np.int64).max), pair_rows
    )
    return first


def review_edges(episodes: pd.DataFrame) -> pd.DataFrame:
    """reviewer, author, n_episodes, author_is_newcomer (a newcomer in at least one of those PRs).
    Counted on sorted integer codes of both names (the groups and order of a groupby on them)."""
    person, people = group_codes(episodes["person"])
    author, authors = group_codes(episodes["pr_author"])
    valid = (person >= 0) & (author >= 0)
    width = max(len(authors), 1)
    key = person[valid].astype(np.int64) * width + author[valid]
    newcomer = bool_mask(episodes["to_newcomer"])[valid]
    if len(people) * width <= 4 * len(key) + (1 << 20):
        counts = np.bincount(key, minlength=len(people) * width)
        edges = np.flatnonzero(counts)
        n_episodes, n_newcomer = counts[edges], np.bincount(key, weights=newcomer, minlength=len(counts))[edges]
    else:  # too many name pairs for a dense table: count the distinct ones
        edges = sorted_unique(key)
        at = np.searchsorted(edges, key)
        n_episodes = np.bincount(at, minlength=len(edges))
        n_newcomer = np.bincount(at, weights=newcomer, minlength=len(edges))
    return pd.DataFrame(
        {
            "reviewer": people.take(edges // width).array,
            "author": authors.take(edges % width).array,
            "n_episodes": n_episodes.astype(np.int64),
            "author_is_newcomer": n_newcomer > 0,
        }
    )


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
    reviewers, person = _reviewers(episodes)
    if reviewers.empty:
        return family_rows([], "mentoring_reach", [], [], [], [], [], 0, "newcomers", True)
    mentor = codes_in(pairs["mentor"], reviewers)
    known = mentor >= 0
    interactions = pairs["n_interactions"].to_numpy(dtype=np.float64)
    strong = known & (interactions >= options.mentoring_min_interactions)
    size = len(reviewers)
    reach = np.bincount(mentor[strong], minlength=size).astype(float)
    touched = np.bincount(mentor[known], minlength=size).astype(float)
    n_inter = np.bincount(mentor[known], weights=interactions[known], minlength=size)
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
    rows.append(_breadth(episodes, reviewers, person))
    rows.append(_knowledge_spreading(episodes, frames, options, reviewers, start, end, person))
    rows.append(_retention(pairs, frames, options, reviewers))
    rows.append(rounds_change_scores(outcomes, options, reviewers))
    return pd.concat(rows, ignore_index=True)


def _reviewers(episodes: pd.DataFrame) -> tuple[pd.Index, npt.NDArray[np.intp]]:
    """(the sorted distinct people of the episodes, each episode's position in them; -1: none), from one
    factorisation of the million-row column."""
    codes, uniques = pd.factorize(episodes["person"])
    reviewers = pd.Index(sorted(uniques), name="person")
    positions = np.append(reviewers.get_indexer(uniques), -1).astype(np.intp)
    return reviewers, positions[codes]


def _breadth(episodes: pd.DataFrame, reviewers: pd.Index, person: npt.NDArray[np.intp] | None = None) -> pd.DataFrame:
    """Normalised entropy of the authors each person reviews, over K = the window's PR authors other than
    the person (at least 2), so reviewing two authors evenly in a team of ten is not 'maximally broad'.
    Counted on integer person codes (bincount), not by grouping strings: episodes run to a million rows.
    ``person``: each episode's position in ``reviewers``, when the caller has it."""
    person = (codes_in(episodes["person"], reviewers) if person is None else person).astype(np.int64)
    author_codes, authors = pd.factorize(episodes["pr_author"])  # codes by first appearance; NA -> -1
    has_author = (author_codes >= 0) & (person >= 0)
    # the distinct (person, author) pairs in ascending order with their counts (np.unique's output)
    pair_counts = np.bincount(
        person[has_author] * max(len(authors), 1) + author_codes[has_author], minlength=len(reviewers) * len(authors)
    )
    pair = np.flatnonzero(pair_counts)
    k = pair_counts[pair]
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


def _knowledge_spreading(
    episodes: pd.DataFrame,
    frames: Frames,
    options: ScoringOptions,
    reviewers: pd.Index,
    start: datetime,
    end: datetime,
    person: npt.NDArray[np.intp] | None = None,
) -> pd.DataFrame:
    """Share of a person's episodes touching >= 1 file at risk: a file whose recent authors, other than the
    reviewer, number at most one (beta-binomial). ``person``: each episode's position in ``reviewers``."""
    code = (codes_in(episodes["person"], reviewers) if person is None else person).astype(np.int64)
    risky_prs, pair_prs, pair_reviewers = _files_at_risk(frames, reviewers, start, end)
    width = len(reviewers) + 1
    episode_pr = episodes["pr_id"].fillna(-1).to_numpy(dtype=np.int64)
    at_risk = in_set(episode_pr, risky_prs) & episodes["pr_id"].notna().to_numpy()
    # (PR, reviewer) keys only for the episodes on a PR with a 2-author file
    maybe = np.flatnonzero(in_set(episode_pr, pair_prs))
    at_risk[maybe] |= is_member(episode_pr[maybe] * width + code[maybe], pair_prs * width + pair_reviewers)
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


def _files_at_risk(
    frames: Frames, reviewers: pd.Index, start: datetime, end: datetime
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(PR ids with a file at risk for anyone, and the (PR id, reviewer position) pairs with a file at risk
    for that reviewer). A file (non-generated, its repo from the PR) is at risk for reviewer r when its
    recent human authors (authors of PRs created in the window and of default-branch commits)
    other than r number <= 1: always when it has <= 1 author, and when
    it has exactly 2 and r is one of them. All keys are integer codes: no text column is merged."""
    prs, files, commits, commit_files = frames.prs, frames.pr_files, frames.commits, frames.commit_files
    repo_pr, repo_cf = text_codes(prs["repo"], commit_files["repo"])
    path_pf, path_cf = text_codes(files["path"], commit_files["path"])
    person_pr, person_c = text_codes(prs["person"], commits["person"])
    pr_of_pr, pr_of_file = int_ids(prs["pr_id"]), int_ids(files["pr_id"])
    # files reviewed: non-generated PR files with the repo of their PR
    kept = np.flatnonzero(~bool_mask(files["is_generated"]))
    at_file, at_pr = join_positions([pr_of_file[kept]], [pr_of_pr])
    file_rows = kept[at_file]
    file_repo, file_path = repo_pr[at_pr], path_pf[file_rows]
    # recent human authors: files of PRs created in the window, and files of default-branch commits
    recent = np.flatnonzero(~bool_mask(prs["is_bot"]) & in_window(prs["created_at"], start, end))
    pr_file, pr_row = join_positions([pr_of_file], [pr_of_pr[recent]])
    pr_row = recent[pr_row]
    landed = np.flatnonzero(~bool_mask(commits["is_bot"]) & in_window(commits["committed_at"], start, end))
    repo_cf_join, repo_c_join = (join_key(c) for c in text_codes(commit_files["repo"], commits["repo"].take(landed)))
    sha_cf, sha_c = (join_key(c) for c in text_codes(commit_files["sha"], commits["sha"].take(landed)))
    commit_file, commit_row = join_positions([repo_cf_join, sha_cf], [repo_c_join, sha_c])
    author_repo = np.r_[repo_pr[pr_row], repo_cf[commit_file]]
    author_path = np.r_[path_pf[pr_file], path_cf[commit_file]]
    author_person = np.r_[person_pr[pr_row], person_c[landed[commit_row]]]
    named = (author_repo >= 0) & (author_path >= 0) & (author_person >= 0)
    # one compact code per (repo, path) across both tables (-1: repo or path missing)
    n_paths = int(max(path_pf.max(initial=-1), path_cf.max(initial=-1))) + 1
    file_known = (file_repo >= 0) & (file_path >= 0)
    both = np.r_[(file_repo * n_paths + file_path)[file_known], (author_repo * n_paths + author_path)[named]]
    compact, keys = pd.factorize(both)
    file_key = np.full(len(file_rows), -1, dtype=np.int64)
    file_key[file_known] = compact[: int(file_known.sum())]
    author_key = compact[int(file_known.sum()) :].astype(np.int64)
    n_people = max(int(author_person.max(initial=-1)) + 1, 1)
    distinct = sorted_unique(author_key * n_people + author_person[named])  # (file, person) once, sorted
    n_authors = np.bincount(distinct // n_people, minlength=len(keys))
    n_files = np.where(file_key >= 0, n_authors[np.maximum(file_key, 0)], 0)
    pr_ids = np.where(pr_of_file[file_rows] == NA_ID, -1, pr_of_file[file_rows])
    risky_prs = sorted_unique(pr_ids[n_files <= 1])
    # the two authors of every 2-author file (``distinct`` is sorted by file key, then person)
    two = np.flatnonzero(n_files == 2)
    first_author = np.searchsorted(distinct, file_key[two] * n_people)
    people = pd.factorize(pd.concat([prs["person"], commits["person"]], ignore_index=True))[1]
    reviewer_of = np.append(reviewers.get_indexer(pd.Index(people)), -1).astype(np.int64)
    pair_reviewers = np.concatenate([reviewer_of[distinct[first_author + i] % n_people] for i in (0, 1)])
    return risky_prs, np.r_[pr_ids[two], pr_ids[two]], pair_reviewers


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
    evaluable = np.flatnonzero(((pairs["first_at"] + days) <= now).to_numpy(dtype=bool, na_value=False))
    mentor = codes_in(pairs["mentor"].take(evaluable), reviewers)
    prs = frames.prs
    opened = np.flatnonzero(prs["person"].notna().to_numpy() & prs["created_at"].notna().to_numpy())
    author, mentee = text_codes(prs["person"].take(opened), pairs["mentee"].take(evaluable))
    first = pairs["first_at"].to_numpy(dtype="datetime64[ns]")[evaluable].view(np.int64)
    back = _opens_again(author, prs["created_at"].to_numpy(dtype="datetime64[ns]")[opened], mentee, first, days)
    # distinct (mentor, mentee) pairs back, per mentor; mentees counted per pair row
    known = back & (mentor >= 0) & (mentee >= 0)
    width = int(mentee.max(initial=-1)) + 1
    retained = sorted_unique(mentor[known].astype(np.int64) * width + mentee[known]) // max(width, 1)
    x = np.bincount(retained, minlength=len(reviewers)).astype(float)
    n = np.bincount(mentor[mentor >= 0], minlength=len(reviewers)).astype(float)
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


def _opens_again(
    author: npt.NDArray[np.int64],
    opened_at: npt.NDArray[np.datetime64],
    mentee: npt.NDArray[np.int64],
    after: npt.NDArray[np.int64],
    days: pd.Timedelta,
) -> npt.NDArray[np.bool_]:
    """Per (mentee, time): does the mentee's next PR strictly after that time come within ``days``? One
    sorted (author, time rank) key and a binary search per query (a merge_asof on integers)."""
    times = sorted_unique(opened_at.view(np.int64))
    span = np.int64(len(times) + 1)
    keys = np.sort(author * span + np.searchsorted(times, opened_at.view(np.int64)))
    later = np.searchsorted(keys, mentee * span + np.searchsorted(times, after, side="right"))
    found = (later < len(keys)) & (mentee >= 0)
    nxt = keys[np.minimum(later, len(keys) - 1)] if len(keys) else np.zeros(len(mentee), dtype=np.int64)
    found &= nxt < (mentee + 1) * span
    next_at = times[np.minimum(nxt % span, max(len(times) - 1, 0))] if len(times) else nxt
    back: npt.NDArray[np.bool_] = found & (next_at <= after + days.value)
    return back


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
    """Each mentor's latest teaching comments to newcomers (the rows of a newest-first sort and a
    per-person head, found on numpy arrays so only the kept rows' text is taken)."""
    groups, _ = group_codes(teaching["person"])
    latest = top_per_group(teaching["created_at"].to_numpy(dtype="datetime64[ns]"), groups, options.evidence_per_family)
    return comment_evidence(rows_at(teaching, latest, COMMENT_EVIDENCE_SOURCE), "mentoring_reach")
