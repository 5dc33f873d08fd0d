"""Per-comment scores: considerate delivery, harsh probability, usefulness, specificity, type.

``score_comments`` scores a whole column at once (Arrow RE2 kernels plus numpy), fast enough
for a million comments in seconds. Weights come from ``comment_weights.json`` shipped next to
this module (fitted by :mod:`analyzer.scores.calibration`; aggregate coefficients of named
features only, no vocabulary from any dataset).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analyzer.text import lexicons as lx
from analyzer.text.features import comment_features, diff_identifier_overlap
from analyzer.text.normalize import as_arrow, contains, normalize_array

# §1.2: e_c <= -0.6 is harsh whatever the model says.
HARSH_CONSIDERATE_FLOOR = -0.6
CHUNK_ROWS = 50_000
COMMENT_TYPES = ("praise", "question", "suggestion", "nit", "issue", "thought", "chore", "note", "other")
OUTPUT_COLUMNS = (
    "prose",
    "n_prose_tokens",
    "is_trivial",
    "lang_en",
    "has_code",
    "has_suggestion",
    "has_quote",
    "has_link",
    "has_question",
    "has_rationale",
    "shares_diff_identifier",
    "is_nit",
    "cc_label",
    "comment_type",
    "considerate",
    "harsh_prob",
    "harsh",
    "useful_prob",
    "specific",
    "markers",
)

# Marker name in the ``markers`` column -> feature that fires it (explainability, §1.3).
MARKER_FEATURES = (
    ("gratitude", "gratitude"),
    ("deference", "deference"),
    ("indirect", "indirect"),
    ("please", "please"),
    ("please_start", "please_start"),
    ("counterfactual", "counterfactual"),
    ("greeting", "greeting"),
    ("apology", "apology"),
    ("hedge", "hedge"),
    ("positive", "positive"),
    ("first_plural", "first_plural"),
    ("negative", "negative"),
    ("direct_question", "direct_question"),
    ("direct_question_you", "direct_question_you"),
    ("second_person_start", "second_person_start"),
    ("factuality", "factuality"),
    ("direct_start", "direct_start"),
    ("person_targeted", "person_targeted"),
    ("rationale", "rationale"),
    ("minimiser", "minimiser"),
    ("shouting", "shouting"),
    ("profanity", "profanity"),
    ("insult", "insult"),
    ("self_directed", "self_directed"),
    ("identity_attack", "identity_attack"),
    ("harsh_word", "harsh_word"),
    ("exasperation", "exasperation"),
    ("emoji_pos", "emoji_pos"),
    ("emoji_neg", "emoji_neg"),
    ("cc_label", "cc_label"),
    ("nit", "nit"),
    ("suggestion", "has_suggestion"),
    ("code", "has_code"),
    ("link", "has_link"),
    ("question", "question"),
    ("diff_identifier", "shares_diff_identifier"),
)


@dataclass(frozen=True)
class LinearModel:
    """A named-feature linear model: ``intercept + sum(weights[name] * feature[name])``."""

    intercept: float
    weights: dict[str, float]
    threshold: float = 0.5

    def logit(self, features: pd.DataFrame) -> np.ndarray:
        total = np.full(len(features), self.intercept, dtype=np.float64)
        for name, weight in self.weights.items():
            total += weight * features[name].to_numpy(dtype=np.float64)
        return total

    def probability(self, features: pd.DataFrame) -> np.ndarray:
        return _sigmoid(self.logit(features))

    def to_json(self) -> dict[str, Any]:
        return {"intercept": self.intercept, "threshold": self.threshold, "weights": dict(self.weights)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> LinearModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return LinearModel(float(data["intercept"]), weights, float(data.get("threshold", 0.5)))


@dataclass(frozen=True)
class CommentModels:
    """The three shipped models: considerate (tanh of weighted sum), harsh and useful (logistic)."""

    considerate: LinearModel
    harsh: LinearModel
    useful: LinearModel


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=np.float64)


@cache
def shipped_models() -> CommentModels:
    """The models in ``comment_weights.json`` (loaded once; works without /work/shared)."""
    text = resources.files("analyzer.scores").joinpath("comment_weights.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return CommentModels(*(LinearModel.from_json(data[name]) for name in ("considerate", "harsh", "useful")))


def featurize(bodies: pd.Series, diff_hunks: pd.Series | None = None) -> tuple[pa.Array, pd.DataFrame]:
    """Normalised prose and the full named-feature frame (positional index) for a column of bodies."""
    raw = as_arrow(bodies)
    prose, signals = normalize_array(raw)
    features = comment_features(prose, signals)
    overlap = np.zeros(len(bodies), dtype=bool)
    if diff_hunks is not None:
        hunks = as_arrow(diff_hunks.reindex(bodies.index))
        overlap = diff_identifier_overlap(raw, hunks)
    features["shares_diff_identifier"] = overlap.astype(np.float64)
    body_chars = pc.utf8_length(raw).to_numpy(zero_copy_only=False).astype(np.float64)
    prose_chars = pc.utf8_length(prose).to_numpy(zero_copy_only=False).astype(np.float64)
    features["log_body_chars"] = np.log1p(body_chars)
    features["chars_per_token"] = np.minimum(
        prose_chars / np.maximum(features["n_tokens"].to_numpy(), 1.0), 12.0
    )
    features["line_anchor"] = contains(pc.utf8_lower(prose), r"\bline\s*\d+|\bl\d+\b|\blines?\s+\d+").astype(
        np.float64
    )
    features["specific"] = _specific(features).astype(np.float64)
    return prose, features


def _specific(f: pd.DataFrame) -> np.ndarray:
    """§2.2 specificity: a code reference, a diff identifier, a suggestion block or a line anchor."""
    names = ("has_code", "shares_diff_identifier", "has_suggestion", "line_anchor", "identifier_in_text")
    return np.asarray(np.logical_or.reduce([f[n].to_numpy() > 0 for n in names]), dtype=bool)


def _destructive(f: pd.DataFrame) -> np.ndarray:
    """Gunawardena et al.: negative evaluation AND no specificity (no code, rationale or question)."""
    negative = (f["harsh_word"].to_numpy() > 0) | (f["person_targeted"].to_numpy() > 0)
    informative = (
        (f["specific"].to_numpy() > 0) | (f["rationale"].to_numpy() > 0) | (f["question"].to_numpy() > 0)
    )
    return np.asarray(negative & ~informative, dtype=bool)


def _harsh_flag(
    f: pd.DataFrame, harsh_prob: np.ndarray, considerate: np.ndarray, threshold: float
) -> np.ndarray:
    aimed_insult = (f["insult"].to_numpy() > 0) & (f["self_directed"].to_numpy() == 0)
    lexical = aimed_insult | (f["identity_attack"].to_numpy() > 0)
    aimed_profanity = (f["profanity"].to_numpy() > 0) & (f["person_targeted"].to_numpy() > 0)
    rules = lexical | aimed_profanity | (considerate <= HARSH_CONSIDERATE_FLOOR) | _destructive(f)
    return np.asarray((harsh_prob >= threshold) | rules, dtype=bool)


def _cc_labels(prose: pa.Array) -> np.ndarray:
    pattern = (
        r"^\s*(?:\*\*)?(?P<label>" + "|".join(lx.CC_LABELS) + r")(?:\s*\([a-z ,\-]{0,40}\))?(?:\*\*)?\s*:"
    )
    found = pc.extract_regex(pc.utf8_lower(prose), pattern).field("label")
    return np.asarray(pc.fill_null(found, "").to_numpy(zero_copy_only=False), dtype=object)


def _comment_types(f: pd.DataFrame, labels: np.ndarray) -> pd.Categorical[str]:
    label_type = pd.Series(labels).map(lambda v: lx.CC_LABEL_TYPE.get(v, "")).to_numpy(dtype=object)
    col = {name: f[name].to_numpy() > 0 for name in f.columns}
    praise = (
        (col["deference"] | (col["positive"] & col["gratitude"])) & ~col["change_request"] & ~col["question"]
    )
    suggestion = col["has_suggestion"] | col["counterfactual"] | (col["hedge"] & col["change_request"])
    issue = col["negative"] | col["harsh_word"] | col["change_request"]
    inferred = np.select(
        [col["nit"], praise, col["question"], suggestion, issue],
        ["nit", "praise", "question", "suggestion", "issue"],
        default="other",
    )
    chosen = np.where(label_type != "", label_type, inferred)
    return pd.Categorical(chosen, categories=list(COMMENT_TYPES))


def _markers(f: pd.DataFrame) -> np.ndarray:
    """Semicolon-joined fired markers, built from a bitmask so only distinct combinations touch Python."""
    codes = np.zeros(len(f), dtype=np.int64)
    for bit, (_, feature) in enumerate(MARKER_FEATURES):
        codes |= (f[feature].to_numpy() > 0).astype(np.int64) << bit
    unique, inverse = np.unique(codes, return_inverse=True)
    names = [
        ";".join(n for b, (n, _) in enumerate(MARKER_FEATURES) if code >> b & 1) for code in unique.tolist()
    ]
    return np.asarray(names, dtype=object)[inverse.reshape(-1)] if len(f) else np.zeros(0, dtype=object)


def score_features(prose: pa.Array, f: pd.DataFrame, models: CommentModels | None = None) -> pd.DataFrame:
    """Scores from an already computed feature frame (positional index)."""
    m = models or shipped_models()
    considerate = np.tanh(m.considerate.logit(f))
    harsh_prob = m.harsh.probability(f)
    labels = _cc_labels(prose)
    return pd.DataFrame(
        {
            "prose": prose.to_numpy(zero_copy_only=False),
            "n_prose_tokens": f["n_tokens"].to_numpy().astype(np.int64),
            "is_trivial": f["is_trivial"].to_numpy() > 0,
            "lang_en": f["not_english"].to_numpy() == 0,
            "has_code": f["has_code"].to_numpy() > 0,
            "has_suggestion": f["has_suggestion"].to_numpy() > 0,
            "has_quote": f["has_quote"].to_numpy() > 0,
            "has_link": f["has_link"].to_numpy() > 0,
            "has_question": f["question"].to_numpy() > 0,
            "has_rationale": f["rationale"].to_numpy() > 0,
            "shares_diff_identifier": f["shares_diff_identifier"].to_numpy() > 0,
            "is_nit": (f["nit"].to_numpy() > 0)
            | np.isin(labels, ["nit", "nitpick", "typo", "polish", "quibble"]),
            "cc_label": labels,
            "comment_type": _comment_types(f, labels),
            "considerate": considerate,
            "harsh_prob": harsh_prob,
            "harsh": _harsh_flag(f, harsh_prob, considerate, m.harsh.threshold),
            "useful_prob": m.useful.probability(f),
            "specific": f["specific"].to_numpy() > 0,
            "markers": _markers(f),
        }
    )


def score_comments(bodies: pd.Series, diff_hunks: pd.Series | None = None) -> pd.DataFrame:
    """Score every comment body in ``bodies`` (and its diff hunk, when given); indexed like ``bodies``.

    Non-English (``lang_en`` False) and trivial comments are still scored; per-person empathy
    averages must filter them out (metrics.md §0.3 steps 6-7). Large columns are scored in
    chunks on a thread pool: the Arrow kernels release the GIL, so chunks run on all cores.
    """
    hunks = None if diff_hunks is None else diff_hunks.reindex(bodies.index)
    starts = range(0, max(len(bodies), 1), CHUNK_ROWS)
    with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, len(starts), 8)) as pool:
        parts = list(pool.map(lambda start: _score_chunk(bodies, hunks, start), starts))
    scores = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    scores["comment_type"] = pd.Categorical(scores["comment_type"], categories=list(COMMENT_TYPES))
    scores.index = bodies.index
    return scores


def _score_chunk(bodies: pd.Series, hunks: pd.Series | None, start: int) -> pd.DataFrame:
    stop = start + CHUNK_ROWS
    chunk_hunks = None if hunks is None else hunks.iloc[start:stop]
    prose, features = featurize(bodies.iloc[start:stop], chunk_hunks)
    return score_features(prose, features)


def score_comment(body: str, diff_hunk: str | None = None) -> dict[str, object]:
    """Score one comment; same fields as :func:`score_comments`, as plain Python values."""
    hunks = None if diff_hunk is None else pd.Series([diff_hunk])
    row = score_comments(pd.Series([body]), hunks).iloc[0]
    return {str(key): value.item() if isinstance(value, np.generic) else value for key, value in row.items()}
