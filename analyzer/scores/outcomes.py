"""Outcomes per authored PR for the multiplier effect (docs/methodology.md, "Multiplier effect (uplift)").

One row per human-authored PR with a known author: its repository, times, size, the author's earlier PRs
in the data, and each outcome the uplift model explains (declared once, in ``OUTCOMES``), defined on
merged PRs:

- review rounds to merge: ``mentee_outcomes.pr_review_rounds`` (changes-requested reviews by others plus
  the author's pushes after the first human review);
- hours from ready-for-review to merge: from the LAST time the PR was marked ready for review (GitHub's
  last ReadyForReviewEvent: a draft toggled back and forth counts from its final review request) or, for
  a PR never marked ready, its creation, to its merge (``review_start``); modelled on the log scale. Where
  the moment is unknown (``ready_events`` <NA>: GitHub refused the PR's timeline, or tables from another
  source without it) the outcome is unknown too (NaN), not guessed from the creation: a draft's days
  would count as review time; `analyzer collect` asks GitHub for it for every stored PR that lacks it,
  so a collected store rarely has any;
- CI failure on the first push: 1 when the PR's first CI'd commit (the head of its earliest
  ``pull_request`` workflow run) has a run that failed or timed out, 0 when its decided runs passed, NaN
  without a decided run;
- rework: 1 when, within ``REWORK_DAYS`` after the merge, a PR by anyone that reads as a fix or revert
  (``FIX_WORDS`` in its title) is opened, or such a commit is pushed straight to the repository, and it
  touches one of the PR's files; NaN while the 14 days are not over at the scoring clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.codes import bool_mask
from analyzer.scores.mentee_outcomes import pr_review_rounds


@dataclass(frozen=True)
class Outcome:
    """One outcome: its column, how the model reads it, and the words the report uses."""

    name: str
    label: str  # "review rounds": "needed 18 % fewer review rounds"
    # poisson: counts and 0/1 outcomes, log-link Poisson fit; log: OLS of log(y). Either way the effect is
    # a ratio, exp(b) - 1
    model: Literal["poisson", "log"]
    fewer: str  # the word for a decrease ("fewer", "less")
    more: str
    verb: str = "needed"  # "Authors who worked with Maja needed ... / had ..."
    short: str = ""  # the chart's axis label, which must fit a phone's width ("": the label)

    @property
    def axis_label(self) -> str:
        return self.short or self.label


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("review_rounds", "review rounds", "poisson", "fewer", "more"),
    Outcome("hours_to_merge", "time from ready-for-review to merge", "log", "less", "more", short="time to merge"),
    Outcome(
        "ci_failed_first", "pull requests failing CI on their first push", "poisson", "fewer", "more", "had",
        short="CI failed, 1st push",
    ),
    Outcome(
        "rework", "pull requests needing a fix or revert within 14 days", "poisson", "fewer", "more", "had",
        short="rework in 14 days",
    ),
)
PR_COLUMNS = ("pr_id", "person", "repo", "created_at", "size", "prior_prs", *(o.name for o in OUTCOMES))
REWORK_DAYS = 14
# a title or commit message that reads as a fix or a revert (GitHub's "Revert "..."" included)
FIX_WORDS = re.compile(r"\b(fix(es|ed|up)?|hot-?fix|bug-?fix|revert(s|ed)?|roll(ed)?[ -]?back|regression)\b", re.I)
FAILED = ("failure", "timed_out", "startup_failure")
PASSED = ("success",)


def pr_outcomes(frames: Frames) -> pd.DataFrame:
    """Every human-authored PR (author known) with its covariates and outcomes (NaN when not merged)."""
    prs = frames.prs
    keep = ~bool_mask(prs["is_bot"]) & prs["pr_id"].notna().to_numpy() & prs["person"].notna().to_numpy()
    keep &= prs["created_at"].notna().to_numpy()
    rows = prs[keep]
    ids = rows["pr_id"].to_numpy(dtype=np.int64)
    merged = rows["merged_at"].notna().to_numpy()
    rounds = pr_review_rounds(frames).reindex(ids).to_numpy(dtype=float)
    hours = (rows["merged_at"] - review_start(rows)).dt.total_seconds().to_numpy(dtype=float) / 3600.0
    size = rows["additions"].fillna(0).to_numpy(dtype=float) + rows["deletions"].fillna(0).to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "pr_id": ids,
            "person": rows["person"].astype(object).to_numpy(),
            "repo": rows["repo"].astype(object).to_numpy(),
            "created_at": rows["created_at"].to_numpy(),
            "size": size,
            "review_rounds": np.where(merged, np.nan_to_num(rounds), np.nan),
            "hours_to_merge": np.where(merged, np.maximum(hours, 1.0 / 60), np.nan),
            "ci_failed_first": np.where(merged, first_push_failed(frames).reindex(ids).to_numpy(dtype=float), np.nan),
            "rework": np.where(merged, reworked(frames).reindex(ids).to_numpy(dtype=float), np.nan),
        }
    )
    out = out.sort_values(["created_at", "pr_id"], kind="stable").reset_index(drop=True)
    out["prior_prs"] = out.groupby("person", sort=False).cumcount().astype(float)  # the learning curve
    return out[list(PR_COLUMNS)]


def review_start(prs: pd.DataFrame) -> pd.Series:
    """When each PR went up for the review that ended in its merge: its last ready-for-review (never after
    the merge: GitHub merges no draft, so a later one is a clock quirk and the merge bounds it), its
    creation when it was never marked ready, NaT when that is not known (``ready_events`` <NA>)."""
    ready = prs["ready_at"].where(prs["ready_at"].isna() | (prs["ready_at"] <= prs["merged_at"]), prs["merged_at"])
    never_ready = prs["ready_events"].eq(0).fillna(False).to_numpy(dtype=bool)
    start: pd.Series = ready.where(~never_ready, prs["created_at"])
    return start


def first_push_failed(frames: Frames) -> pd.Series:
    """Per PR id with a decided CI run: 1.0 when a run on its first CI'd commit failed, else 0.0."""
    runs = frames.workflow_runs
    runs = runs[(runs["event"] == "pull_request").to_numpy(dtype=bool, na_value=False)]
    runs = runs[runs[["repo", "head_sha", "created_at"]].notna().all(axis=1).to_numpy()]
    commits = frames.pr_commits[["pr_id", "sha"]].dropna()
    repo = frames.prs[["pr_id", "repo"]].dropna()
    if runs.empty or commits.empty:
        return pd.Series(dtype=float)
    on_pr = commits.merge(repo, on="pr_id").astype({"sha": object, "repo": object})
    joined = runs[["repo", "head_sha", "created_at", "conclusion"]].astype({"repo": object, "head_sha": object})
    joined = joined.merge(on_pr, left_on=["repo", "head_sha"], right_on=["repo", "sha"])
    first_sha = joined.sort_values("created_at", kind="stable").drop_duplicates("pr_id").set_index("pr_id")["sha"]
    on_first = joined[joined["sha"].to_numpy() == first_sha.reindex(joined["pr_id"]).to_numpy()]
    conclusion = on_first["conclusion"].astype(object)
    decided = on_first.assign(failed=conclusion.isin(FAILED), passed=conclusion.isin(PASSED))
    decided = decided[decided["failed"] | decided["passed"]]
    failed: pd.Series = decided.groupby("pr_id")["failed"].any().astype(float)
    return failed


def reworked(frames: Frames) -> pd.Series:
    """Per merged PR id whose 14 days are over: 1.0 when a fix or revert touched one of its files in them."""
    prs, files = frames.prs, frames.pr_files
    merged = prs[prs["merged_at"].notna().to_numpy() & prs["pr_id"].notna().to_numpy()]
    horizon = pd.Timestamp(frames.now) - pd.Timedelta(days=REWORK_DAYS)
    merged = merged[(merged["merged_at"] <= horizon).to_numpy()]
    if merged.empty:
        return pd.Series(dtype=float)
    touched = files[["pr_id", "path"]].dropna().astype({"path": object})
    targets = touched.merge(
        pd.DataFrame({"pr_id": merged["pr_id"], "repo": merged["repo"].astype(object), "at": merged["merged_at"]}),
        on="pr_id",
    )
    fixes = pd.concat([fix_prs(frames, touched), fix_commits(frames)], ignore_index=True)
    hits = targets.merge(fixes, on=["repo", "path"], suffixes=("", "_fix"))
    later = hits["fix_at"] - hits["at"]
    hits = hits[(later > pd.Timedelta(0)).to_numpy() & (later <= pd.Timedelta(days=REWORK_DAYS)).to_numpy()]
    hits = hits[hits["fix_pr"].to_numpy(dtype=float, na_value=np.nan) != hits["pr_id"].to_numpy(dtype=float)]
    ids = merged["pr_id"].to_numpy(dtype=np.int64)
    return pd.Series(np.isin(ids, hits["pr_id"].to_numpy(dtype=np.int64)).astype(float), index=ids)


def reads_as_fix(text: pd.Series) -> npt.NDArray[np.bool_]:
    return text.astype(object).fillna("").map(lambda t: FIX_WORDS.search(t) is not None).to_numpy(dtype=bool)


def fix_prs(frames: Frames, touched: pd.DataFrame) -> pd.DataFrame:
    """(repo, path, fix_at, fix_pr): the files of PRs whose title reads as a fix or revert, at their opening."""
    prs = frames.prs[frames.prs[["pr_id", "created_at"]].notna().all(axis=1).to_numpy()]
    prs = prs[reads_as_fix(prs["title"])]
    rows = touched.merge(
        pd.DataFrame({"pr_id": prs["pr_id"], "repo": prs["repo"].astype(object), "fix_at": prs["created_at"]}),
        on="pr_id",
    )
    return pd.DataFrame(
        {"repo": rows["repo"], "path": rows["path"], "fix_at": rows["fix_at"], "fix_pr": rows["pr_id"].astype(float)}
    )


def fix_commits(frames: Frames) -> pd.DataFrame:
    """(repo, path, fix_at, fix_pr=NaN): files of commits pushed outside any PR whose message reads as a fix."""
    commits = frames.commits
    direct = commits[commits["pr_number"].isna().to_numpy() & commits["committed_at"].notna().to_numpy()]
    direct = direct[reads_as_fix(direct["message"])]
    files = frames.commit_files[["repo", "sha", "path"]].dropna().astype(object)
    rows = files.merge(
        pd.DataFrame(
            {
                "repo": direct["repo"].astype(object),
                "sha": direct["sha"].astype(object),
                "fix_at": direct["committed_at"],
            }
        ),
        on=["repo", "sha"],
    )
    return pd.DataFrame({"repo": rows["repo"], "path": rows["path"], "fix_at": rows["fix_at"], "fix_pr": np.nan})
