"""Calibration metrics, CSV errors, and the targets on the shared labelled datasets (when present)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.errors import CalibrationError
from analyzer.scores.calibration import (
    calibrate_csv,
    cross_validate,
    f1_at_best_threshold,
    fit_logistic,
    pr_auc,
    roc_auc,
)

DATASETS = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"
needs_datasets = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets is absent")


def test_roc_auc_matches_pairwise_definition() -> None:
    rng = np.random.default_rng(1)
    y = rng.random(200) < 0.3
    s = rng.normal(size=200) + y
    pairs = [(a > b) + 0.5 * (a == b) for a in s[y] for b in s[~y]]
    assert roc_auc(y, s) == pytest.approx(float(np.mean(pairs)))
    assert roc_auc(y, np.where(y, 1.0, 0.0)) == 1.0


def test_pr_auc_and_best_f1_on_perfect_and_random_scores() -> None:
    y = np.array([1, 1, 0, 0, 0, 0], dtype=bool)
    assert pr_auc(y, np.array([0.9, 0.8, 0.3, 0.2, 0.1, 0.0])) == pytest.approx(1.0)
    f1, threshold = f1_at_best_threshold(y, np.array([0.9, 0.8, 0.3, 0.2, 0.1, 0.0]))
    assert f1 == pytest.approx(1.0) and threshold == pytest.approx(0.8)
    assert pr_auc(y, np.zeros(6)) == pytest.approx(2 / 6)


def test_fit_logistic_recovers_direction_and_respects_prior() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 2))
    y = rng.random(2000) < 1 / (1 + np.exp(-(2 * x[:, 0] - 1 * x[:, 1])))
    _, free = fit_logistic(x, y, np.zeros(2), l2=0.0)
    assert free[0] == pytest.approx(2, abs=0.3) and free[1] == pytest.approx(-1, abs=0.3)
    _, pinned = fit_logistic(x, y, np.array([5.0, 5.0]), l2=1e7)
    assert pinned == pytest.approx([5.0, 5.0], abs=0.01)


def _toy_frame(n: int = 60) -> pd.DataFrame:
    rude = ["this is stupid crap", "what the hell is this garbage", "you idiot, this is useless"]
    kind = ["thanks, could you add a test?", "nice cleanup, maybe rename `x`", "please document the flag"]
    texts = [(rude if i % 2 else kind)[i % 3] + f" v{i}" for i in range(n)]
    return pd.DataFrame({"message": texts, "label": [i % 2 for i in range(n)]})


def test_cross_validate_on_toy_data(tmp_path: Path) -> None:
    frame = _toy_frame()
    result = cross_validate(frame["message"], frame["label"], "harsh", k=3)
    assert result.cv_roc_auc > 0.9 and result.n == 60 and result.n_positive == 30
    assert any("ROC-AUC" in line for line in result.to_lines())
    path = tmp_path / "toy.csv"
    frame.to_csv(path, index=False)
    assert calibrate_csv(path, "message", "label", k=3).cv_roc_auc == pytest.approx(result.cv_roc_auc)


def test_calibrate_csv_errors(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="not found"):
        calibrate_csv(tmp_path / "missing.csv", "message", "label")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CalibrationError, match="empty"):
        calibrate_csv(empty, "message", "label")
    frame = _toy_frame()
    path = tmp_path / "toy.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(CalibrationError, match="columns are: message, label"):
        calibrate_csv(path, "body", "label")
    frame.assign(label=1).to_csv(path, index=False)
    with pytest.raises(CalibrationError, match="single class"):
        calibrate_csv(path, "message", "label")
    frame.assign(label=np.where(frame["label"] > 0, "rude", "fine")).to_csv(path, index=False)
    with pytest.raises(CalibrationError, match="positive="):
        calibrate_csv(path, "message", "label")
    assert calibrate_csv(path, "message", "label", positive="rude", k=3).n_positive == 30


@needs_datasets
def test_harsh_target_on_toxicr() -> None:
    frame = pd.read_csv(DATASETS / "toxicr" / "toxicr.csv")
    # 3 folds: each fold fits hashed words on ~13k comments (the slow part of this file)
    result = calibrate_csv(DATASETS / "toxicr" / "toxicr.csv", "message", "is_toxic", target="harsh", k=3)
    assert result.n == len(frame)
    assert result.cv_roc_auc >= 0.90, result.to_lines()
    assert result.cv_pr_auc > frame["is_toxic"].mean() * 3


@needs_datasets
def test_useful_target_beats_length_baseline() -> None:
    path = DATASETS / "cr-usefulness" / "usefulness.csv"
    result = calibrate_csv(path, "message", "is_useful", target="useful")
    assert result.cv_roc_auc >= result.length_roc_auc + 0.05, result.to_lines()
    assert result.cv_roc_auc >= 0.71, result.to_lines()
