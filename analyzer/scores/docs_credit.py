"""Documentation credit (docs/methodology.md, "Documentation written"):
weighted doc lines per merged PR or direct commit, upkeep (docs changed with
code) and onboarding contributions.

The store keeps per-file line counts but no patches, so ``doc_lines`` are the added lines of doc files;
edits of <= 2 added lines count as typo fixes (weight 0.3) and onboarding docs count double.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import beta_binomial, family_rows
from analyzer.scores.tables import DOC_CHANGES

DOC_CHANGE_COLUMNS = DOC_CHANGES.columns


def weighted_doc_lines(files: pd.DataFrame, options: ScoringOptions) -> pd.Series:
    """Per file row: added lines x 2 for onboarding docs x 0.3 for tiny (typo-sized) edits; 0 for non-docs."""
    added = files["additions"].fillna(0).astype(float)
    weight = np.where(files["is_onboarding"].fillna(False).astype(bool), options.onboarding_weight, 1.0)
    weight = weight * np.where(added <= options.small_doc_edit_lines, options.small_doc_edit_weight, 1.0)
    return pd.Series(np.where(files["is_doc"].fillna(False).astype(bool), added * weight, 0.0), index=files.index)


def _per_change(files: pd.DataFrame, keys: list[str], options: ScoringOptions) -> pd.DataFrame:
    is_doc = files["is_doc"].fillna(False).astype(bool)
    is_code = ~is_doc & ~files["is_generated"].fillna(False).astype(bool)
    frame = files.assign(
        doc_lines=np.where(is_doc, files["additions"].fillna(0), 0),
        weighted_lines=weighted_doc_lines(files, options),
        is_doc=is_doc,
        onboarding=files["is_onboarding"].fillna(False).astype(bool) & is_doc,
        with_code=is_code,
    )
    return (
        frame.groupby(keys, observed=True)
        .agg(
            doc_lines=("doc_lines", "sum"),
            weighted_lines=("weighted_lines", "sum"),
            has_doc=("is_doc", "any"),
            onboarding=("onboarding", "any"),
            with_code=("with_code", "any"),
        )
        .reset_index()
    )


def doc_changes(
    frames: Frames, options: ScoringOptions, start: datetime, end: datetime
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(doc_changes, code_prs): every doc-touching merged PR / direct commit in the window, and every merged
    code-changing PR with whether it also updated docs (for upkeep)."""
    prs = frames.prs[~frames.prs["is_bot"].fillna(False).astype(bool) & frames.prs["merged_at"].notna()]
    prs = prs[(prs["merged_at"] >= pd.Timestamp(start)) & (prs["merged_at"] <= pd.Timestamp(end))]
    per_pr = _per_change(frames.pr_files, ["pr_id"], options).merge(
        prs[["pr_id", "person", "repo", "number", "merged_at", "url"]], on="pr_id"
    )
    pr_rows = per_pr.assign(kind="pr", ref=per_pr["number"].astype(str), at=per_pr["merged_at"])
    commits = frames.commits[~frames.commits["is_bot"].fillna(False).astype(bool) & frames.commits["pr_number"].isna()]
    commits = commits[(commits["committed_at"] >= pd.Timestamp(start)) & (commits["committed_at"] <= pd.Timestamp(end))]
    per_commit = _per_change(frames.commit_files, ["repo", "sha"], options).merge(
        commits[["repo", "sha", "person", "committed_at", "url"]], on=["repo", "sha"]
    )
    commit_rows = per_commit.assign(kind="commit", ref=per_commit["sha"], at=per_commit["committed_at"])
    both = pd.concat([pr_rows, commit_rows], ignore_index=True)
    changes = both[both["has_doc"].astype(bool)].loc[:, list(DOC_CHANGE_COLUMNS)].reset_index(drop=True)
    code_prs = per_pr[per_pr["with_code"].astype(bool)][["person", "pr_id", "has_doc"]]
    return changes, code_prs


def docs_scores(changes: pd.DataFrame, code_prs: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Family rows docs_volume (log1p of capped weighted lines), docs_upkeep and onboarding_docs."""
    people = pd.Index(sorted(set(changes["person"].dropna()) | set(code_prs["person"].dropna())), name="person")
    if people.empty:
        return family_rows([], "docs_volume", [], [], [], [], [], 1, "log1p(weighted doc lines)", True)
    positive = changes.loc[changes["weighted_lines"] > 0, "weighted_lines"]
    cap = float(positive.quantile(options.doc_volume_cap_quantile)) if len(positive) else 0.0
    capped = changes.assign(capped=changes["weighted_lines"].clip(upper=cap))
    g = capped.groupby("person")
    total = g["capped"].sum().reindex(people).fillna(0.0)
    n_changes = g.size().reindex(people).fillna(0)
    onboarding = g["onboarding"].sum().reindex(people).fillna(0)
    up = code_prs.groupby("person")["has_doc"]
    x, n = up.sum().reindex(people).fillna(0), up.size().reindex(people).fillna(0)
    bb = beta_binomial(x, n, options.prior_min_n, options.prior_strength_cap, options.level)
    return pd.concat(
        [
            family_rows(
                people,
                "docs_volume",
                np.log1p(total),
                np.nan,
                np.nan,
                total,
                n_changes,
                1,
                "log1p(weighted doc lines)",
                True,
            ),
            family_rows(
                people,
                "docs_upkeep",
                bb["estimate"],
                bb["lo"],
                bb["hi"],
                bb["raw"],
                n,
                options.min_upkeep,
                "share of code PRs that update docs",
                True,
            ),
            family_rows(
                people,
                "onboarding_docs",
                onboarding,
                np.nan,
                np.nan,
                onboarding,
                n_changes,
                1,
                "PRs/commits touching onboarding docs",
                True,
            ),
        ],
        ignore_index=True,
    )


def docs_evidence(changes: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Each person's largest doc changes."""
    rows = changes.sort_values("weighted_lines", ascending=False).groupby("person").head(options.evidence_per_family)
    text: pd.Series = (
        rows["doc_lines"].astype(int).astype(str)
        + " doc lines (weighted "
        + rows["weighted_lines"].round(1).astype(str)
        + ")"
        + np.where(rows["onboarding"], ", onboarding docs", "")
    )
    return pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "family": "docs_volume",
            "kind": rows["kind"].map({"pr": "pr", "commit": "commit"}).to_numpy(),
            "ref": rows["ref"].to_numpy(),
            "url": rows["url"].to_numpy(),
            "excerpt": text.to_numpy(),
            "markers": "",
            "at": rows["at"].to_numpy(),
        }
    )
