"""Chart counts computed straight from a Scores object, independently of the report code."""

from __future__ import annotations

from typing import Any


def landing_charts(scores: Any, min_group_size: int = 5) -> int:
    people = set(scores.people["person"])
    fs = scores.family_scores
    ok = fs[(fs["status"] == "ok") & fs["person"].isin(people)]
    families = int((ok.groupby("family").size() >= min_group_size).sum())
    if len(people) < min_group_size:
        return families
    team = 1 if len(scores.team) else 0
    sharing = 1 if scores.review_edges["n_episodes"].sum() > 0 else 0
    heatmap = 1 if len(people) <= 40 else 0
    inflow = 1 if len(scores.newcomer_inflow) else 0
    ci = 1 if scores.ci_changes["credited"].any() else 0
    uplift = int(len(_uplift_ok(scores, people)) >= min_group_size)  # the distribution of effects
    return families + team + sharing + heatmap + inflow + ci + uplift


def _uplift_ok(scores: Any, people: set[str]) -> set[str]:
    """People with a review-rounds multiplier effect (status ok)."""
    table = getattr(scores, "uplift", None)
    if table is None or table.empty:
        return set()
    ok = table[(table["outcome"] == "review_rounds") & (table["status"] == "ok") & table["person"].isin(people)]
    return set(ok["person"])


EXPLORATORY_OR_COMPOSITE = {"multiplier", "mentee_retention", "mentee_rounds_change"}


def person_charts(scores: Any, person: str, min_group_size: int = 5) -> int:
    """The "what they do for others" chart when the person has a point estimate in a family that at
    least ``min_group_size`` people have one in (with some spread); network and trends always; the CI
    chart only for people with CI changes."""
    fs = scores.family_scores
    ok = fs[(fs["status"] == "ok") & fs["person"].isin(set(scores.people["person"]))]
    ok = ok[~ok["family"].isin(EXPLORATORY_OR_COMPOSITE)]
    sizes = ok.groupby("family")["estimate"].agg(["size", "std"])
    comparable = set(sizes[(sizes["size"] >= min_group_size) & (sizes["std"] > 0)].index)
    others = int(len(scores.people) >= min_group_size and bool(set(ok[ok["person"] == person]["family"]) & comparable))
    uplift = int(person in _uplift_ok(scores, set(scores.people["person"])))  # the multiplier chart
    return others + 2 + int((scores.ci_changes["person"] == person).any()) + uplift
