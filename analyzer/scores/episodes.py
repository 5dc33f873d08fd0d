"""Review episodes (docs/methodology.md, "A review"):
one reviewer on one PR, with thoroughness T and the rubber-stamp rule.

An episode is every review, inline comment and conversation comment by reviewer r on PR p (r is not p's
author; bots on either side are excluded). Feedback "landed" (change_trigger) when, after the comment and
before the merge, the PR author pushed a commit touching the commented path, or the thread was resolved,
or its anchored line changed afterwards (GitHub marks the thread outdated), or a suggestion was applied.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import (
    COMMENT_EVIDENCE_SOURCE,
    FAMILY_COLUMNS,
    beta_binomial,
    comment_evidence,
    descending_time_key,
    family_rows,
    group_codes,
    rows_at,
    shrink_means,
    top_k_per_group,
    top_per_group,
)

PURE_REPLY = (
    r"(?i)^\s*(?:done|fixed|thanks|thank you|ty|ok|okay|ack|addressed|sure|will do|good catch|"
    r"updated|changed|agreed|\+1)\b[^\n]{0,40}$"
)
SUGGESTION_COMMIT = r"(?i)apply suggestions? from code review|applied suggestion"
EPISODE_KEY = ["pr_id", "person"]
COUNT_COLUMNS = ("n_inline", "n_subst", "nt", "spec", "rat", "nit", "inl_nt", "land", "files_commented")


def pair_keys(pr_id: pd.Series, person: pd.Series, people: pd.Series) -> npt.NDArray[np.int64]:
    """Integer key of (pr_id, person) with people coded against ``people``'s distinct values (-1: other)."""
    uniques = pd.Index(pd.unique(people.dropna()))
    codes = uniques.get_indexer(pd.Index(person.to_numpy()))
    return pr_id.fillna(-1).to_numpy(dtype=np.int64) * (len(uniques) + 1) + codes


def in_episode(comments: pd.DataFrame, episodes: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Per comment: is its (pr_id, person) one of the episodes? (The ``in_episode`` column when the
    pipeline already computed it.)"""
    if "in_episode" in comments:
        return comments["in_episode"].to_numpy(dtype=bool)
    keys = pair_keys(comments["pr_id"], comments["person"], episodes["person"])
    return np.isin(keys, pair_keys(episodes["pr_id"], episodes["person"], episodes["person"]))


def pr_sizes(frames: Frames) -> pd.DataFrame:
    """Per PR: size = additions + deletions over non-generated files, changed_files = their count.
    PRs without a file list fall back to the PR totals."""
    files = frames.pr_files[~frames.pr_files["is_generated"].fillna(False).astype(bool)]
    files = files.assign(churn=(files["additions"].fillna(0) + files["deletions"].fillna(0)).astype("int64"))
    by_pr = files.groupby("pr_id").agg(size=("churn", "sum"), changed_files=("path", "size"))
    prs = frames.prs.set_index("pr_id")
    fallback_size = (prs["additions"].fillna(0) + prs["deletions"].fillna(0)).astype("int64")
    has_files = frames.pr_files.groupby("pr_id").size().reindex(prs.index).notna()
    size = by_pr["size"].reindex(prs.index).fillna(0).astype("int64")
    files_n = by_pr["changed_files"].reindex(prs.index).fillna(0).astype("int64")
    out = pd.DataFrame(
        {
            "size": np.where(has_files, size, fallback_size),
            "changed_files": np.where(has_files, files_n, prs["changed_files"].fillna(0).astype("int64")),
        },
        index=prs.index,
    )
    return out.astype("int64")


def author_commits(frames: Frames) -> pd.DataFrame:
    """Commits in each PR made by the PR's author: pr_id, sha, committed_at, message."""
    prs = frames.prs[["pr_id", "repo", "person", "merged_at"]].rename(columns={"person": "pr_author"})
    commits = frames.pr_commits.merge(prs, on="pr_id", how="inner")
    commits = commits[(commits["person"] == commits["pr_author"]).fillna(False).astype(bool)]
    at = commits["committed_at"].fillna(commits["authored_at"])
    return commits.assign(committed_at=at)[["pr_id", "repo", "sha", "committed_at", "message", "merged_at"]]


def feedback_landed(comments: pd.DataFrame, frames: Frames) -> pd.Series:
    """Per inline comment (same index): did the author act on it before the merge?"""
    inline = comments[comments["kind"] == "review_comment"]
    landed = pd.Series(False, index=inline.index)
    if inline.empty:
        return landed
    commits = author_commits(frames)
    before_merge = commits["merged_at"].isna() | (commits["committed_at"] <= commits["merged_at"])
    commits = commits[before_merge]
    base = inline[["pr_id", "path", "created_at", "has_suggestion", "thread_id"]].reset_index(names="cidx")
    # 1. a later author commit touches the commented path
    files = frames.commit_files[["repo", "sha", "path"]].merge(commits, on=["repo", "sha"])
    touch = base.merge(files[["pr_id", "path", "committed_at"]], on=["pr_id", "path"])
    hit_path = touch.loc[touch["committed_at"] > touch["created_at"], "cidx"]
    # 2./3. any later author commit (for outdated threads and applied suggestions)
    later = base.merge(commits[["pr_id", "committed_at", "message"]], on="pr_id")
    later = later[later["committed_at"] > later["created_at"]]
    any_later = later["cidx"]
    applied = later.loc[
        later["has_suggestion"].astype(bool) & later["message"].fillna("").str.contains(SUGGESTION_COMMIT),
        "cidx",
    ]
    threads = frames.threads.set_index("thread_id")
    resolved = base["thread_id"].map(threads["is_resolved"]).fillna(False).astype(bool)
    outdated = base["thread_id"].map(threads["is_outdated"]).fillna(False).astype(bool)
    landed_idx = set(hit_path) | set(applied) | set(base.loc[resolved.to_numpy(), "cidx"])
    landed_idx |= set(base.loc[outdated.to_numpy() & base["cidx"].isin(any_later).to_numpy(), "cidx"])
    landed.loc[landed.index.isin(list(landed_idx))] = True
    return landed


def size_conditional_percentile(density: pd.Series, size: pd.Series, deciles: int = 10) -> pd.Series:
    """q(density | size decile): mid-rank percentile of density among episodes in the same size decile,
    (count below + 0.5 * count equal) / count; an episode with zero density gets 0."""
    if density.empty:
        return density.astype(float)
    d = density.to_numpy(dtype=float)
    if np.isnan(d).any() or size.isna().any():
        return _percentile_by_groupby(density, size, deciles)
    # deciles of size rank (ties: first come first), as qcut(size.rank(method="first")): the ranks are
    # 1..n whatever the sizes, so cut those once and hand each episode its rank's decile
    n = len(d)
    by_size = np.argsort(size.to_numpy(dtype=np.int64), kind="stable")
    bins = np.empty(n, dtype=np.int64)
    bins[by_size] = pd.qcut(np.arange(1, n + 1, dtype=float), q=min(deciles, n), labels=False)
    # counts of (decile, density value) cells: few distinct densities, so a small table does the ranks
    codes, values = pd.factorize(d)
    value_rank = np.argsort(np.argsort(values, kind="stable"), kind="stable")  # code -> rank of its value
    n_values = len(values)
    cell = bins * n_values + value_rank[codes]
    per_cell = np.bincount(cell, minlength=int(bins.max()) * n_values + n_values).reshape(-1, n_values)
    below_cell = np.cumsum(per_cell, axis=1) - per_cell  # episodes in the decile with a smaller density
    count = per_cell.sum(axis=1)[bins]
    below = below_cell.ravel()[cell].astype(float)
    equal = per_cell.ravel()[cell]
    q = (below + 0.5 * equal) / count
    return pd.Series(np.where(d > 0, q, 0.0), index=density.index, dtype=float, name="d")


def _percentile_by_groupby(density: pd.Series, size: pd.Series, deciles: int) -> pd.Series:
    bins = pd.qcut(size.rank(method="first"), q=min(deciles, len(size)), labels=False)
    frame = pd.DataFrame({"d": density.to_numpy(), "b": np.asarray(bins)}, index=density.index)
    below = frame.groupby("b")["d"].rank(method="min") - 1
    equal = frame.groupby(["b", "d"])["d"].transform("size")
    count = frame.groupby("b")["d"].transform("size")
    q = (below + 0.5 * equal) / count
    return q.where(frame["d"] > 0, 0.0).astype(float)


def episode_base(
    comments: pd.DataFrame, frames: Frames, options: ScoringOptions, start: datetime, end: datetime
) -> tuple[pd.DataFrame, pd.Series]:
    """The part of every episode that depends on its own PR only (so it can be cached per PR): keys,
    size, comment counts and the review features; plus the per-comment landed flag."""
    landed = feedback_landed(comments, frames)
    reviews = frames.reviews[~frames.reviews["is_bot"].fillna(False).astype(bool) & frames.reviews["person"].notna()]
    reviews = reviews[(reviews["submitted_at"] >= pd.Timestamp(start)) & (reviews["submitted_at"] <= pd.Timestamp(end))]
    keys = pd.concat([reviews[EPISODE_KEY], comments[EPISODE_KEY]]).drop_duplicates()
    prs = frames.prs.set_index("pr_id")
    keys = keys.assign(
        pr_author=keys["pr_id"].map(prs["person"]),
        pr_bot=keys["pr_id"].map(prs["is_bot"]).fillna(False).astype(bool),
    )
    keys = keys[~keys["pr_bot"] & (keys["person"] != keys["pr_author"]).fillna(True).astype(bool)]
    ep = keys.drop(columns="pr_bot").reset_index(drop=True)
    sizes = pr_sizes(frames)
    ep = ep.join(sizes, on="pr_id")
    ep["repo"], ep["pr_number"], ep["url"], ep["title"] = (
        ep["pr_id"].map(prs[c]) for c in ("repo", "number", "url", "title")
    )
    c = comments.assign(landed=landed.reindex(comments.index).astype("boolean"))
    c = c.merge(ep[EPISODE_KEY], on=EPISODE_KEY, how="inner")
    ep = ep.join(_comment_features(c, frames), on=EPISODE_KEY)
    ep = ep.join(_review_features(reviews, c, frames, sizes, options), on=EPISODE_KEY)
    # when the reviewer last acted on the PR (newest review or comment): orders "recent reviews"
    last_review = reviews.groupby(EPISODE_KEY)["submitted_at"].max()
    last_comment = c.groupby(EPISODE_KEY)["created_at"].max()
    last = pd.concat([last_review, last_comment], axis=1).max(axis=1).rename("last_at")
    ep = ep.join(last, on=EPISODE_KEY)
    for col in COUNT_COLUMNS:
        ep[col] = ep[col].fillna(0).astype("int64")
    for col in ("blocking", "eligible_approval", "rubber_stamp"):
        ep[col] = ep[col].fillna(False).astype(bool)
    landed_out = landed.astype(float).reindex(comments.index)
    return ep, landed_out


def to_newcomer(pr_ids: pd.Series, frames: Frames) -> npt.NDArray[np.bool_]:
    """Per row: is the PR ``pr_ids`` names a newcomer's? (Newcomer status is re-derived every run, so
    cached rows get it here, not from the cache.)"""
    newcomer = frames.prs.set_index("pr_id")["author_newcomer"]
    flags: npt.NDArray[np.bool_] = pr_ids.map(newcomer).fillna(False).astype(bool).to_numpy()
    return flags


def finish_episodes(base: pd.DataFrame, frames: Frames, options: ScoringOptions) -> pd.DataFrame:
    """Team-dependent episode columns: to_newcomer (newcomer status is re-derived every run) and the
    size-conditional density percentile with T."""
    ep = base.assign(to_newcomer=to_newcomer(base["pr_id"], frames))
    return _finish(ep, options)


def _comment_features(c: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    inline = c["kind"] == "review_comment"
    reply = c["in_reply_to"].notna() & c["body"].str.contains(PURE_REPLY, regex=True)
    substantive = ~c["is_trivial"] & ~reply
    specific = c["specific"] | (inline & c["path"].notna())
    files = frames.pr_files[~frames.pr_files["is_generated"].fillna(False).astype(bool)][["pr_id", "path"]]
    on_file = c[inline].merge(files, on=["pr_id", "path"])
    frame = pd.DataFrame(
        {
            "pr_id": c["pr_id"],
            "person": c["person"],
            "n_inline": inline.astype(int),
            "n_subst": (inline & substantive).astype(int),
            "nt": (~c["is_trivial"]).astype(int),
            "spec": (specific & ~c["is_trivial"]).astype(int),
            "rat": ((c["has_rationale"] | c["has_link"]) & ~c["is_trivial"]).astype(int),
            "nit": (c["is_nit"] & ~c["is_trivial"]).astype(int),
            "inl_nt": (inline & ~c["is_trivial"]).astype(int),
            "land": (inline & ~c["is_trivial"] & c["landed"].fillna(False).astype(bool)).astype(int),
        }
    )
    agg = frame.groupby(EPISODE_KEY).sum()
    covered = on_file.drop_duplicates(["pr_id", "person", "path"]).groupby(EPISODE_KEY).size()
    agg["files_commented"] = covered.reindex(agg.index).fillna(0).astype(int)
    return agg


def _review_features(
    reviews: pd.DataFrame,
    c: pd.DataFrame,
    frames: Frames,
    sizes: pd.DataFrame,
    options: ScoringOptions,
) -> pd.DataFrame:
    """Per episode: blocking, the first approval and whether it is an eligible approval / rubber stamp."""
    blocking = reviews.assign(b=reviews["state"] == "CHANGES_REQUESTED").groupby(EPISODE_KEY)["b"].any()
    approvals = reviews[reviews["state"] == "APPROVED"].sort_values("submitted_at")
    first = approvals.drop_duplicates(EPISODE_KEY).set_index(EPISODE_KEY)
    out = pd.DataFrame({"blocking": blocking}).join(
        first[["review_id", "submitted_at"]].rename(columns={"submitted_at": "approved_at"}), how="outer"
    )
    out = out.reset_index()
    if out.empty:
        return out.assign(
            blocking=False,
            approved_at=pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]"),
            eligible_approval=False,
            rubber_stamp=False,
        ).set_index(EPISODE_KEY)[["blocking", "eligible_approval", "rubber_stamp", "approved_at"]]
    at = out[EPISODE_KEY + ["review_id", "approved_at"]].dropna(subset=["approved_at"])
    cc = c.merge(at, on=EPISODE_KEY)
    inline_before = cc[
        (cc["kind"] == "review_comment")
        & ((cc["created_at"] <= cc["approved_at"]) | (cc["review_id_x"] == cc["review_id_y"]))
    ]
    own_body = cc[(cc["kind"] == "review_body") & (cc["review_id_x"] == cc["review_id_y"]) & ~cc["is_trivial"]]
    earlier = cc[(cc["created_at"] < cc["approved_at"]) & ~cc["is_trivial"] & (cc["kind"] != "review_body")]
    keyed = out.set_index(EPISODE_KEY)
    has_inline = keyed.index.isin(inline_before.set_index(EPISODE_KEY).index)
    body_ok = ~keyed.index.isin(own_body.set_index(EPISODE_KEY).index)
    engaged = keyed.index.isin(earlier.set_index(EPISODE_KEY).index)
    pr = keyed.index.get_level_values("pr_id")
    size = sizes["size"].reindex(pr).to_numpy()
    nfiles = sizes["changed_files"].reindex(pr).to_numpy()
    size_rule = (size >= options.rs_min_size) | (nfiles >= options.rs_min_files)
    body = frames.prs.set_index("pr_id")["body"].reindex(pr).fillna("").str.lower()
    paired = body.str.contains("|".join(map(_re_escape, options.pairing_markers)), regex=True).to_numpy()
    push = _last_push_before(keyed.reset_index(), frames)
    hours = (keyed["approved_at"].to_numpy() - push.to_numpy()) / np.timedelta64(1, "h")
    with np.errstate(invalid="ignore"):
        fast = np.nan_to_num(hours.astype(float), nan=np.inf) <= size / options.rs_loc_per_hour
    has_approval = keyed["approved_at"].notna().to_numpy()
    eligible = has_approval & size_rule & ~paired
    stamp = eligible & ~has_inline & body_ok & ~engaged & fast
    keyed = keyed.assign(
        blocking=keyed["blocking"].fillna(False).astype(bool), eligible_approval=eligible, rubber_stamp=stamp
    )
    return keyed[["blocking", "eligible_approval", "rubber_stamp", "approved_at"]]


def _re_escape(text: str) -> str:
    return re.escape(text.lower())


def _last_push_before(ep: pd.DataFrame, frames: Frames) -> pd.Series:
    """Per episode row: the PR author's last commit at or before the approval, else the PR's creation."""
    created = ep["pr_id"].map(frames.prs.set_index("pr_id")["created_at"])
    commits = author_commits(frames)[["pr_id", "committed_at"]].dropna()
    rows = ep[["pr_id", "approved_at"]].reset_index(names="row").dropna(subset=["approved_at"])
    joined = rows.merge(commits, on="pr_id")
    joined = joined[joined["committed_at"] <= joined["approved_at"]]
    last = joined.groupby("row")["committed_at"].max()
    return last.reindex(ep.index).fillna(created).where(ep["approved_at"].notna())


def _finish(ep: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    # plain numpy arithmetic on the columns (the same operations, in the same order, as Series arithmetic)
    col = {c: ep[c].to_numpy() for c in ("n_subst", "size", "files_commented", "changed_files", "spec", "nt")}
    col.update({c: ep[c].to_numpy() for c in ("rat", "land", "inl_nt", "nit")})

    def share(num: str, den: str) -> npt.NDArray[np.float64]:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio: npt.NDArray[np.float64] = np.where(col[den] > 0, col[num] / col[den], 0.0)
        return ratio

    ep["density"] = col["n_subst"] / np.maximum(col["size"] / 100.0, 1.0)
    ep["file_cov"] = np.minimum(share("files_commented", "changed_files"), 1.0)
    ep["specificity"], ep["rationale"] = share("spec", "nt"), share("rat", "nt")
    ep["change_trigger"], ep["nit_share"] = share("land", "inl_nt"), share("nit", "nt")
    in_t = col["size"] >= options.min_episode_size
    q_density = np.full(len(ep), np.nan)
    if in_t.any():
        q_density[in_t] = size_conditional_percentile(ep["density"][in_t], ep["size"][in_t]).to_numpy()
    ep["q_density"] = q_density
    w = options.t_weights
    t = (
        w["q_density"] * q_density
        + w["file_cov"] * ep["file_cov"].to_numpy()
        + w["specificity"] * ep["specificity"].to_numpy()
        + w["change_trigger"] * ep["change_trigger"].to_numpy()
        + w["rationale"] * ep["rationale"].to_numpy()
    )
    t = t * (1 - options.nit_discount * ep["nit_share"].to_numpy())
    ep["T"] = np.where(in_t, np.where(ep["rubber_stamp"].to_numpy(dtype=bool), 0.0, t), np.nan)
    return ep


def thoroughness_scores(episodes: pd.DataFrame, comments: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Family rows thoroughness (shrunk mean T), rubber_stamp_rate and useful_rate (beta-binomial)."""
    rows: list[pd.DataFrame] = []
    # grouped on integer person codes (sorted like the names): same groups and kernels as grouping strings
    codes, people = group_codes(episodes["person"])
    t = episodes["T"].to_numpy(dtype=float)
    scored = ~np.isnan(t) & (codes >= 0)
    if scored.any():
        g = pd.Series(t[scored]).groupby(codes[scored])
        size = g.size()
        st = pd.DataFrame(
            {"mean": g.mean().to_numpy(), "var": g.var(ddof=1).to_numpy(), "n": size.to_numpy()},
            index=people[size.index.to_numpy()],
        )
        sh = shrink_means(st["mean"], st["var"], st["n"], options.prior_min_n, options.level)
        rows.append(
            family_rows(
                st.index,
                "thoroughness",
                sh["estimate"],
                sh["lo"],
                sh["hi"],
                sh["raw"],
                st["n"],
                options.min_thoroughness,
                "score 0..1",
                True,
            )
        )
    eligible = episodes["eligible_approval"].to_numpy(dtype=bool) & (codes >= 0)
    if eligible.any():
        who, x, n = _counts(codes[eligible], episodes["rubber_stamp"].to_numpy(dtype=bool)[eligible], people)
        bb = beta_binomial(x, n, options.prior_min_n, options.prior_strength_cap, options.level)
        rows.append(
            family_rows(
                who,
                "rubber_stamp_rate",
                bb["estimate"],
                bb["lo"],
                bb["hi"],
                bb["raw"],
                n,
                options.min_rubber_stamp,
                "share of eligible approvals",
                False,
            )
        )
    useful = _useful_mask(comments, episodes)
    if useful.any():
        c_codes, c_people = group_codes(comments["person"])
        named = useful & (c_codes >= 0)
        who3, x3, n3 = _counts(c_codes[named], _landed(comments)[named] == 1, c_people)
        bb3 = beta_binomial(x3, n3, options.prior_min_n, options.prior_strength_cap, options.level)
        rows.append(
            family_rows(
                who3,
                "useful_rate",
                bb3["estimate"],
                bb3["lo"],
                bb3["hi"],
                bb3["raw"],
                n3,
                options.min_useful,
                "share of inline comments",
                True,
            )
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=list(FAMILY_COLUMNS))


def _counts(
    codes: npt.NDArray[np.intp], hits: npt.NDArray[np.bool_], people: pd.Index
) -> tuple[pd.Index, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(people present, hits, rows) per person code: ``groupby(person)`` sum and size on integers."""
    n = np.bincount(codes, minlength=len(people))
    x = np.bincount(codes[hits], minlength=len(people))
    present = n > 0
    return people[present], x[present], n[present]


def _useful_mask(comments: pd.DataFrame, episodes: pd.DataFrame) -> npt.NDArray[np.bool_]:
    inline = (comments["kind"] == "review_comment").to_numpy(dtype=bool, na_value=False)
    keep: npt.NDArray[np.bool_] = inline & ~comments["is_trivial"].to_numpy(dtype=bool)
    return keep & in_episode(comments, episodes)


def _landed(comments: pd.DataFrame) -> npt.NDArray[np.int64]:
    """The 0/1 landed flag per comment (missing: 0), as ``landed.fillna(0).astype(int)``."""
    landed: npt.NDArray[np.int64] = np.nan_to_num(comments["landed"].to_numpy(dtype=float), nan=0.0).astype(int)
    return landed


def team_rubber_stamp(episodes: pd.DataFrame) -> tuple[int, int]:
    """(rubber stamps, eligible approvals) over the team."""
    eligible = episodes["eligible_approval"].to_numpy(dtype=bool)
    return int(episodes["rubber_stamp"].to_numpy(dtype=bool)[eligible].sum()), int(eligible.sum())


def episode_evidence(episodes: pd.DataFrame, comments: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Rubber-stamped episodes, each person's most thorough episodes, and comments whose feedback landed."""
    k = options.evidence_per_family
    cols = ["person", "repo", "pr_number", "url", "title", "approved_at", "size", "changed_files", "T", "n_subst"]
    # the top k per person, chosen on numeric arrays (only those rows' text columns are taken); ties go
    # to the newer episode (approval, else last activity), then the lower PR id
    codes, _ = group_codes(episodes["person"])
    pr_ids = episodes["pr_id"].fillna(-1).to_numpy(dtype=np.int64)
    stamped = codes.copy()
    stamped[~episodes["rubber_stamp"].to_numpy(dtype=bool)] = -1
    newest_approval = descending_time_key(_nanoseconds(episodes["approved_at"]))
    size = episodes["size"].to_numpy(dtype=np.float64)
    stamps = rows_at(episodes, top_k_per_group(stamped, size, k, (newest_approval, pr_ids)), cols)
    newest = descending_time_key(_nanoseconds(episodes["last_at"]))
    best_rows = top_k_per_group(codes, episodes["T"].to_numpy(dtype=np.float64), k, (newest, pr_ids))
    best = rows_at(episodes, best_rows, cols)

    def ep_rows(rows: pd.DataFrame, family: str, text: pd.Series) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "person": rows["person"].to_numpy(),
                "family": family,
                "kind": "episode",
                "ref": (rows["repo"].astype(str) + "#" + rows["pr_number"].astype(str)).to_numpy(),
                "url": rows["url"].to_numpy(),
                "excerpt": text.to_numpy(),
                "markers": "",
                "at": rows["approved_at"].to_numpy() if "approved_at" in rows else pd.NaT,
                "title": rows["title"].to_numpy(),  # the PR's title, shown above the excerpt
            }
        )

    stamp_text = (
        "approved "
        + stamps["size"].astype(str)
        + " changed lines in "
        + stamps["changed_files"].astype(str)
        + " files with no comments"
    )
    best_text = "T = " + best["T"].round(2).astype(str) + ", " + best["n_subst"].astype(str) + " substantive comments"
    landed = _latest_landed(comments, episodes, k)
    landed_rows = comment_evidence(landed, "useful_rate")
    return pd.concat(
        [
            ep_rows(stamps, "rubber_stamp_rate", stamp_text),
            ep_rows(best, "thoroughness", best_text),
            landed_rows,
        ],
        ignore_index=True,
    )


def _nanoseconds(times: pd.Series) -> npt.NDArray[np.int64]:
    """int64 nanoseconds since the epoch (NaT: the smallest int64)."""
    return np.asarray(times.to_numpy(dtype="datetime64[ns]").view(np.int64))


def _latest_landed(comments: pd.DataFrame, episodes: pd.DataFrame, k: int) -> pd.DataFrame:
    """Each person's k newest useful comments whose feedback landed (sort_values("created_at") order)."""
    landed = np.flatnonzero(_useful_mask(comments, episodes) & (_landed(comments) == 1))
    at = comments["created_at"]
    times = at.to_numpy(dtype=f"datetime64[{at.dt.unit}]")[landed]  # the array pandas itself would sort
    codes, _ = group_codes(comments["person"])
    chosen = landed[top_per_group(times, codes[landed], k)]
    return rows_at(comments, chosen, COMMENT_EVIDENCE_SOURCE)
