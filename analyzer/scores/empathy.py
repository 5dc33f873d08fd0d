"""Empathy (§1.3): considerate delivery (shrunk mean) and harsh-comment rate (beta-binomial), per person,
over non-trivial English comments, with the most frequent markers and example snippets as evidence."""

from __future__ import annotations

import pandas as pd

from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import beta_binomial, excerpt, family_rows, shrink_means

EVIDENCE_COLUMNS = ("person", "family", "kind", "ref", "url", "excerpt", "markers", "at")


TONE_COLUMNS = ("person", "considerate", "harsh", "harsh_prob", "markers", "created_at", "comment_id", "url", "body")


def tone_population(comments: pd.DataFrame) -> pd.DataFrame:
    """Comments that carry a tone signal: non-trivial and English (§0.3 steps 6-7); only the columns the
    empathy scores and evidence use."""
    keep = ~comments["is_trivial"].to_numpy(dtype=bool) & comments["lang_en"].to_numpy(dtype=bool)
    population: pd.DataFrame = comments.loc[keep, list(TONE_COLUMNS)]
    return population


def empathy_scores(comments: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Family rows ``considerate`` and ``harsh_rate`` for every person with >= 1 tone-bearing comment."""
    pop = tone_population(comments)
    if pop.empty:
        return family_rows([], "considerate", [], [], [], [], [], options.min_considerate, "score -1..1", True)
    g = pop.groupby("person", observed=True)
    stats = pd.DataFrame(
        {
            "mean": g["considerate"].mean(),
            "var": g["considerate"].var(ddof=1),
            "n": g.size(),
            "x": g["harsh"].sum(),
        }
    )
    shrunk = shrink_means(stats["mean"], stats["var"], stats["n"], options.prior_min_n, options.level)
    rates = beta_binomial(stats["x"], stats["n"], options.prior_min_n, options.prior_strength_cap, options.level)
    return pd.concat(
        [
            family_rows(
                stats.index,
                "considerate",
                shrunk["estimate"],
                shrunk["lo"],
                shrunk["hi"],
                shrunk["raw"],
                stats["n"],
                options.min_considerate,
                "score -1..1",
                True,
            ),
            family_rows(
                stats.index,
                "harsh_rate",
                rates["estimate"],
                rates["lo"],
                rates["hi"],
                rates["raw"],
                stats["n"],
                options.min_harsh,
                "share of comments",
                False,
            ),
        ],
        ignore_index=True,
    )


def team_harsh(comments: pd.DataFrame) -> tuple[int, int]:
    """(harsh, total) over the team's tone-bearing comments."""
    keep = ~comments["is_trivial"].to_numpy(dtype=bool) & comments["lang_en"].to_numpy(dtype=bool)
    return int(comments["harsh"].to_numpy(dtype=bool)[keep].sum()), int(keep.sum())


def empathy_evidence(comments: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Top markers per person (one example comment each) and the person's harshest comments."""
    pop = tone_population(comments)
    k = options.evidence_per_family
    # markers hold few distinct combinations: count and find the latest example per (person, combination)
    # first, and only then split the combinations into single markers
    marked = pop.loc[(pop["markers"].fillna("") != "").to_numpy(), ["person", "markers", "created_at"]]
    latest = marked.sort_values("created_at", ascending=False, kind="stable")
    firsts = latest.drop_duplicates(["person", "markers"]).reset_index(names="cidx")
    counts_by_combo = marked.groupby(["person", "markers"], observed=True).size().rename("k").reset_index()
    firsts = firsts.merge(counts_by_combo, on=["person", "markers"])
    exploded = firsts.assign(marker=firsts["markers"].str.split(";")).explode("marker")
    exploded = exploded[exploded["marker"].fillna("") != ""]
    counts = exploded.groupby(["person", "marker"], observed=True)["k"].sum().reset_index()
    top = counts.sort_values(["person", "k", "marker"], ascending=[True, False, True])
    top = top.groupby("person", observed=True).head(3)
    # the example for each (person, marker) is the person's latest comment carrying that marker
    example = exploded.sort_values("created_at", ascending=False, kind="stable")
    example = example.drop_duplicates(["person", "marker"])
    top = top.merge(example[["person", "marker", "cidx"]], on=["person", "marker"])
    marker_rows = _evidence(pop.loc[top["cidx"].to_numpy()], "considerate", top["marker"].to_numpy())
    harsh = pop[pop["harsh"].to_numpy(dtype=bool)].sort_values(["harsh_prob", "created_at"], ascending=[False, False])
    harsh = harsh.groupby("person", observed=True).head(k)
    return pd.concat([marker_rows, _evidence(harsh, "harsh_rate", None)], ignore_index=True)


def _evidence(rows: pd.DataFrame, family: str, markers: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person": rows["person"].to_numpy(),
            "family": family,
            "kind": "comment",
            "ref": rows["comment_id"].to_numpy(),
            "url": rows["url"].to_numpy(),
            "excerpt": excerpt(rows["body"]).to_numpy(),
            "markers": rows["markers"].to_numpy() if markers is None else markers,
            "at": rows["created_at"].to_numpy(),
        }
    ).loc[:, list(EVIDENCE_COLUMNS)]
