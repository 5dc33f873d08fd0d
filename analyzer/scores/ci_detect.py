"""Which CI changes happened (docs/methodology.md, "CI changes and their effect"):
merged PRs and direct pushes that touch CI files, and the workflows
each can affect.

A merged PR is one change at its ``merged_at``, credited to its author plus the ``Co-authored-by`` people
of its commits (the merger is not credited). A commit on the default branch that did not come through a
collected PR (a direct push) is one change at its commit time, credited to its author and co-authors. A
workflow file affects the workflow whose ``path`` it is; any other CI file (actions, tool configs)
affects every workflow of the repository. Bot changes are never CI credit.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from analyzer.frames.identity import login_from_noreply, person_of
from analyzer.frames.model import Frames
from analyzer.scores.options import ScoringOptions

CO_AUTHOR = r"(?im)^co-authored-by:[^<\n]*<([^>\n]+)>"
WORKFLOW_FILE = r"^\.github/workflows/[^/]+\.ya?ml$"
CHANGE_COLUMNS = (
    "change_id",
    "kind",
    "repo",
    "sha",
    "pr_number",
    "changed_at",
    "authors",
    "message",
    "url",
    "path",
    "file_status",
)


def _flag(series: pd.Series) -> pd.Series:
    return series.fillna(False).astype(bool)


def _in_window(times: pd.Series, start: datetime, end: datetime) -> pd.Series:
    return (times >= pd.Timestamp(start)) & (times <= pd.Timestamp(end))


def _co_authors(messages: pd.Series, bot_logins: set[str], options: ScoringOptions) -> pd.Series:
    """Per message: the people named in ``Co-authored-by`` trailers with GitHub no-reply addresses."""
    found = messages.fillna("").astype(str).str.findall(CO_AUTHOR)
    flat = found.explode().dropna()
    if flat.empty:
        return pd.Series([[] for _ in range(len(messages))], index=messages.index, dtype=object)
    logins = login_from_noreply(flat.astype("string").str.lower())
    logins = logins[logins.notna() & ~logins.str.lower().isin(bot_logins)]
    people = person_of(logins, options.aliases).astype(object)
    found_by_row: dict[object, list[str]] = {}
    for row, person in zip(people.index, people, strict=True):
        if isinstance(person, str):
            found_by_row.setdefault(row, []).append(person)
    return pd.Series([found_by_row.get(i, []) for i in messages.index], index=messages.index, dtype=object)


def _join_people(first: pd.Series, extra: pd.Series) -> pd.Series:
    """';'-joined, order-preserving, de-duplicated people: the change's author first."""
    out = []
    for author, more in zip(first, extra, strict=True):
        names = ([author] if isinstance(author, str) else []) + [m for m in more if isinstance(m, str)]
        out.append(";".join(dict.fromkeys(names)))
    return pd.Series(out, index=first.index, dtype=object)


def pr_changes(frames: Frames, options: ScoringOptions, start: datetime, end: datetime) -> pd.DataFrame:
    """Merged human PRs in the window with >= 1 CI file: one row per (PR, CI file)."""
    prs = frames.prs[frames.prs["merged_at"].notna() & ~_flag(frames.prs["is_bot"])]
    prs = prs[_in_window(prs["merged_at"], start, end) & prs["person"].notna()]
    files = frames.pr_files[_flag(frames.pr_files["is_ci"])][["pr_id", "path", "change_type"]]
    rows = prs.merge(files, on="pr_id")
    if rows.empty:
        return _empty()
    bot_logins = set(frames.bots["login"].str.lower())
    commits = frames.pr_commits[frames.pr_commits["pr_id"].isin(rows["pr_id"])]
    messages = commits.groupby("pr_id")["message"].agg(lambda s: "\n".join(s.dropna().astype(str)))
    co = _co_authors(rows["pr_id"].map(messages), bot_logins, options)
    text = rows["title"].fillna("").astype(str) + "\n" + rows["body"].fillna("").astype(str)
    return pd.DataFrame(
        {
            "change_id": "pr:" + rows["repo"].astype(str) + "#" + rows["number"].astype(str),
            "kind": "pr",
            "repo": rows["repo"],
            "sha": pd.NA,
            "pr_number": rows["number"],
            "changed_at": rows["merged_at"],
            "authors": _join_people(rows["person"], co),
            "message": text,
            "url": rows["url"],
            "path": rows["path"],
            "file_status": rows["change_type"],
        }
    )


def push_changes(frames: Frames, options: ScoringOptions, start: datetime, end: datetime) -> pd.DataFrame:
    """Human default-branch commits in the window that did not come through a collected PR and change
    CI files (their own file list): one row per (commit, CI file)."""
    commits = frames.commits[~_flag(frames.commits["is_bot"]) & frames.commits["person"].notna()]
    at = commits["committed_at"].fillna(commits["authored_at"])
    commits = commits.assign(at=at)[_in_window(at, start, end)]
    collected = frames.prs[["repo", "number"]].dropna().rename(columns={"number": "pr_number"})
    via_pr = commits.merge(collected, on=["repo", "pr_number"], how="left", indicator=True)["_merge"]
    commits = commits[(via_pr == "left_only").to_numpy()]
    files = frames.commit_files[_flag(frames.commit_files["is_ci"])][["repo", "sha", "path", "status"]]
    rows = commits.merge(files, on=["repo", "sha"])
    if rows.empty:
        return _empty()
    bot_logins = set(frames.bots["login"].str.lower())
    co = _co_authors(rows["message"], bot_logins, options)
    return pd.DataFrame(
        {
            "change_id": "commit:" + rows["repo"].astype(str) + "@" + rows["sha"].astype(str),
            "kind": "commit",
            "repo": rows["repo"],
            "sha": rows["sha"],
            "pr_number": rows["pr_number"],
            "changed_at": rows["at"],
            "authors": _join_people(rows["person"], co),
            "message": rows["message"].fillna("").astype(str),
            "url": rows["url"],
            "path": rows["path"],
            "file_status": rows["status"],
        }
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CHANGE_COLUMNS})


def ci_change_files(frames: Frames, options: ScoringOptions, start: datetime, end: datetime) -> pd.DataFrame:
    """Every CI change in the window, one row per (change, CI file), de-duplicated."""
    parts = [p for p in (pr_changes(frames, options, start, end), push_changes(frames, options, start, end))]
    rows = pd.concat([p for p in parts if not p.empty] or [_empty()], ignore_index=True)
    return rows.drop_duplicates(["change_id", "path"]).reset_index(drop=True)


def affected_workflows(changes: pd.DataFrame, workflows: pd.DataFrame) -> pd.DataFrame:
    """One row per (change, affected workflow): ``workflow_path`` and ``added_workflow`` (the change adds
    that workflow file). ``workflows`` holds the (repo, workflow_path) pairs that have runs."""
    if changes.empty:
        return changes.assign(workflow_path=pd.Series(dtype=object), added_workflow=pd.Series(dtype=bool))
    is_workflow = changes["path"].astype(str).str.match(WORKFLOW_FILE)
    own = changes[is_workflow].assign(workflow_path=changes.loc[is_workflow, "path"])
    shared = changes[~is_workflow].merge(workflows, on="repo", how="left")
    shared["workflow_path"] = shared["workflow_path"].fillna(shared["path"])
    rows = pd.concat([own, shared], ignore_index=True)
    added = rows["file_status"].fillna("").astype(str).str.lower().isin(["added", "add"])
    rows["added_workflow"] = added & rows["path"].eq(rows["workflow_path"])
    rows = rows.sort_values(["change_id", "workflow_path", "added_workflow"], ascending=[True, True, False])
    paths = changes.groupby("change_id")["path"].agg(lambda s: " ".join(sorted(set(s.astype(str)))))
    rows["paths"] = rows["change_id"].map(paths)
    return rows.drop_duplicates(["change_id", "workflow_path"]).reset_index(drop=True)
