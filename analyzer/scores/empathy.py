"""Empathy (docs/methodology.md, "Considerate comments", "Harsh comments"):
considerate delivery (shrunk mean) and harsh-comment rate (beta-binomial), per person,
over non-trivial English comments, with the most frequent markers and example snippets as evidence."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from analyzer.scores.comments import HARSH_FLAG_MIN_PRECISION, active_models
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import (
    COMMENT_EVIDENCE_SOURCE,
    beta_binomial,
    comment_evidence,
    descending_time_key,
    family_rows,
    group_codes,
    head_per_group,
    rows_at,
    shrink_means,
)

BoolArray = npt.NDArray[np.bool_]


def _tone_mask(comments: pd.DataFrame) -> BoolArray:
    keep: BoolArray = ~comments["is_trivial"].to_numpy(dtype=bool) & comments["lang_en"].to_numpy(dtype=bool)
    return keep


def _time_ns(comments: pd.DataFrame) -> npt.NDArray[np.int64]:
    """created_at as int64 nanoseconds (NaT: the smallest int64)."""
    at: npt.NDArray[np.int64] = comments["created_at"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    return at


def empathy_scores(comments: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Family rows ``considerate`` and ``harsh_rate`` for every person with >= 1 tone-bearing comment."""
    keep = _tone_mask(comments)
    if not keep.any():
        return family_rows([], "considerate", [], [], [], [], [], options.min_considerate, "score -1..1", True)
    # grouped on integer person codes (same groups, order and cython kernels as grouping the strings)
    codes, people = group_codes(comments["person"])
    keep &= codes >= 0
    values = pd.DataFrame(
        {
            "considerate": comments["considerate"].to_numpy(dtype=float)[keep],
            "harsh": comments["harsh"].to_numpy(dtype=bool)[keep],
        }
    )
    g = values.groupby(codes[keep])
    size = g.size()
    stats = pd.DataFrame(
        {
            "mean": g["considerate"].mean().to_numpy(),
            "var": g["considerate"].var(ddof=1).to_numpy(),
            "n": size.to_numpy(),
            "x": g["harsh"].sum().to_numpy(),
        },
        index=people[size.index.to_numpy()],
    )
    shrunk = shrink_means(stats["mean"], stats["var"], stats["n"], options.prior_min_n, options.level)
    rates = beta_binomial(stats["x"], stats["n"], options.prior_min_n, options.prior_strength_cap, options.level)
    # A harsh rate built on an imprecise flag is unfair to the person: not shown unless validated precise.
    precision = active_models().harsh_flag_precision()
    harsh_status = None if precision is not None and precision >= HARSH_FLAG_MIN_PRECISION else np.full(
        len(stats), "not_measurable", dtype=object
    )
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
                harsh_status,
            ),
        ],
        ignore_index=True,
    )


def team_harsh(comments: pd.DataFrame) -> tuple[int, int]:
    """(harsh, total) over the team's tone-bearing comments."""
    keep = _tone_mask(comments)
    return int(comments["harsh"].to_numpy(dtype=bool)[keep].sum()), int(keep.sum())


def empathy_evidence(comments: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Top markers per person (one example comment each) and the person's harshest comments."""
    keep = _tone_mask(comments)
    codes, _ = group_codes(comments["person"])
    return pd.concat(
        [_marker_evidence(comments, keep, codes), _harsh_evidence(comments, keep, codes, options)],
        ignore_index=True,
    )


def _marker_evidence(comments: pd.DataFrame, keep: BoolArray, codes: npt.NDArray[np.intp]) -> pd.DataFrame:
    """Each person's 3 most frequent markers (ties: by marker), each with the person's latest comment
    carrying it (ties: the earlier row)."""
    # markers hold few distinct combinations: count and find the latest example per (person, combination)
    # on integer codes, and only then split the distinct combinations into single markers
    marked = np.flatnonzero(keep & (codes >= 0) & (comments["markers"].fillna("") != "").to_numpy(dtype=bool))
    combo_codes, combos = pd.factorize(comments["markers"].iloc[marked])
    combo = codes[marked].astype(np.int64) * max(len(combos), 1) + combo_codes
    newest = pd.Series(_time_ns(comments)[marked], index=marked).groupby(combo)
    # idxmax: the first row with the newest time (NaT, the smallest int64, only when all are NaT)
    example_at, n_rows = newest.idxmax().to_numpy(dtype=np.intp), newest.size().to_numpy()
    # each combination's example, newest first (ties: earlier row), then one row per marker it holds
    order = np.lexsort((example_at, descending_time_key(_time_ns(comments)[example_at])))
    example_at, n_rows = example_at[order], n_rows[order]
    tokens, token_combo, markers = _split_markers(combos)
    row, marker = _explode(combo_codes[np.searchsorted(marked, example_at)], tokens, token_combo, len(combos))
    person = codes[example_at][row].astype(np.int64)
    key = person * max(len(markers), 1) + marker
    keys, first_row, inverse = np.unique(key, return_index=True, return_inverse=True)
    count = np.bincount(inverse, weights=n_rows[row], minlength=len(keys)).astype(np.int64)
    key_person, key_marker = keys // max(len(markers), 1), keys % max(len(markers), 1)
    # sort_values(["person", "k", "marker"], ascending=[True, False, True]).groupby("person").head(3)
    top = head_per_group(key_person.astype(np.intp), np.lexsort((key_marker, -count, key_person)), 3)
    examples = rows_at(comments, example_at[row[first_row[top]]], COMMENT_EVIDENCE_SOURCE)
    return comment_evidence(examples, "considerate", markers[key_marker[top]])


def _explode(
    row_combo: npt.NDArray[np.intp], tokens: npt.NDArray[np.int64], token_combo: npt.NDArray[np.intp], n_combos: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """(row, marker) per exploded row: each row repeated once per marker of its combination, in order
    (``tokens`` grouped by combination, as ``_split_markers`` returns them)."""
    per_combo = np.bincount(token_combo, minlength=n_combos)
    combo_start = np.r_[0, np.cumsum(per_combo)][:n_combos]
    per_row = per_combo[row_combo]
    row = np.repeat(np.arange(len(row_combo)), per_row)
    within = np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return row, tokens[combo_start[row_combo][row] + within]


def _split_markers(combos: pd.Index) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp], npt.NDArray[np.object_]]:
    """(marker code per token, combination per token, the markers sorted): each ';'-joined combination
    split into its non-empty markers, in order; markers are coded in sorted order so code order is name
    order."""
    split = [[m for m in str(text).split(";") if m != ""] for text in combos]
    markers = np.asarray(sorted({m for parts in split for m in parts}), dtype=object)
    lookup = {m: i for i, m in enumerate(markers)}
    tokens = np.asarray([lookup[m] for parts in split for m in parts], dtype=np.int64)
    token_combo = np.asarray([i for i, parts in enumerate(split) for _ in parts], dtype=np.intp)
    return tokens, token_combo, markers


def _harsh_evidence(
    comments: pd.DataFrame, keep: BoolArray, codes: npt.NDArray[np.intp], options: ScoringOptions
) -> pd.DataFrame:
    """Each person's k harshest comments (by harsh probability, then newest first; stable)."""
    harsh = np.flatnonzero(keep & comments["harsh"].to_numpy(dtype=bool))
    prob = comments["harsh_prob"].to_numpy(dtype=float)[harsh]
    # as sort_values(["harsh_prob", "created_at"], ascending=False): a stable lexsort, NaN/NaT last
    order = np.lexsort((descending_time_key(_time_ns(comments)[harsh]), -prob))
    chosen = harsh[head_per_group(codes[harsh], order, options.evidence_per_family)]
    return comment_evidence(rows_at(comments, chosen, COMMENT_EVIDENCE_SOURCE), "harsh_rate")
