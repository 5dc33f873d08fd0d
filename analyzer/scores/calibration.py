"""Fit and validate the per-comment models against human labels (docs/methodology.md, "Comment scorers").

Weights are fitted by L2-penalised logistic regression: named features pulled toward published
priors (the politeness table for tone; hand-set priors for harsh and useful), hashed words and
word pairs (:mod:`analyzer.text.ngrams`) pulled toward zero. Several labelled sources are fitted at
once on one shared scale with an intercept per source (``fit_pooled``): the sources label related
but different things (toxic, uncivil, negative) at different base rates, and their own intercepts
absorb that, so the shared weights carry only what the sources agree on. ``cross_validate`` refits
inside each fold; :mod:`analyzer.scores.transfer` runs leave-one-dataset-out.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, sparse, stats

from analyzer.errors import CalibrationError
from analyzer.scores.comments import (
    DENSE_SUFFIX,
    CommentModels,
    LinearModel,
    _harsh_flag,
    active_models,
    comment_vectors,
    featurize,
    featurize_words,
    model_scores,
)
from analyzer.text.embedding import shipped_vectors
from analyzer.text.ngrams import DEFAULT_BITS, hashed_matrix

Target = Literal["harsh", "useful"]

# The politeness table (docs/methodology.md, "Comment scorers"; scaled from
# Danescu-Niculescu-Mizil et al. 2013) plus our code-review markers.
CONSIDERATE_PRIOR: dict[str, float] = {
    "gratitude": 0.9,
    "deference": 0.6,
    "indirect": 0.3,
    "please": 0.5,
    "counterfactual": 0.5,
    "greeting": 0.2,
    "apology": 0.4,
    "hedge": 0.3,
    "positive": 0.1,
    "first_plural": 0.1,
    "negative": -0.3,
    "direct_question": -0.3,
    "direct_question_you": -0.3,
    "please_start": -0.2,
    "second_person_start": -0.3,
    "factuality": -0.3,
    "direct_start": -0.3,
    "person_targeted": -0.6,
    "rationale": 0.3,
    "minimiser": -0.3,
    "shouting": -0.3,
    "emoji_pos": 0.1,
    "emoji_neg": -0.4,
    "cc_label": 0.2,
    "nit": 0.0,
    "profanity": -0.6,
    "insult": -1.0,
    "identity_attack": -1.5,
    "harsh_word": -0.4,
    "exasperation": -0.3,
}
# Harsh log-odds priors: the toxicity lexicons and person-targeting push up; the politeness table
# (sign-flipped) pushes down. Every other feature starts at 0.
HARSH_PRIOR: dict[str, float] = {
    **{name: -weight for name, weight in CONSIDERATE_PRIOR.items()},
    "profanity": 2.0,
    "insult": 2.5,
    "identity_attack": 3.0,
    "harsh_word": 1.2,
    "person_targeted": 1.0,
    "exasperation": 0.8,
    "emoji_neg": 1.0,
    "caps_words": 0.3,
    "punct_run": 0.5,
    "exclamation": 0.2,
    "second_person": 0.1,
    "first_singular": 0.0,
    "question": 0.0,
    "has_code": -0.5,
    "identifier_in_text": -0.3,
    "has_link": -0.3,
    "has_suggestion": -0.5,
    "specific": -0.3,
    "log_tokens": 0.0,
    "len_0_2": 0.0,
    "len_3_5": 0.0,
    "len_6_10": 0.0,
    "len_11_20": 0.0,
    "len_21_50": 0.0,
    "len_51_plus": 0.0,
    "is_trivial": 0.0,
    "not_english": 0.0,
    "code_token": 0.0,
    "change_request": 0.0,
    "has_number": -0.1,
    "ack_only": 0.0,
    "has_quote": 0.0,
    "has_mention": 0.0,
    "line_anchor": 0.0,
    "shares_diff_identifier": -0.3,
    "self_directed": -1.0,
    # incivility in discussions and word valence (issue 12): small hand-set priors, the data moves them
    "impatience": 0.3,
    "frustration": 0.3,
    "mocking": 0.3,
    "entitlement": 0.3,
    "threat": 0.3,
    "rhetorical": 0.2,
    "you_question": 0.1,
    "valence_neg": 0.3,
    "valence_pos": -0.2,
    "valence_min": 0.1,
    "strong_negative": 0.2,
}
USEFUL_PRIOR: dict[str, float] = {
    "log_tokens": 0.3,
    "len_0_2": -1.0,
    "len_3_5": -0.3,
    "len_6_10": 0.0,
    "len_11_20": 0.2,
    "len_21_50": 0.2,
    "len_51_plus": 0.0,
    "has_code": 0.3,
    "identifier_in_text": 0.3,
    "has_suggestion": 0.5,
    "has_link": 0.2,
    "question": 0.3,
    "rationale": 0.3,
    "change_request": 0.3,
    "ack_only": -1.0,
    "gratitude": -0.2,
    "positive": -0.1,
    "deference": -0.3,
    "nit": 0.0,
    "cc_label": 0.1,
    "hedge": 0.0,
    "counterfactual": 0.2,
    "please": 0.1,
    "please_any": 0.1,
    "first_plural": 0.0,
    "second_person": 0.1,
    "first_singular": 0.0,
    "has_number": 0.1,
    "line_anchor": 0.2,
    "shares_diff_identifier": 0.5,
    "specific": 0.3,
    "is_trivial": -0.5,
    "not_english": 0.0,
    "negative": 0.1,
    "exclamation": 0.0,
    "code_token": 0.1,
    "direct_question": 0.1,
    "has_quote": 0.0,
    "has_mention": 0.0,
    "harsh_word": 0.0,
    "profanity": 0.0,
    "emoji_pos": -0.2,
    "apology": 0.0,
    "factuality": 0.0,
    "minimiser": 0.0,
    "direct_start": 0.0,
    "indirect": 0.0,
    "deferral": -0.3,
    "non_blocking": -0.3,
    "thinking_aloud": -0.3,
    "imperative_start": 0.3,
    "obligation": 0.3,
    "tag_question": 0.0,
    "tech_term": 0.1,
    "quoted_text": 0.1,
    "code_chars": 0.1,
    "file_path": 0.1,
    "n_sentences": 0.0,
    "repeat_request": 0.3,
    "short_question": 0.2,
    "short_request": 0.2,
    "praise_only": -0.5,
    "log_body_chars": 0.0,
    "chars_per_token": 0.0,
    "starts_first_person": 0.0,
    "starts_this": 0.0,
    "why_question": 0.0,
    "n_questions": 0.0,
    "starts_lowercase": 0.0,
    "starts_reply": -0.2,
}
PRIORS: dict[str, dict[str, float]] = {
    "considerate": CONSIDERATE_PRIOR,
    "harsh": HARSH_PRIOR,
    "useful": USEFUL_PRIOR,
}
# Penalty strength (per comment of training data, so it means the same for small and large sets).
# Penalties on the named features, per row of training data (so they mean the same for small and large sets),
# toward the priors; and on the hashed word weights, a fixed total toward zero. Only the harsh model uses
# hashed words: for usefulness they did not transfer between the two labelled sources (docs/methodology.md).
L2_PER_ROW = {"considerate": 1.0, "harsh": 0.0005, "useful": 0.5}
# Fitted and used on the same team's labels (a user's CSV, in-set CV) the data may speak louder: the
# usefulness cues that transfer poorly between teams still hold within one (in-set ROC-AUC 0.71 vs 0.68 on Nova).
L2_PER_ROW_OWN_DATA = {**L2_PER_ROW, "useful": 0.004}
L2_WORDS = {"harsh": 3.0}
# Comment vectors (static MiniLM token vectors, unit length): only the harsh model uses them. They raised
# left-out harsh ROC-AUC on every tone set; for usefulness they lowered it on Nova (docs/methodology.md).
L2_DENSE = {"harsh": 1.0}
MAX_ITER = 100  # L-BFGS iterations: the left-out AUC moves by < 0.005 beyond this, and fitting stays fast
CONSIDERATE_SCALE = 1.0
# The harsh flag's threshold is the lowest harsh probability at which the flag reaches this precision on
# every left-out set: the precision the report requires before it shows harsh rates (transfer.REQUIRED_PRECISION).
FLAG_PRECISION = 0.70
THRESHOLD_GRID = np.round(np.arange(0.05, 0.995, 0.01), 2)


@dataclass(frozen=True)
class CalibrationResult:
    """Cross-validated and shipped-scorer figures for one labelled set."""

    target: str
    n: int
    n_positive: int
    k: int
    cv_roc_auc: float
    cv_pr_auc: float
    cv_f1: float
    cv_roc_auc_folds: tuple[float, ...]
    shipped_roc_auc: float
    shipped_pr_auc: float
    shipped_f1: float
    length_roc_auc: float

    def to_lines(self) -> list[str]:
        folds = ", ".join(f"{v:.3f}" for v in self.cv_roc_auc_folds)
        return [
            f"target: {self.target}  n={self.n}  positives={self.n_positive}",
            f"{self.k}-fold CV (refitted per fold): ROC-AUC {self.cv_roc_auc:.3f}  "
            f"PR-AUC {self.cv_pr_auc:.3f}  "
            f"F1 {self.cv_f1:.3f}  (fold ROC-AUC: {folds})",
            f"shipped weights: ROC-AUC {self.shipped_roc_auc:.3f}  PR-AUC {self.shipped_pr_auc:.3f}  "
            f"F1 {self.shipped_f1:.3f}",
            f"baseline, comment length alone: ROC-AUC {self.length_roc_auc:.3f}",
        ]


# --- metrics ---------------------------------------------------------------------------------


def roc_auc(y: np.ndarray, s: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U with mid-ranks for ties)."""
    y_bool, scores = _checked(y, s)
    n_pos = int(y_bool.sum())
    n_neg = len(y_bool) - n_pos
    ranks = stats.rankdata(scores)
    return float((ranks[y_bool].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def pr_auc(y: np.ndarray, s: np.ndarray) -> float:
    """Area under the precision-recall curve as average precision (step-wise, ties grouped)."""
    y_bool, scores = _checked(y, s)
    order = np.argsort(-scores, kind="mergesort")
    sorted_scores, hits = scores[order], y_bool[order].astype(np.float64)
    last_of_tie = np.r_[np.flatnonzero(np.diff(sorted_scores)), len(sorted_scores) - 1]
    tp = np.cumsum(hits)[last_of_tie]
    precision = tp / (last_of_tie + 1)
    recall_gain = np.diff(np.r_[0.0, tp]) / hits.sum()
    return float(np.sum(precision * recall_gain))


def f1_score(y: np.ndarray, predicted: np.ndarray) -> float:
    y_bool, pred = np.asarray(y, dtype=bool), np.asarray(predicted, dtype=bool)
    tp = float(np.sum(y_bool & pred))
    denominator = float(np.sum(y_bool) + np.sum(pred))
    return 0.0 if denominator == 0 else 2 * tp / denominator


def f1_at_best_threshold(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """(best F1, the score threshold reaching it): predict positive when score >= threshold."""
    y_bool, scores = _checked(y, s)
    order = np.argsort(-scores, kind="mergesort")
    sorted_scores = scores[order]
    tp = np.cumsum(y_bool[order])
    last_of_tie = np.r_[np.flatnonzero(np.diff(sorted_scores)), len(sorted_scores) - 1]
    f1 = 2 * tp[last_of_tie] / (last_of_tie + 1 + y_bool.sum())
    best = int(np.argmax(f1))
    return float(f1[best]), float(sorted_scores[last_of_tie[best]])


def _checked(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y_bool = np.asarray(y, dtype=bool)
    scores = np.asarray(s, dtype=np.float64)
    if y_bool.shape != scores.shape or y_bool.all() or not y_bool.any():
        raise CalibrationError("need labels and scores of equal length with both classes present")
    return y_bool, scores


# --- fitting ---------------------------------------------------------------------------------


def fit_logistic(x: np.ndarray, y: np.ndarray, prior: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    """Logistic regression with an L2 penalty toward ``prior`` (intercept unpenalised)."""
    intercepts, weights, _, _ = _fit(x, None, [np.asarray(y, dtype=bool)], prior, l2, 0.0, equal_sources=False)
    return float(intercepts[0]), weights


def _fit(
    named: np.ndarray,
    words: sparse.csr_matrix | None,
    ys: Sequence[np.ndarray],
    prior: np.ndarray,
    l2_named: float,
    l2_words: float,
    equal_sources: bool = True,
    maxiter: int = 500,
    dense: np.ndarray | None = None,
    l2_dense: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(intercept per source, named weights, word weights, dense weights): one logistic loss over all
    sources, each with its own unpenalised intercept; with ``equal_sources`` every source weighs the same
    in total. ``words`` (sparse) and ``dense`` (comment vectors) are pulled toward zero by their own L2."""
    y = np.concatenate([np.asarray(v, dtype=np.float64) for v in ys])
    source = np.concatenate([np.full(len(v), i) for i, v in enumerate(ys)])
    sizes = np.array([len(v) for v in ys], dtype=np.float64)
    weight = (len(y) / (len(ys) * sizes))[source] if equal_sources else np.ones(len(y))
    n_src, n_named = len(ys), named.shape[1]
    n_words = 0 if words is None else words.shape[1]
    n_dense = 0 if dense is None else dense.shape[1]
    at_words, at_dense = n_src + n_named, n_src + n_named + n_words

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b, wn = theta[:n_src], theta[n_src:at_words]
        z = b[source] + named @ wn
        if words is not None:
            z = z + words @ theta[at_words:at_dense]
        if dense is not None:
            z = z + dense @ theta[at_dense:]
        residual = weight * (0.5 * (1.0 + np.tanh(0.5 * z)) - y)
        delta = wn - prior
        grad = [np.bincount(source, weights=residual, minlength=n_src), named.T @ residual + l2_named * delta]
        value = float(np.sum(weight * (np.logaddexp(0.0, z) - y * z))) + 0.5 * l2_named * float(delta @ delta)
        for block, l2, lo, hi in ((words, l2_words, at_words, at_dense), (dense, l2_dense, at_dense, len(theta))):
            if block is not None:
                ww = theta[lo:hi]
                grad.append(block.T @ residual + l2 * ww)
                value += 0.5 * l2 * float(ww @ ww)
        return value, np.concatenate(grad)

    base = [_base_logit(np.asarray(v, dtype=np.float64)) for v in ys]
    start = np.concatenate([base, prior, np.zeros(n_words + n_dense)])
    result = optimize.minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": maxiter})
    theta = np.asarray(result.x, dtype=np.float64)
    word_weights = None if words is None else theta[at_words:at_dense]
    dense_weights = None if dense is None else theta[at_dense:]
    return theta[:n_src], theta[n_src:at_words], word_weights, dense_weights


def _base_logit(y: np.ndarray) -> float:
    rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    return float(np.log(rate / (1 - rate)))


@dataclass(frozen=True)
class Source:
    """One labelled source, featurised once: named features, hashed words, labels, raw text length,
    comment vectors."""

    name: str
    features: pd.DataFrame
    words: sparse.csr_matrix
    y: np.ndarray
    length: np.ndarray
    vectors: np.ndarray

    def take(self, rows: np.ndarray) -> Source:
        return Source(
            self.name,
            self.features.iloc[rows].reset_index(drop=True),
            self.words[rows],
            self.y[rows],
            self.length[rows],
            self.vectors[rows],
        )


def featurize_source(
    name: str, texts: pd.Series, labels: np.ndarray, diff_hunks: pd.Series | None = None, bits: int = DEFAULT_BITS
) -> Source:
    texts = texts.fillna("").astype(str).reset_index(drop=True)
    _, features, occ = featurize_words(texts, None if diff_hunks is None else diff_hunks.reset_index(drop=True))
    words = hashed_matrix(occ, bits)
    length = texts.str.len().to_numpy(dtype=np.float64)
    return Source(name, features, words, np.asarray(labels, dtype=bool), length, comment_vectors(occ))


def fit_pooled(
    sources: Sequence[Source],
    name: str,
    labels: Sequence[np.ndarray] | None = None,
    maxiter: int = MAX_ITER,
    own_data: bool = False,
) -> LinearModel:
    """One model (``considerate``, ``harsh`` or ``useful``) on one shared scale over ``sources``.

    The model's intercept is the mean of the sources' intercepts: a new team's base rate is unknown,
    so it is placed in the middle of the rates seen in training."""
    prior = PRIORS[name]
    names = list(prior)
    ys = list(labels) if labels is not None else [s.y for s in sources]
    named = np.vstack([s.features[names].to_numpy(dtype=np.float64) for s in sources])
    words = sparse.vstack([s.words for s in sources]).tocsr() if name in L2_WORDS else None
    # Only buckets some training comment uses can move from 0; fitting just those keeps L-BFGS cheap.
    used = np.flatnonzero(words.getnnz(axis=0)) if words is not None else np.zeros(0, dtype=np.int64)
    dense = np.vstack([s.vectors for s in sources]) if name in L2_DENSE else None
    l2_named = (L2_PER_ROW_OWN_DATA if own_data else L2_PER_ROW)[name] * len(named)
    intercepts, weights, used_weights, dense_weights = _fit(
        named,
        None if words is None else words[:, used],
        ys,
        np.array([prior[n] for n in names]),
        l2_named,
        L2_WORDS.get(name, 0.0),
        maxiter=maxiter,
        dense=dense,
        l2_dense=L2_DENSE.get(name, 0.0),
    )
    word_weights = None
    if words is not None and used_weights is not None:
        word_weights = np.zeros(words.shape[1])
        word_weights[used] = used_weights
    fitted = {n: round(float(w), 4) for n, w in zip(names, weights, strict=True)}
    if name == "considerate":
        # Tone is "considerate" when not harsh; scale the log-odds into the tanh and drop the intercept
        # so a comment with no markers scores 0 (neutral).
        return LinearModel(0.0, {n: round(CONSIDERATE_SCALE * w, 4) for n, w in fitted.items()})
    hashed = None if word_weights is None else word_weights.astype(np.float32).astype(np.float64)
    dense_fitted = None if dense_weights is None else dense_weights.astype(np.float32).astype(np.float64)
    return LinearModel(round(float(np.mean(intercepts)), 4), fitted, hashed=hashed, dense=dense_fitted)


def precise_threshold(
    ys: Sequence[np.ndarray], probs: Sequence[np.ndarray], rules: Sequence[np.ndarray], target: float = FLAG_PRECISION
) -> float:
    """The lowest threshold at which ``prob >= t or rule`` reaches ``target`` precision on every set
    (if none does, the one with the best worst-set precision)."""
    worst = np.array(
        [
            min(flag_precision_recall(y, (p >= t) | r)[0] for y, p, r in zip(ys, probs, rules, strict=True))
            for t in THRESHOLD_GRID
        ]
    )
    reached = np.flatnonzero(worst >= target)
    return float(THRESHOLD_GRID[reached[0]] if len(reached) else THRESHOLD_GRID[int(np.argmax(worst))])


def flag_precision_recall(y: np.ndarray, flag: np.ndarray) -> tuple[float, float]:
    """(precision, recall) of a 0/1 flag; precision is 1.0 when nothing is flagged."""
    y, flag = np.asarray(y, dtype=bool), np.asarray(flag, dtype=bool)
    hits = float(np.sum(y & flag))
    return (hits / float(flag.sum()) if flag.any() else 1.0), (hits / float(y.sum()) if y.any() else 0.0)


def harsh_rules(features: pd.DataFrame) -> np.ndarray:
    """The rule part of the harsh flag alone (probability 0, threshold above 1)."""
    return _harsh_flag(features, np.zeros(len(features)), 2.0)


def fit_models(
    tone: Sequence[Source],
    useful: Sequence[Source],
    harsh_threshold: float,
    validation: dict[str, object] | None = None,
) -> CommentModels:
    """All three models on the pooled sources; the harsh threshold comes from left-out sets (transfer.py)."""
    considerate = fit_pooled(tone, "considerate", labels=[~s.y for s in tone])
    harsh = _with_threshold(fit_pooled(tone, "harsh"), harsh_threshold)
    useful_model = fit_pooled(useful, "useful")
    probs = [useful_model.probability(s.features) for s in useful]
    best = f1_at_best_threshold(np.concatenate([s.y for s in useful]), np.concatenate(probs))[1]
    return CommentModels(considerate, harsh, _with_threshold(useful_model, best), validation=dict(validation or {}))


def _with_threshold(model: LinearModel, threshold: float) -> LinearModel:
    return LinearModel(model.intercept, model.weights, round(threshold, 4), model.hashed, model.dense)


def write_models(models: CommentModels, json_path: Path, extra: dict[str, object] | None = None) -> str:
    """Write the weights JSON and its arrays file beside it (atomically); returns the JSON's SHA-256."""
    named_models = {"considerate": models.considerate, "harsh": models.harsh, "useful": models.useful}
    arrays = {name: m.hashed.astype(np.float32) for name, m in named_models.items() if m.hashed is not None}
    arrays.update(
        {name + DENSE_SUFFIX: m.dense.astype(np.float32) for name, m in named_models.items() if m.dense is not None}
    )
    payload: dict[str, object] = {
        "considerate": models.considerate.to_json(),
        "harsh": models.harsh.to_json(),
        "useful": models.useful.to_json(),
        "validation": models.validation,
        **(extra or {}),
    }
    if arrays:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        blob = buffer.getvalue()
        array_name = (
            json_path.stem + "_hashed.npz" if json_path.name != "comment_weights.json" else "comment_hashed.npz"
        )
        _atomic_write(json_path.parent / array_name, blob)
        payload["hashed"] = {"file": array_name, "sha256": hashlib.sha256(blob).hexdigest(), "bits": DEFAULT_BITS}
    if any(name.endswith(DENSE_SUFFIX) for name in arrays):
        table = {"sha256": shipped_vectors().sha256, "source": "sentence-transformers/all-MiniLM-L6-v2"}
        payload["static_vectors"] = table
    text = (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode("utf-8")
    _atomic_write(json_path, text)
    return hashlib.sha256(text).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# --- cross-validation ------------------------------------------------------------------------


def _folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """Stratified fold assignment: each fold gets its share of positives and negatives."""
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=np.int64)
    for label in (False, True):
        rows = rng.permutation(np.flatnonzero(y == label))
        fold_of[rows] = np.arange(len(rows)) % k
    return [np.flatnonzero(fold_of == i) for i in range(k)]


def out_of_fold(source: Source, target: Target, k: int, seed: int = 0) -> np.ndarray:
    """Probabilities for every row from models fitted on the other k-1 folds."""
    prob = np.zeros(len(source.y))
    for test in _folds(source.y, k, seed):
        train = np.setdiff1d(np.arange(len(source.y)), test)
        model = fit_pooled([source.take(train)], target, own_data=True)
        held = source.take(test)
        prob[test] = _sigmoid_of(model, held)
    return prob


def _sigmoid_of(model: LinearModel, source: Source) -> np.ndarray:
    z = model.named_logit(source.features) + (source.words @ model.hashed if model.hashed is not None else 0.0)
    z = z + (source.vectors @ model.dense if model.dense is not None else 0.0)
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)


def source_probability(model: LinearModel, source: Source) -> np.ndarray:
    """The model's probability on an already featurised source (same as scoring its texts)."""
    return _sigmoid_of(model, source)


def cross_validate(
    texts: pd.Series,
    labels: pd.Series | np.ndarray,
    target: Target,
    k: int = 5,
    diff_hunks: pd.Series | None = None,
    seed: int = 0,
) -> CalibrationResult:
    """k-fold stratified CV of the ``target`` model, refitting the weights inside each fold."""
    y = _as_binary(pd.Series(np.asarray(labels)), None)
    texts = texts.reset_index(drop=True)
    source = featurize_source("data", texts, y, diff_hunks)
    aucs, prs, f1s = [], [], []
    for test in _folds(y, k, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        fitted = source.take(train)
        model = fit_pooled([fitted], target, own_data=True)
        threshold = f1_at_best_threshold(fitted.y, _sigmoid_of(model, fitted))[1]
        held = source.take(test)
        prob = _sigmoid_of(model, held)
        flag = (prob >= threshold) | (harsh_rules(held.features) if target == "harsh" else False)
        aucs.append(roc_auc(y[test], prob))
        prs.append(pr_auc(y[test], prob))
        f1s.append(f1_score(y[test], flag))
    shipped = _shipped_figures(texts, diff_hunks, y, target)
    return CalibrationResult(
        target,
        len(y),
        int(y.sum()),
        k,
        float(np.mean(aucs)),
        float(np.mean(prs)),
        float(np.mean(f1s)),
        tuple(round(a, 4) for a in aucs),
        *shipped,
        roc_auc(y, source.length),
    )


def _shipped_figures(
    texts: pd.Series, diff_hunks: pd.Series | None, y: np.ndarray, target: Target
) -> tuple[float, float, float]:
    models = active_models()
    prose, f = featurize(texts, None if diff_hunks is None else diff_hunks.reset_index(drop=True))
    _, harsh_prob, harsh_flag, useful_prob = model_scores(prose, f, models)
    if target == "useful":
        prob, flag = useful_prob, useful_prob >= models.useful.threshold
    else:
        prob, flag = harsh_prob, harsh_flag
    return roc_auc(y, prob), pr_auc(y, prob), f1_score(y, flag)


# --- CSV entry point -------------------------------------------------------------------------


def calibrate_csv(
    path: str | Path,
    text_column: str,
    label_column: str,
    positive: str | None = None,
    diff_column: str | None = None,
    target: Target = "harsh",
    k: int = 5,
) -> CalibrationResult:
    """Cross-validate a model on a labelled CSV; raises CalibrationError for unusable input."""
    frame, y = _labelled_csv(path, text_column, label_column, positive, diff_column, k)
    hunks = frame[diff_column] if diff_column else None
    return cross_validate(frame[text_column], y, target, k=k, diff_hunks=hunks)


def _labelled_csv(
    path: str | Path, text_column: str, label_column: str, positive: str | None, diff_column: str | None, k: int
) -> tuple[pd.DataFrame, np.ndarray]:
    frame = _read_csv(Path(path))
    wanted = [c for c in (text_column, label_column, diff_column) if c is not None]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise CalibrationError(
            f"{path}: no column {', '.join(map(repr, missing))}; columns are: {', '.join(map(str, frame.columns))}"
        )
    frame = frame.dropna(subset=[label_column])
    if frame.empty:
        raise CalibrationError(f"{path}: no labelled rows in column {label_column!r}")
    y = _as_binary(frame[label_column], positive)
    if y.all() or not y.any():
        raise CalibrationError(
            f"{path}: column {label_column!r} has a single class; need both positives and "
            "negatives (use --positive to say which value is positive)"
        )
    if len(frame) < 2 * k or min(int(y.sum()), int((~y).sum())) < k:
        raise CalibrationError(
            f"{path}: too few labelled rows for {k}-fold cross-validation; need at least {k} of each class"
        )
    return frame.reset_index(drop=True), y


def fit_csv(
    path: str | Path,
    text_column: str,
    label_column: str,
    out: Path,
    positive: str | None = None,
    diff_column: str | None = None,
    target: Target = "harsh",
    k: int = 5,
) -> list[str]:
    """Fit the ``target`` model on a labelled CSV and write a weights file (the other models are copied
    from the weights in use). The harsh threshold is the lowest reaching FLAG_PRECISION on k-fold
    out-of-fold predictions; that precision and recall are stored with the weights, so the report can say
    how precise the flag was. Returns the lines to print (digest and the config.toml lines)."""
    frame, y = _labelled_csv(path, text_column, label_column, positive, diff_column, k)
    hunks = frame[diff_column] if diff_column else None
    source = featurize_source(Path(path).name, frame[text_column], y, hunks)
    held_out = out_of_fold(source, target, k)
    model = fit_pooled([source], target, own_data=True)
    base = active_models()
    validation = dict(base.validation)
    if target == "harsh":
        rules = harsh_rules(source.features)
        threshold = precise_threshold([y], [held_out], [rules])
        precision, recall = flag_precision_recall(y, (held_out >= threshold) | rules)
        validation["harsh_flag"] = {
            "threshold": threshold,
            "method": f"{k}-fold cross-validation on {Path(path).name}",
            "precision": {Path(path).name: round(precision, 4)},
            "recall": {Path(path).name: round(recall, 4)},
        }
        models = CommentModels(base.considerate, _with_threshold(model, threshold), base.useful, validation)
        figure = f"harsh flag at threshold {threshold:.2f}: precision {precision:.3f}, recall {recall:.3f} ({k}-fold)"
    else:
        threshold = f1_at_best_threshold(y, held_out)[1]
        models = CommentModels(base.considerate, base.harsh, _with_threshold(model, threshold), validation)
        figure = f"useful threshold {threshold:.2f} (best F1 over {k}-fold predictions)"
    digest = write_models(models, out, {"trained_on": [Path(path).name]})
    return [
        f"{target} model fitted on {len(y)} comments ({int(y.sum())} positive); {k}-fold ROC-AUC "
        f"{roc_auc(y, held_out):.3f} (comment length alone: {roc_auc(y, source.length):.3f})",
        figure,
        f"weights written: {out} (sha256 {digest})",
        "to score with them, add to config.toml under [scores]:",
        f'  comment_weights = "{out}"',
        f'  comment_weights_sha256 = "{digest}"',
    ]


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise CalibrationError(f"{path}: file not found; pass the path of a labelled CSV")
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise CalibrationError(f"{path}: the file is empty; it needs a header and labelled rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise CalibrationError(f"{path}: not a readable CSV ({type(error).__name__})") from None
    if frame.empty:
        raise CalibrationError(f"{path}: the file has a header but no rows")
    return frame


_TRUE_WORDS = {"1", "true", "yes", "y", "t", "toxic", "harsh", "useful", "positive"}
_FALSE_WORDS = {"0", "false", "no", "n", "f", "not", "negative", "none"}


def _as_binary(labels: pd.Series, positive: str | None) -> np.ndarray:
    if positive is not None:
        return np.asarray(labels.astype(str).str.strip() == str(positive), dtype=bool)
    if pd.api.types.is_bool_dtype(labels) or pd.api.types.is_numeric_dtype(labels):
        return np.asarray(labels.astype(float) > 0, dtype=bool)
    words = labels.astype(str).str.strip().str.lower()
    unknown = sorted(set(words) - _TRUE_WORDS - _FALSE_WORDS)
    if unknown:
        raise CalibrationError(
            f"labels {unknown[:3]} are not 0/1 or yes/no; pass positive=<value> to say which "
            "label is the positive class"
        )
    return np.asarray(words.isin(_TRUE_WORDS), dtype=bool)
