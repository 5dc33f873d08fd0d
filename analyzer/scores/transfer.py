"""Leave-one-dataset-out transfer of the comment scorers over the shared labelled sets (docs/methodology.md).

For each target (harsh: the four tone sets; useful: the two usefulness sets) every set is left out in
turn: the model is fitted on the others and scores the one left out. That figure is what a team we
have never seen can expect; in-set cross-validation, printed beside it, only says how well a set can
be fitted. Baselines: comment length, and VADER's compound score (negated, for harshness) when the
``vaderSentiment`` package is installed. The sets are third-party data: they are read here, at
calibration or test time, and no row of them is ever printed or stored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analyzer.errors import CalibrationError
from analyzer.scores.calibration import (
    FLAG_PRECISION,
    Source,
    Target,
    featurize_source,
    fit_models,
    fit_pooled,
    flag_precision_recall,
    harsh_rules,
    out_of_fold,
    precise_threshold,
    roc_auc,
    source_probability,
    write_models,
)
from analyzer.scores.comments import HARSH_FLAG_MIN_PRECISION, CommentModels, active_models


@dataclass(frozen=True)
class LabelledSet:
    """Where one shared set lives under the datasets folder, and which columns hold text and label."""

    name: str
    target: Target
    path: str
    text: str
    label: str


SHARED_SETS = (
    LabelledSet("toxicr", "harsh", "toxicr/toxicr.csv", "message", "is_toxic"),
    LabelledSet("ehsani-incivility", "harsh", "ehsani-incivility/ehsani-incivility.csv", "text", "label"),
    LabelledSet("github-negative", "harsh", "github-negative/github-negative.csv", "text", "label"),
    LabelledSet("senti4sd-negative", "harsh", "senti4sd-negative/senti4sd-negative.csv", "text", "label"),
    LabelledSet("cr-usefulness", "useful", "cr-usefulness/usefulness.csv", "message", "is_useful"),
    LabelledSet("revhelper-usefulness", "useful", "revhelper-usefulness/revhelper-usefulness.csv", "text", "label"),
)
REQUIRED_PRECISION = HARSH_FLAG_MIN_PRECISION  # below this on any left-out set, the report withholds harsh rates


def default_datasets_dir() -> Path:
    return Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


@dataclass(frozen=True)
class Loaded:
    spec: LabelledSet
    source: Source
    texts: pd.Series


def load_sets(datasets_dir: Path, targets: Sequence[Target] = ("harsh", "useful")) -> list[Loaded]:
    """Featurise every shared set of the given targets (raises CalibrationError when one is missing)."""
    loaded = []
    for spec in SHARED_SETS:
        if spec.target not in targets:
            continue
        path = datasets_dir / spec.path
        if not path.is_file():
            raise CalibrationError(f"{path}: labelled set not found; pass --datasets with the shared datasets folder")
        frame = pd.read_csv(path)
        texts = frame[spec.text].fillna("").astype(str).reset_index(drop=True)
        labels = frame[spec.label].to_numpy(dtype=np.float64) > 0
        loaded.append(Loaded(spec, featurize_source(spec.name, texts, labels), texts))
    return loaded


@dataclass(frozen=True)
class TransferRow:
    name: str
    target: str
    n: int
    positives: int
    left_out_auc: float
    in_set_auc: float  # NaN when in-set cross-validation was skipped
    length_auc: float
    vader_auc: float  # NaN for usefulness sets or when vaderSentiment is not installed
    active_auc: float  # the scorer in use (shipped weights unless configured)
    precision: float = math.nan  # harsh flag of the left-out model, at the threshold below
    recall: float = math.nan
    flagged: float = math.nan


@dataclass(frozen=True)
class TransferReport:
    rows: list[TransferRow]
    threshold: float  # harsh threshold the flag figures use
    chosen_threshold: float  # what FLAG_PRECISION on these left-out sets would choose
    in_set_folds: int
    vader: str  # "" when VADER ran, else why not
    left_out_probs: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def row(self, name: str) -> TransferRow:
        return next(r for r in self.rows if r.name == name)

    def to_lines(self) -> list[str]:
        def f(v: float) -> str:
            return "   -  " if math.isnan(v) else f"{v:6.3f}"

        cv = f"in-set CV ({self.in_set_folds}-fold)" if self.in_set_folds else "in-set CV (skipped)"
        lines = [
            "leave-one-dataset-out ROC-AUC: fitted on the other sets of the same target, scored on the set left out",
            f"{'set':<22}{'target':<8}{'n':>7}{'pos':>6}  {'left-out':>8}  {cv:>20}  {'length':>6}  {'VADER':>6}  "
            f"{'in use':>6}",
        ]
        for r in self.rows:
            lines.append(
                f"{r.name:<22}{r.target:<8}{r.n:>7}{r.positives:>6}  {f(r.left_out_auc):>8}  {f(r.in_set_auc):>20}  "
                f"{f(r.length_auc)}  {f(r.vader_auc)}  {f(r.active_auc)}"
            )
        lines.append(
            f"harsh flag (probability >= {self.threshold:.2f}, or an aimed insult / identity attack) on each "
            f"left-out set (threshold chosen for precision >= {FLAG_PRECISION:.2f} on these sets: "
            f"{self.chosen_threshold:.2f}):"
        )
        lines.append(f"{'set':<22}{'precision':>10}{'recall':>8}{'flagged':>9}{'base rate':>11}")
        for r in self.rows:
            if r.target == "harsh":
                lines.append(
                    f"{r.name:<22}{r.precision:>10.3f}{r.recall:>8.3f}{r.flagged:>9.3f}{r.positives / r.n:>11.3f}"
                )
        if self.vader:
            lines.append(f"VADER baseline not shown: {self.vader}")
        lines.append(
            "'in use': the weights scoring uses now, trained on all sets (so in-sample here: not a transfer figure)"
        )
        return lines


def vader_scores(texts: pd.Series) -> tuple[np.ndarray | None, str]:
    """Negated VADER compound score per text (higher = more negative), or (None, why not)."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None, "the vaderSentiment package is not installed (pip install vaderSentiment)"
    analyzer = SentimentIntensityAnalyzer()
    return np.array([-analyzer.polarity_scores(t)["compound"] for t in texts], dtype=np.float64), ""


def left_out_models(sets: Sequence[Loaded], target: Target) -> dict[str, np.ndarray]:
    """Probability of every row of each set from the model fitted on the other sets of ``target``."""
    chosen = [s for s in sets if s.spec.target == target]
    probs = {}
    for held in chosen:
        model = fit_pooled([s.source for s in chosen if s is not held], target)
        probs[held.spec.name] = source_probability(model, held.source)
    return probs


def transfer_report(
    sets: Sequence[Loaded], in_set_folds: int = 3, use_chosen: bool = False, models: CommentModels | None = None
) -> TransferReport:
    """The leave-one-dataset-out matrix, in-set CV, baselines and the harsh flag's precision/recall at the
    threshold of the weights in use (``use_chosen``: at the one these left-out sets choose)."""
    models = models or active_models()
    probs = {**left_out_models(sets, "harsh"), **left_out_models(sets, "useful")}
    tone = [s for s in sets if s.spec.target == "harsh"]
    rules = {s.spec.name: harsh_rules(s.source.features) for s in tone}
    chosen = precise_threshold(
        [s.source.y for s in tone], [probs[s.spec.name] for s in tone], [rules[s.spec.name] for s in tone]
    )
    threshold = chosen if use_chosen else models.harsh.threshold
    vader_note = ""
    rows = []
    for s in sets:
        y, name = s.source.y, s.spec.name
        vader = math.nan
        if s.spec.target == "harsh":
            scores, vader_note = vader_scores(s.texts)
            vader = math.nan if scores is None else roc_auc(y, scores)
        in_set = roc_auc(y, out_of_fold(s.source, s.spec.target, in_set_folds)) if in_set_folds >= 2 else math.nan
        active = source_probability(models.harsh if s.spec.target == "harsh" else models.useful, s.source)
        extra: dict[str, float] = {}
        if s.spec.target == "harsh":
            flag = (probs[name] >= threshold) | rules[name]
            precision, recall = flag_precision_recall(y, flag)
            extra = {"precision": precision, "recall": recall, "flagged": float(flag.mean())}
        rows.append(
            TransferRow(
                name,
                s.spec.target,
                len(y),
                int(y.sum()),
                roc_auc(y, probs[name]),
                in_set,
                roc_auc(y, s.source.length),
                vader,
                roc_auc(y, active),
                **extra,
            )
        )
    return TransferReport(rows, threshold, chosen, in_set_folds if in_set_folds >= 2 else 0, vader_note, probs)


def write_shipped_weights(datasets_dir: Path, out_path: Path) -> tuple[CommentModels, str, TransferReport]:
    """Refit the shipped models on every shared set and write them; returns (models, JSON sha256, report).

    The harsh threshold is chosen on the leave-one-dataset-out probabilities (FLAG_PRECISION on every
    left-out set), and the precision and recall it reached there are stored with the weights: the report
    quotes them."""
    sets = load_sets(datasets_dir)
    report = transfer_report(sets, in_set_folds=0, use_chosen=True)
    harsh_rows = [r for r in report.rows if r.target == "harsh"]
    validation = {
        "harsh_flag": {
            "threshold": report.threshold,
            "method": "leave-one-dataset-out over the shared tone sets",
            "precision": {r.name: round(r.precision, 4) for r in harsh_rows},
            "recall": {r.name: round(r.recall, 4) for r in harsh_rows},
        },
        "left_out_auc": {r.name: round(r.left_out_auc, 4) for r in report.rows},
    }
    tone = [s.source for s in sets if s.spec.target == "harsh"]
    useful = [s.source for s in sets if s.spec.target == "useful"]
    models = fit_models(tone, useful, report.threshold, validation)
    digest = write_models(models, out_path, {"trained_on": [s.name for s in SHARED_SETS]})
    return models, digest, report
