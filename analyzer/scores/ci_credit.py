"""CI/CD credit (§5): each CI change's measured before/after effect on the workflows it can affect.

Per change group (changes to one workflow within 3 days form one group): durations compared with the
Hodges-Lehmann shift and a seeded bootstrap interval; failure and flaky-SHA rates with Newcombe intervals;
converted to developer-hours saved per month. Credit only when an interval excludes zero in the improving
direction; a group's credit is split equally among its authors (commit authors and co-authors).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd

from analyzer.frames.identity import login_from_noreply, person_of
from analyzer.frames.model import Frames
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import family_rows, hodges_lehmann_interval, newcombe_difference

FAILED = ("failure", "timed_out", "startup_failure")
DECIDED = ("success", *FAILED)
DAYS_PER_MONTH = 30.44
CI_CHANGE_COLUMNS = (
    "person",
    "repo",
    "sha",
    "pr_number",
    "workflow_path",
    "changed_at",
    "runs_before",
    "runs_after",
    "median_before_s",
    "median_after_s",
    "shift_s",
    "shift_lo_s",
    "shift_hi_s",
    "fail_rate_before",
    "fail_rate_after",
    "flaky_before",
    "flaky_after",
    "hours_saved_month",
    "hours_lo",
    "hours_hi",
    "credited",
    "status",
    "change_type",
    "url",
)
CHANGE_TYPES = (  # first match wins; checked against the commit message and the changed paths
    ("caching", r"cache|caching"),
    ("parallel/matrix", r"matrix|parallel|concurren"),
    ("test selection/sharding", r"shard|split tests|test selection|only run|paths-filter"),
    ("flaky retry/quarantine", r"retry|flak|quarantine|rerun"),
    ("deploy automation", r"deploy|release|publish"),
    ("dependency pinning/security", r"\bpin|permissions|security|harden|bump|upgrade|dependabot|renovate"),
    ("new quality gate", r"lint|gate|coverage|type.?check|mypy|add (?:a )?(?:new )?(?:workflow|check)"),
)
CO_AUTHOR = r"(?im)^co-authored-by:[^<\n]*<([^>\n]+)>"


def ci_series(frames: Frames) -> pd.DataFrame:
    """Completed workflow runs (the CI impact chart): repo, workflow_path, run_id, created_at, duration_s,
    conclusion, run_attempt, url, head_sha."""
    runs = frames.workflow_runs[frames.workflow_runs["conclusion"].notna()]
    path = (
        runs["path"]
        .str.replace(r"@.*$", "", regex=True)
        .fillna(runs["name"])
        .fillna(runs["workflow_id"].astype("string"))
    )
    return (
        pd.DataFrame(
            {
                "repo": runs["repo"],
                "workflow_path": path,
                "run_id": runs["run_id"],
                "created_at": runs["created_at"],
                "duration_s": runs["duration_s"],
                "conclusion": runs["conclusion"],
                "run_attempt": runs["run_attempt"],
                "url": runs["url"],
                "head_sha": runs["head_sha"],
            }
        )
        .sort_values(["repo", "workflow_path", "created_at"])
        .reset_index(drop=True)
    )


def ci_commits(frames: Frames, options: ScoringOptions, start: datetime, end: datetime) -> pd.DataFrame:
    """Default-branch commits in the window that change CI files, one row per (commit, affected workflow)."""
    commits = frames.commits[~frames.commits["is_bot"].fillna(False).astype(bool)]
    commits = commits[
        (commits["committed_at"] >= pd.Timestamp(start)) & (commits["committed_at"] <= pd.Timestamp(end))
    ]
    files = frames.commit_files[frames.commit_files["is_ci"].fillna(False).astype(bool)][
        ["repo", "sha", "path", "status"]
    ]
    files = files.rename(columns={"status": "file_status"})
    direct = commits.merge(files, on=["repo", "sha"])
    # commits whose own file list was not fetched: fall back to the files of the PR that brought them in
    unfetched = commits[~commits["sha"].isin(frames.commit_files["sha"])].dropna(subset=["pr_number"])
    pr_ci = frames.pr_files[frames.pr_files["is_ci"].fillna(False).astype(bool)].merge(
        frames.prs[["pr_id", "repo", "number"]], on="pr_id"
    )
    via_pr = unfetched.merge(
        pr_ci[["repo", "number", "path", "change_type"]].rename(
            columns={"number": "pr_number", "change_type": "file_status"}
        ),
        on=["repo", "pr_number"],
    )
    changed = pd.concat([direct, via_pr], ignore_index=True)
    if changed.empty:
        return changed.assign(workflow_path=pd.Series(dtype="string"))
    workflows = ci_series(frames)[["repo", "workflow_path"]].drop_duplicates()
    is_workflow = changed["path"].str.match(r"^\.github/workflows/[^/]+\.ya?ml$")
    own = changed[is_workflow].assign(workflow_path=changed.loc[is_workflow, "path"])
    shared = changed[~is_workflow].merge(workflows, on="repo", how="left")
    shared["workflow_path"] = shared["workflow_path"].fillna(shared["path"])
    rows = pd.concat([own, shared], ignore_index=True)
    rows["added_workflow"] = rows["file_status"].fillna("").str.lower().isin(["added", "add"]) & rows[
        "path"
    ].eq(rows["workflow_path"])
    return rows.drop_duplicates(["repo", "sha", "workflow_path"]).reset_index(drop=True)


def change_type(message: str, paths: str, added_workflow: bool) -> str:
    """Change-type tag (§5.4 step 4) from the commit message and paths; a new workflow file is a new gate
    unless its message says otherwise."""
    text = f"{message}\n{paths}".lower()
    for name, pattern in CHANGE_TYPES:
        if re.search(pattern, text):
            return name
    return "new quality gate" if added_workflow else "other"


def _authors(rows: pd.DataFrame, options: ScoringOptions) -> pd.Series:
    """Per change row: ';'-joined persons credited (commit author + co-authors with no-reply emails)."""
    co = rows["message"].fillna("").str.findall(CO_AUTHOR)

    def people(author: object, emails: list[str]) -> str:
        logins = login_from_noreply(pd.Series(emails, dtype="string")).dropna().tolist() if emails else []
        mapped = person_of(pd.Series(logins, dtype="string"), options.aliases).tolist() if logins else []
        names = ([author] if isinstance(author, str) else []) + [m for m in mapped if isinstance(m, str)]
        return ";".join(dict.fromkeys(names))

    return pd.Series([people(a, e) for a, e in zip(rows["person"], co, strict=True)], index=rows.index)


def _window(
    series: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp, options: ScoringOptions
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs before t0 and after t1: 28 days each side, extended to >= 30 runs when that is larger."""
    days = pd.Timedelta(days=options.ci_window_days)
    before_all, after_all = series[series["created_at"] < t0], series[series["created_at"] > t1]
    before = before_all[before_all["created_at"] >= t0 - days]
    if len(before) < options.ci_min_runs:
        before = before_all.tail(options.ci_min_runs)
    after = after_all[after_all["created_at"] <= t1 + days]
    if len(after) < options.ci_min_runs:
        after = after_all.head(options.ci_min_runs)
    return before, after


def _flaky(runs: pd.DataFrame) -> tuple[int, int]:
    """(SHAs with both a failed and a successful attempt, SHAs)."""
    decided = runs[runs["conclusion"].isin(DECIDED)].dropna(subset=["head_sha"])
    if decided.empty:
        return 0, 0
    g = decided.assign(f=decided["conclusion"].isin(FAILED), s=decided["conclusion"] == "success").groupby(
        "head_sha"
    )
    both = g["f"].any() & g["s"].any()
    return int(both.sum()), len(both)


def _per_month(runs: pd.DataFrame, count: float) -> float:
    if runs.empty:
        return 0.0
    span = (runs["created_at"].max() - runs["created_at"].min()) / pd.Timedelta(days=1)
    return float(count) / max(float(span), 1.0) * DAYS_PER_MONTH


def measure_effect(
    series: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp, options: ScoringOptions, is_gate: bool
) -> dict[str, object]:
    """Before/after effect of a change group on one workflow's runs."""
    before, after = _window(series, t0, t1, options)
    out: dict[str, object] = {"runs_before": len(before), "runs_after": len(after)}
    if len(before) < options.ci_min_runs or len(after) < options.ci_min_runs:
        return {**out, "status": "not_measurable", "credited": False}
    db = before.loc[before["conclusion"].isin(DECIDED), "duration_s"].dropna().to_numpy()
    da = after.loc[after["conclusion"].isin(DECIDED), "duration_s"].dropna().to_numpy()
    if len(db) < 2 or len(da) < 2:
        return {**out, "status": "not_measurable", "credited": False}
    shift, s_lo, s_hi = hodges_lehmann_interval(
        db, da, options.bootstrap_samples, options.seed, options.level
    )
    fb = before[before["conclusion"].isin(DECIDED)]
    fa = after[after["conclusion"].isin(DECIDED)]
    fail = newcombe_difference(
        fb["conclusion"].isin(FAILED).sum(),
        len(fb),
        fa["conclusion"].isin(FAILED).sum(),
        len(fa),
        options.level,
    )
    (kb, nb), (ka, na) = _flaky(before), _flaky(after)
    flaky = newcombe_difference(kb, nb, ka, na, options.level) if nb and na else (0.0, 0.0, 0.0)
    rpm = _per_month(after, len(after))
    spm = _per_month(after, na)
    med_after = float(np.median(da))
    dur = (-shift * rpm, -s_hi * rpm, -s_lo * rpm)  # seconds/month saved (estimate, lo, hi)
    flk = (-flaky[0] * spm * med_after, -flaky[2] * spm * med_after, -flaky[1] * spm * med_after)
    improved = (s_hi < 0) or (flaky[2] < 0) or (not is_gate and fail[2] < 0)
    return {
        **out,
        "median_before_s": float(np.median(db)),
        "median_after_s": med_after,
        "shift_s": shift,
        "shift_lo_s": s_lo,
        "shift_hi_s": s_hi,
        "fail_rate_before": fb["conclusion"].isin(FAILED).mean(),
        "fail_rate_after": fa["conclusion"].isin(FAILED).mean(),
        "flaky_before": kb / nb if nb else np.nan,
        "flaky_after": ka / na if na else np.nan,
        "hours_saved_month": (dur[0] + flk[0]) / 3600,
        "hours_lo": (dur[1] + flk[1]) / 3600,
        "hours_hi": (dur[2] + flk[2]) / 3600,
        "credited": bool(improved and not is_gate),
        "status": "ok",
    }


def ci_changes(frames: Frames, options: ScoringOptions, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per (CI commit, affected workflow) with its group's measured effect."""
    rows = ci_commits(frames, options, start, end)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in (*CI_CHANGE_COLUMNS, "authors", "group")})
    paths = rows.groupby(["repo", "sha"])["path"].agg(lambda s: " ".join(sorted(set(s))))
    rows["change_type"] = [
        change_type(str(m or ""), paths.get((r, s), ""), bool(a))
        for m, r, s, a in zip(rows["message"], rows["repo"], rows["sha"], rows["added_workflow"], strict=True)
    ]
    rows["authors"] = _authors(rows, options)
    rows["changed_at"] = rows["committed_at"]
    rows = rows.sort_values(["repo", "workflow_path", "changed_at"]).reset_index(drop=True)
    gap = rows.groupby(["repo", "workflow_path"])["changed_at"].diff() > pd.Timedelta(
        days=options.ci_group_days
    )
    new_group = gap | (rows[["repo", "workflow_path"]] != rows[["repo", "workflow_path"]].shift()).any(axis=1)
    rows["group"] = np.cumsum(new_group.to_numpy(dtype=bool))
    series = ci_series(frames)
    by_workflow = {k: v for k, v in series.groupby(["repo", "workflow_path"])}
    effects = []
    for _, grp in rows.groupby("group"):
        key = (grp["repo"].iloc[0], grp["workflow_path"].iloc[0])
        runs = by_workflow.get(key, series.iloc[0:0])
        is_gate = bool((grp["change_type"] == "new quality gate").all())
        effect = measure_effect(runs, grp["changed_at"].min(), grp["changed_at"].max(), options, is_gate)
        effects.extend([effect] * len(grp))
    out = pd.concat([rows, pd.DataFrame(effects, index=rows.index)], axis=1)
    for col in CI_CHANGE_COLUMNS:
        if col not in out:
            out[col] = np.nan
    out["credited"] = out["credited"].fillna(False).astype(bool)
    return out.loc[:, [*CI_CHANGE_COLUMNS, "authors", "group"]]


def ci_credit_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Per (group, author): the author's equal share of the group's credited hours."""
    if changes.empty:
        return pd.DataFrame(columns=["group", "person", "hours", "lo", "hi", "measurable", "credited"])
    groups = changes.drop_duplicates("group")[
        ["group", "authors", "hours_saved_month", "hours_lo", "hours_hi", "credited", "status"]
    ]
    all_authors = changes.groupby("group")["authors"].agg(
        lambda s: ";".join(dict.fromkeys(";".join(s).split(";")))
    )
    groups = groups.assign(authors=groups["group"].map(all_authors))
    groups = groups.assign(person=groups["authors"].str.split(";")).explode("person")
    groups = groups[groups["person"].fillna("") != ""]
    share = 1.0 / groups.groupby("group")["person"].transform("size")
    credited = groups["credited"].astype(bool)
    return pd.DataFrame(
        {
            "group": groups["group"],
            "person": groups["person"],
            "hours": np.where(credited, groups["hours_saved_month"].astype(float) * share, 0.0),
            "lo": np.where(credited, groups["hours_lo"].astype(float) * share, 0.0),
            "hi": np.where(credited, groups["hours_hi"].astype(float) * share, 0.0),
            "measurable": groups["status"] == "ok",
            "credited": credited,
        }
    )


def ci_scores(changes: pd.DataFrame) -> pd.DataFrame:
    """Family rows ci_hours_saved: summed credited hours/month and summed interval; never ranked."""
    credit = ci_credit_table(changes)
    if credit.empty:
        return family_rows(
            [], "ci_hours_saved", [], [], [], [], [], 1, "developer-hours saved per month", True
        )
    g = credit.groupby("person")
    measurable = g["measurable"].sum()
    status = np.where(measurable >= 1, "ok", "not_measurable")
    return family_rows(
        measurable.index,
        "ci_hours_saved",
        g["hours"].sum(),
        g["lo"].sum(),
        g["hi"].sum(),
        g["credited"].sum(),
        measurable,
        1,
        "developer-hours saved per month",
        True,
        status,
    )


def ci_evidence(changes: pd.DataFrame) -> pd.DataFrame:
    """Every CI change, as evidence for its authors."""
    if changes.empty:
        return pd.DataFrame(columns=["person", "family", "kind", "ref", "url", "excerpt", "markers", "at"])
    rows = changes.assign(person=changes["authors"].str.split(";")).explode("person")
    text: pd.Series = (
        rows["change_type"].astype(str)
        + " on "
        + rows["workflow_path"].astype(str)
        + ": "
        + rows["status"].astype(str)
        + np.where(rows["credited"], ", credited", "")
    )
    return pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "family": "ci_hours_saved",
            "kind": "commit",
            "ref": rows["sha"].to_numpy(),
            "url": rows["url"].to_numpy(),
            "excerpt": text.to_numpy(),
            "markers": "",
            "at": rows["changed_at"].to_numpy(),
        }
    )
