"""CI/CD credit (docs/methodology.md, "CI changes and their effect"):
each CI change group's measured before/after effect on the workflows it can affect.

Changes (merged PRs and direct pushes, see ``ci_detect``) to one workflow within 3 days of each other form
one group. Per group: successful-run durations in the windows before the first and after the last change
(28 days, extended to >= 30 runs each side) compared with the Hodges-Lehmann shift and a seeded bootstrap
interval; failure and flaky-SHA rates with Newcombe intervals; converted to developer-hours saved per
month. A group is credited only when an interval excludes zero in the improving direction, and only the
components that do count toward its credited hours; its credit is split equally among its authors.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.ci_detect import affected_workflows, ci_change_files
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import (
    family_rows,
    hodges_lehmann_interval,
    newcombe_difference,
)
from analyzer.scores.tables import CI_CHANGES

FAILED = ("failure", "timed_out", "startup_failure")
DECIDED = ("success", *FAILED)
DAYS_PER_MONTH = 30.44
CI_CHANGE_COLUMNS = CI_CHANGES.columns
CHANGE_TYPES = (  # first match wins; checked against the PR title/body or commit message and the paths
    ("caching", r"cache|caching"),
    ("parallel/matrix", r"matrix|parallel|concurren|shard"),
    ("test selection/sharding", r"split tests|test selection|only run|paths-filter"),
    ("flaky retry/quarantine", r"retry|flak|quarantine|rerun"),
    ("deploy automation", r"deploy|release|publish"),
    ("dependency pinning/security", r"\bpin|permissions|security|harden|bump|upgrade|dependabot|renovate"),
    (
        "new quality gate",
        r"\badd(?:s|ed|ing)?\b[^\n]{0,40}\b(?:lint|linter|gate|coverage|type.?checks?|mypy|checks?|"
        r"workflow|tests?)\b|\bnew (?:quality )?gate\b|\benforce",
    ),
)
# the measured part of a change row: everything from the run counts to the status
EFFECT_COLUMNS = CI_CHANGE_COLUMNS[CI_CHANGE_COLUMNS.index("runs_before") : CI_CHANGE_COLUMNS.index("status") + 1]


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
        .sort_values(["repo", "workflow_path", "created_at", "run_id"])
        .reset_index(drop=True)
    )


def change_type(message: str, paths: str, added_workflow: bool) -> str:
    """Change-type tag (docs/methodology.md, "CI time saved for everyone")
    from the message and paths; a new workflow file is a new gate
    unless its message says otherwise."""
    lines = message.split("\n", 1)
    # the title (first line) and paths decide first; the rest of the text only when they say nothing
    for text in (f"{lines[0]}\n{paths}".lower(), message.lower()):
        for name, pattern in CHANGE_TYPES:
            if re.search(pattern, text):
                return name
    return "new quality gate" if added_workflow else "other"


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
    """(SHAs with both a failed and a successful attempt, SHAs): a re-run that turned green counts
    too, since the store keeps the latest attempt (``run_attempt`` > 1 and success)."""
    decided = runs[runs["conclusion"].isin(DECIDED)].dropna(subset=["head_sha"])
    if decided.empty:
        return 0, 0
    failed = decided["conclusion"].isin(FAILED)
    success = decided["conclusion"] == "success"
    rerun_green = success & (decided["run_attempt"].fillna(1).astype(int) > 1)
    g = decided.assign(f=failed | rerun_green, s=success).groupby("head_sha")
    both = g["f"].any() & g["s"].any()
    return int(both.sum()), len(both)


def _per_month(runs: pd.DataFrame, count: float) -> float:
    if runs.empty:
        return 0.0
    span = (runs["created_at"].max() - runs["created_at"].min()) / pd.Timedelta(days=1)
    return float(count) / max(float(span), 1.0) * DAYS_PER_MONTH


def measure_effect(
    series: pd.DataFrame,
    t0: pd.Timestamp,
    t1: pd.Timestamp,
    options: ScoringOptions,
    is_gate: bool,
    durations: pd.Series | None = None,
) -> dict[str, object]:
    """Before/after effect of a change group (first change t0, last t1) on one workflow's runs.
    ``durations`` (aligned with ``series``) replaces ``duration_s``, e.g. with other changes' steps
    removed (see ``joint_shifts``)."""
    if durations is not None:
        series = series.assign(duration_s=durations)
    before, after = _window(series, t0, t1, options)
    out: dict[str, object] = {"runs_before": len(before), "runs_after": len(after), "credited": False}
    if len(before) < options.ci_min_runs or len(after) < options.ci_min_runs:
        return {**out, "status": "not_measurable"}
    db, da = _green(before), _green(after)
    if len(db) < 2 or len(da) < 2:
        return {**out, "status": "not_measurable"}
    shift, s_lo, s_hi = hodges_lehmann_interval(db, da, options.bootstrap_samples, options.seed, options.level)
    fb, fa = before[before["conclusion"].isin(DECIDED)], after[after["conclusion"].isin(DECIDED)]
    xb, xa = int(fb["conclusion"].isin(FAILED).sum()), int(fa["conclusion"].isin(FAILED).sum())
    fail = newcombe_difference(xb, len(fb), xa, len(fa), options.level)
    (kb, nb), (ka, na) = _flaky(before), _flaky(after)
    flaky = newcombe_difference(kb, nb, ka, na, options.level) if nb and na else (0.0, 0.0, 0.0)
    runs_pm, shas_pm = _per_month(after, len(after)), _per_month(after, na)
    med_after = float(np.median(da))
    # hours/month saved (estimate, lo, hi) by each component
    dur = np.array([-shift, -s_hi, -s_lo]) * runs_pm / 3600
    flk = np.array([-flaky[0], -flaky[2], -flaky[1]]) * shas_pm * med_after / 3600
    dur_ok, flk_ok, fail_ok = bool(s_hi < 0), bool(flaky[2] < 0), bool(fail[2] < 0)
    credited = (dur_ok or flk_ok or fail_ok) and not is_gate
    # a credited group counts only the components whose own interval excludes zero
    hours = dur * dur_ok + flk * flk_ok if credited else dur + flk
    return {
        **out,
        "median_before_s": float(np.median(db)),
        "median_after_s": med_after,
        "shift_s": shift,
        "shift_lo_s": s_lo,
        "shift_hi_s": s_hi,
        "fail_rate_before": xb / len(fb) if len(fb) else np.nan,
        "fail_rate_after": xa / len(fa) if len(fa) else np.nan,
        "flaky_before": kb / nb if nb else np.nan,
        "flaky_after": ka / na if na else np.nan,
        "hours_saved_month": float(hours[0]),
        "hours_lo": float(hours[1]),
        "hours_hi": float(hours[2]),
        "credited": bool(credited),
        "status": "ok",
    }


def _green(runs: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Durations of green runs only: a failing run stops early, so mixing them in would count
    failures twice (they have their own rate)."""
    return np.asarray(runs.loc[runs["conclusion"] == "success", "duration_s"].dropna(), dtype=float)


def joint_shifts(
    series: pd.DataFrame, spans: list[tuple[pd.Timestamp, pd.Timestamp]], options: ScoringOptions
) -> list[pd.Series]:
    """Per change group on one workflow: run durations with the steps of the *other* groups that fall
    inside its windows removed, so a change is not credited with a neighbour's effect.

    For group j, a least-squares step model is fitted on the green runs of j's own windows: a level plus
    one step at every group whose change lies inside them (j included). The fitted steps of the other
    groups are subtracted (relative to the level just before j); j's own effect is then measured on the
    adjusted durations with Hodges-Lehmann and the bootstrap, as for a lone change."""
    created = series["created_at"]
    raw = series["duration_s"].astype(float).to_numpy()
    green = (series["conclusion"] == "success").to_numpy() & np.isfinite(raw)
    steps = np.column_stack([(created > t1).to_numpy() for _, t1 in spans]).astype(float)
    out: list[pd.Series] = []
    for j, (t0, t1) in enumerate(spans):
        before, after = _window(series, t0, t1, options)
        rows = (series.index.isin(before.index) | series.index.isin(after.index)) & green
        inside = [i for i in range(len(spans)) if i != j and 0 < steps[rows, i].sum() < rows.sum()]
        if not inside or rows.sum() < len(inside) + 3:
            out.append(pd.Series(raw, index=series.index))
            continue
        local = np.array([float(t0 > spans[i][1]) for i in inside])  # other steps' state just before j
        design = np.column_stack([np.ones(int(rows.sum())), steps[rows, j], steps[rows][:, inside]])
        coef, *_ = np.linalg.lstsq(design, raw[rows], rcond=None)
        others = (steps[:, inside] - local) @ coef[2:]
        out.append(pd.Series(raw - others, index=series.index))
    return out


def _groups(rows: pd.DataFrame, options: ScoringOptions) -> pd.Series:
    """Group number per row: changes on one workflow within ``ci_group_days`` of the previous one."""
    key = rows[["repo", "workflow_path"]]
    gap = rows.groupby(["repo", "workflow_path"])["changed_at"].diff() > pd.Timedelta(days=options.ci_group_days)
    new_group = gap.to_numpy(dtype=bool) | (key != key.shift()).any(axis=1).to_numpy(dtype=bool)
    return pd.Series(np.cumsum(new_group), index=rows.index)


def ci_changes(frames: Frames, options: ScoringOptions, start: datetime, end: datetime) -> pd.DataFrame:
    """One row per (CI change, affected workflow) with its group's measured effect; ``authors`` holds
    the change's ';'-joined people and ``group`` its change group."""
    series = ci_series(frames)
    workflows = series[["repo", "workflow_path"]].drop_duplicates()
    rows = affected_workflows(ci_change_files(frames, options, start, end), workflows)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in (*CI_CHANGE_COLUMNS, "authors", "group")})
    rows["change_type"] = [
        change_type(str(m or ""), str(p or ""), bool(a))
        for m, p, a in zip(rows["message"], rows["paths"], rows["added_workflow"], strict=True)
    ]
    rows = rows.sort_values(["repo", "workflow_path", "changed_at", "change_id"]).reset_index(drop=True)
    rows["group"] = _groups(rows, options)
    by_workflow = {k: v for k, v in series.groupby(["repo", "workflow_path"])}
    effects: dict[int, dict[str, object]] = {}
    for key, wf_rows in rows.groupby(["repo", "workflow_path"], sort=True):
        runs = by_workflow.get(key, series.iloc[0:0])
        groups = [g for _, g in wf_rows.groupby("group", sort=True)]
        spans = [(g["changed_at"].min(), g["changed_at"].max()) for g in groups]
        adjusted = joint_shifts(runs, spans, options) if len(runs) else [None] * len(groups)
        for grp, (t0, t1), durations in zip(groups, spans, adjusted, strict=True):
            is_gate = bool((grp["change_type"] == "new quality gate").all())
            effect = measure_effect(runs, t0, t1, options, is_gate, durations)
            effects.update({i: effect for i in grp.index})
    measured = pd.DataFrame.from_dict(effects, orient="index").reindex(index=rows.index, columns=list(EFFECT_COLUMNS))
    out = pd.concat([rows.drop(columns=[c for c in EFFECT_COLUMNS if c in rows]), measured], axis=1)
    out["credited"] = out["credited"].fillna(False).astype(bool)
    out["person"] = out["authors"].str.split(";").str[0]
    return out.loc[:, [*CI_CHANGE_COLUMNS, "authors", "group"]]


def ci_credit_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Per (group, author): the author's equal share of the group's hours (0 unless credited)."""
    if changes.empty:
        return pd.DataFrame(columns=["group", "person", "hours", "lo", "hi", "measurable", "credited"])
    groups = changes.drop_duplicates("group")[
        ["group", "hours_saved_month", "hours_lo", "hours_hi", "credited", "status"]
    ]
    all_authors = changes.groupby("group")["authors"].agg(lambda s: ";".join(dict.fromkeys(";".join(s).split(";"))))
    groups = groups.assign(person=groups["group"].map(all_authors).str.split(";")).explode("person")
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


def ci_change_rows(changes: pd.DataFrame) -> pd.DataFrame:
    """The ``ci_changes`` score table: one row per (change, workflow, credited person). Hour columns hold
    this row's part of its group's effect (the group's hours split equally over its authors, then over
    the person's rows in the group), so summing credited rows gives the team's credited hours."""
    if changes.empty:
        return changes
    credit = ci_credit_table(changes)[["group", "person"]]
    rows = changes.assign(person=changes["authors"].str.split(";")).explode("person")
    rows = rows[rows["person"].fillna("") != ""]
    n_authors = rows["group"].map(credit.groupby("group").size())
    n_rows = rows.groupby(["group", "person"])["person"].transform("size")
    part = 1.0 / (n_authors * n_rows)
    for col in ("hours_saved_month", "hours_lo", "hours_hi"):
        rows[col] = rows[col].astype(float) * part
    return rows.sort_values(["changed_at", "repo", "workflow_path", "person"], kind="stable").reset_index(drop=True)


def ci_scores(changes: pd.DataFrame) -> pd.DataFrame:
    """Family rows ci_hours_saved: summed credited hours/month and summed interval; never ranked."""
    credit = ci_credit_table(changes)
    if credit.empty:
        return family_rows([], "ci_hours_saved", [], [], [], [], [], 1, "developer-hours saved per month", True)
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
    is_pr = rows["sha"].isna() & rows["pr_number"].notna()
    ref = np.where(is_pr, rows["repo"].astype(str) + "#" + rows["pr_number"].astype(str), rows["sha"])
    return pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "family": "ci_hours_saved",
            "kind": np.where(is_pr, "pr", "commit"),
            "ref": ref,
            "url": rows["url"].to_numpy(),
            "excerpt": text.to_numpy(),
            "markers": "",
            "at": rows["changed_at"].to_numpy(),
        }
    )
