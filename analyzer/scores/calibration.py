"""Fit and validate the per-comment models against human labels (metrics.md §1.6, §2.6).

Weights are fitted by L2-penalised logistic regression pulled toward published priors (the
§1.2 politeness table for tone; hand-set priors for harsh and useful), over named, general
features only. ``cross_validate`` refits inside each fold so the reported figures are never
in-sample; ``calibrate_csv`` does the same for a user's labelled CSV and also reports the shipped
scorer and a comment-length baseline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from analyzer.errors import CalibrationError
from analyzer.scores.comments import (
    CommentModels,
    LinearModel,
    _harsh_flag,
    featurize,
    shipped_models,
)

Target = Literal["harsh", "useful"]

# §1.2 table (scaled from Danescu-Niculescu-Mizil et al. 2013) plus our code-review markers.
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
L2_PER_ROW = {"considerate": 1.0, "harsh": 0.0005, "useful": 0.004}
CONSIDERATE_SCALE = 1.0


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
    y_float = np.asarray(y, dtype=np.float64)
    design = np.column_stack([np.ones(len(x)), x])
    start = np.r_[_base_logit(y_float), prior]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ theta
        nll = float(np.sum(np.logaddexp(0.0, z) - y_float * z))
        grad = design.T @ (0.5 * (1.0 + np.tanh(0.5 * z)) - y_float)
        delta = theta[1:] - prior
        grad[1:] += l2 * delta
        return nll + 0.5 * l2 * float(delta @ delta), grad

    result = optimize.minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    theta = np.asarray(result.x, dtype=np.float64)
    return float(theta[0]), theta[1:]


def _base_logit(y: np.ndarray) -> float:
    rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
    return float(np.log(rate / (1 - rate)))


def fit_model(features: pd.DataFrame, y: np.ndarray, name: str) -> LinearModel:
    """Fit one named model (``considerate``, ``harsh`` or ``useful``) on a feature frame."""
    prior = PRIORS[name]
    names = list(prior)
    x = features[names].to_numpy(dtype=np.float64)
    intercept, weights = fit_logistic(x, y, np.array([prior[n] for n in names]), L2_PER_ROW[name] * len(x))
    fitted = {n: round(float(w), 4) for n, w in zip(names, weights, strict=True)}
    if name == "considerate":
        # Tone is "considerate" when not harsh; scale the log-odds into the tanh and drop the intercept
        # so a comment with no markers scores 0 (neutral).
        return LinearModel(0.0, {n: round(CONSIDERATE_SCALE * w, 4) for n, w in fitted.items()})
    return LinearModel(round(intercept, 4), fitted)


def fit_models(
    harsh_features: pd.DataFrame, is_harsh: np.ndarray, useful_features: pd.DataFrame, is_useful: np.ndarray
) -> CommentModels:
    """Fit all three models and choose the harsh and useful thresholds by best F1 on the same data."""
    considerate = fit_model(harsh_features, ~np.asarray(is_harsh, dtype=bool), "considerate")
    harsh = fit_model(harsh_features, is_harsh, "harsh")
    harsh = _with_threshold(harsh, _best_harsh_threshold(harsh_features, is_harsh, harsh, considerate))
    useful = fit_model(useful_features, is_useful, "useful")
    useful = _with_threshold(useful, f1_at_best_threshold(is_useful, useful.probability(useful_features))[1])
    return CommentModels(considerate, harsh, useful)


def _with_threshold(model: LinearModel, threshold: float) -> LinearModel:
    return LinearModel(model.intercept, model.weights, round(threshold, 4))


def _best_harsh_threshold(
    f: pd.DataFrame, y: np.ndarray, harsh: LinearModel, considerate: LinearModel
) -> float:
    """Threshold on harsh_prob that maximises F1 of the final flag (probability OR the §1.2 rules)."""
    prob = harsh.probability(f)
    tone = np.tanh(considerate.logit(f))
    candidates = np.unique(np.quantile(prob, np.linspace(0.5, 0.99, 50)))
    f1s = [f1_score(y, _harsh_flag(f, prob, tone, float(t))) for t in candidates]
    return float(candidates[int(np.argmax(f1s))])


def models_to_json(models: CommentModels) -> str:
    payload = {
        "considerate": models.considerate.to_json(),
        "harsh": models.harsh.to_json(),
        "useful": models.useful.to_json(),
    }
    return json.dumps(payload, indent=1, sort_keys=True) + "\n"


# --- cross-validation ------------------------------------------------------------------------


def _folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """Stratified fold assignment: each fold gets its share of positives and negatives."""
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=np.int64)
    for label in (False, True):
        rows = rng.permutation(np.flatnonzero(y == label))
        fold_of[rows] = np.arange(len(rows)) % k
    return [np.flatnonzero(fold_of == i) for i in range(k)]


def _fold_scores(
    f: pd.DataFrame, y: np.ndarray, train: np.ndarray, test: np.ndarray, target: Target
) -> tuple[np.ndarray, np.ndarray]:
    """(test probabilities, test flags) from a model fitted on the training rows only."""
    f_train, f_test = f.iloc[train], f.iloc[test]
    model = fit_model(f_train, y[train], target)
    if target == "useful":
        threshold = f1_at_best_threshold(y[train], model.probability(f_train))[1]
        prob = model.probability(f_test)
        return prob, prob >= threshold
    considerate = fit_model(f_train, ~y[train], "considerate")
    threshold = _best_harsh_threshold(f_train, y[train], model, considerate)
    prob = model.probability(f_test)
    return prob, _harsh_flag(f_test, prob, np.tanh(considerate.logit(f_test)), threshold)


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
    _, f = featurize(texts, None if diff_hunks is None else diff_hunks.reset_index(drop=True))
    aucs, prs, f1s = [], [], []
    for test in _folds(y, k, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        prob, flag = _fold_scores(f, y, train, test, target)
        aucs.append(roc_auc(y[test], prob))
        prs.append(pr_auc(y[test], prob))
        f1s.append(f1_score(y[test], flag))
    shipped = _shipped_figures(f, y, target)
    lengths = texts.fillna("").astype(str).str.len().to_numpy(dtype=np.float64)
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
        roc_auc(y, lengths),
    )


def _shipped_figures(f: pd.DataFrame, y: np.ndarray, target: Target) -> tuple[float, float, float]:
    models = shipped_models()
    if target == "useful":
        prob = models.useful.probability(f)
        flag = prob >= models.useful.threshold
    else:
        prob = models.harsh.probability(f)
        flag = _harsh_flag(f, prob, np.tanh(models.considerate.logit(f)), models.harsh.threshold)
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
    frame = _read_csv(Path(path))
    wanted = [c for c in (text_column, label_column, diff_column) if c is not None]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise CalibrationError(
            f"{path}: no column {', '.join(map(repr, missing))}; "
            f"columns are: {', '.join(map(str, frame.columns))}"
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
    hunks = frame[diff_column] if diff_column else None
    return cross_validate(frame[text_column], y, target, k=k, diff_hunks=hunks)


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


def write_shipped_weights(toxicr_csv: Path, usefulness_csv: Path, out_path: Path) -> CommentModels:
    """Refit the shipped models on the two calibration sets and write ``comment_weights.json``."""
    toxic = pd.read_csv(toxicr_csv)
    useful = pd.read_csv(usefulness_csv)
    _, f_toxic = featurize(toxic["message"])
    _, f_useful = featurize(useful["message"])
    models = fit_models(
        f_toxic, toxic["is_toxic"].to_numpy() > 0, f_useful, useful["is_useful"].to_numpy() > 0
    )
    out_path.write_text(models_to_json(models), encoding="utf-8")
    return models
