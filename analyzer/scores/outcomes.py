"""Outcomes per authored PR for the multiplier effect (docs/methodology.md, "Multiplier effect (uplift)").

One row per human-authored PR with a known author: its repository, times, size, the author's earlier PRs
in the data, and each outcome the uplift model explains (declared once, in ``OUTCOMES``):

- review rounds to merge: ``mentee_outcomes.pr_review_rounds`` (changes-requested reviews by others plus
  the author's pushes after the first human review), merged PRs only;
- hours from ready-for-review to merge: the store has no ready-for-review event, so the PR's creation
  (drafts never reach the model: they are not merged as drafts) to its merge; modelled on the log scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores.codes import bool_mask
from analyzer.scores.mentee_outcomes import pr_review_rounds


@dataclass(frozen=True)
class Outcome:
    """One outcome: its column, how the model reads it, and the words the report uses."""

    name: str
    label: str  # "review rounds": "needed 18 % fewer review rounds"
    scale: Literal["level", "log"]  # level: effect relative to the counterfactual mean; log: exp(b) - 1
    fewer: str  # the word for a decrease ("fewer", "less")
    more: str


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("review_rounds", "review rounds", "level", "fewer", "more"),
    Outcome("hours_to_merge", "time from review request to merge", "log", "less", "more"),
)
PR_COLUMNS = ("pr_id", "person", "repo", "created_at", "size", "prior_prs", *(o.name for o in OUTCOMES))


def pr_outcomes(frames: Frames) -> pd.DataFrame:
    """Every human-authored PR (author known) with its covariates and outcomes (NaN when not merged)."""
    prs = frames.prs
    keep = ~bool_mask(prs["is_bot"]) & prs["pr_id"].notna().to_numpy() & prs["person"].notna().to_numpy()
    keep &= prs["created_at"].notna().to_numpy()
    rows = prs[keep]
    merged = rows["merged_at"].notna().to_numpy()
    rounds = pr_review_rounds(frames).reindex(rows["pr_id"].to_numpy(dtype=np.int64)).to_numpy(dtype=float)
    hours = (rows["merged_at"] - rows["created_at"]).dt.total_seconds().to_numpy(dtype=float) / 3600.0
    size = rows["additions"].fillna(0).to_numpy(dtype=float) + rows["deletions"].fillna(0).to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "pr_id": rows["pr_id"].to_numpy(dtype=np.int64),
            "person": rows["person"].astype(object).to_numpy(),
            "repo": rows["repo"].astype(object).to_numpy(),
            "created_at": rows["created_at"].to_numpy(),
            "size": size,
            "review_rounds": np.where(merged, np.nan_to_num(rounds), np.nan),
            "hours_to_merge": np.where(merged, np.maximum(hours, 1.0 / 60), np.nan),
        }
    )
    out = out.sort_values(["created_at", "pr_id"], kind="stable").reset_index(drop=True)
    out["prior_prs"] = out.groupby("person", sort=False).cumcount().astype(float)  # the learning curve
    return out[list(PR_COLUMNS)]
