"""Per-comment scores: considerate delivery, harsh probability, usefulness, specificity, type.

``score_comments`` scores a whole column at once (Arrow RE2 kernels plus numpy), fast enough
for a million comments in seconds. Weights come from ``comment_weights.json`` shipped next to
this module and the hashed word weights it names (``comment_hashed.npz``), both fitted by
:mod:`analyzer.scores.calibration` on the shared labelled sets and pinned by SHA-256: the JSON by
``SHIPPED_WEIGHTS_SHA256`` below, the arrays by the JSON. They hold aggregate coefficients only (named
features, and one float per hash bucket), no text from any dataset. ``use_weights`` swaps in a file
written by ``analyzer calibrate --fit`` (config.toml ``[scores] comment_weights``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analyzer.errors import CalibrationError
from analyzer.frames.model import STR
from analyzer.text import lexicons as lx
from analyzer.text.embedding import StaticVectors, shipped_vectors
from analyzer.text.features import comment_features, diff_identifier_overlap
from analyzer.text.ngrams import Occurrences, hashed_logit, occurrences
from analyzer.text.normalize import as_arrow, contains, normalize_array
from analyzer.text.valence import valence_features

# The shipped comment_weights.json; it pins comment_hashed.npz in turn. Refitting the shipped weights
# (calibration.write_shipped_weights) prints the new value to paste here.
SHIPPED_WEIGHTS_SHA256 = "9010654adcd38bd685a0202c2623412168834430988d8c126c53797f5be4b477"
# Harsh-comment rates are shown only where the flag's validated precision reaches this (issue 12).
HARSH_FLAG_MIN_PRECISION = 0.70
# The learned wording alone adds at least this much to the harsh log-odds: the evidence says so in words.
HARSH_WORDING_LOGIT = 1.0
CHUNK_ROWS = 50_000
COMMENT_TYPES = ("praise", "question", "suggestion", "nit", "issue", "thought", "chore", "note", "other")
# the scorer's output columns, in order, with their dtypes (comment_table and the score cache take theirs here)
OUTPUT_DTYPES: dict[str, str] = {
    "prose": STR, "n_prose_tokens": "float64", "is_trivial": "bool", "lang_en": "bool", "has_code": "bool",
    "has_suggestion": "bool", "has_quote": "bool", "has_link": "bool", "has_question": "bool",
    "has_rationale": "bool", "shares_diff_identifier": "bool", "is_nit": "bool", "cc_label": STR,
    "comment_type": STR, "considerate": "float64", "harsh_prob": "float64", "harsh": "bool",
    "useful_prob": "float64", "specific": "bool", "markers": STR,
}
OUTPUT_COLUMNS = tuple(OUTPUT_DTYPES)

# Marker name in the ``markers`` column -> feature that fires it
# (explainability: docs/methodology.md, "Comment scorers").
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
    ("harsh_wording", "harsh_wording"),
    ("impatience", "impatience"),
    ("frustration", "frustration"),
    ("mocking", "mocking"),
    ("entitlement", "entitlement"),
    ("threat", "threat"),
    ("rhetorical_question", "rhetorical"),
    ("strongly_negative_words", "strong_negative"),
)


@dataclass(frozen=True)
class LinearModel:
    """``intercept + sum(weights[name] * feature[name])``, plus the hashed word part when ``hashed`` is set
    and the comment-vector part when ``dense`` is set.

    ``hashed`` holds one weight per bucket of :mod:`analyzer.text.ngrams` (length ``2**bits``); ``dense`` one
    weight per dimension of the comment vectors of :mod:`analyzer.text.embedding` (static token vectors
    distilled from all-MiniLM-L6-v2).
    """

    intercept: float
    weights: dict[str, float]
    threshold: float = 0.5
    hashed: np.ndarray | None = field(default=None, compare=False, repr=False)
    dense: np.ndarray | None = field(default=None, compare=False, repr=False)

    def named_logit(self, features: pd.DataFrame) -> np.ndarray:
        total = np.full(len(features), self.intercept, dtype=np.float64)
        for name, weight in self.weights.items():
            total += weight * features[name].to_numpy(dtype=np.float64)
        return total

    def wording_logit(self, occ: Occurrences | None, n_rows: int, vectors: np.ndarray | None = None) -> np.ndarray:
        """What the learned wording adds: hashed words and pairs, and the comment vector (``vectors``,
        one row per comment, needed when ``dense`` is set; computed from ``occ`` when not given)."""
        total = np.zeros(n_rows, dtype=np.float64)
        if occ is None:
            return total
        if self.hashed is not None:
            total += hashed_logit(occ, self.hashed)
        if self.dense is not None:
            rows = comment_vectors(occ) if vectors is None else vectors
            total += rows @ self.dense.astype(rows.dtype)
        return total

    def logit(self, features: pd.DataFrame, occ: Occurrences | None = None) -> np.ndarray:
        return np.asarray(self.named_logit(features) + self.wording_logit(occ, len(features)), dtype=np.float64)

    def needs_words(self) -> bool:
        return self.hashed is not None or self.dense is not None

    def probability(self, features: pd.DataFrame, occ: Occurrences | None = None) -> np.ndarray:
        return _sigmoid(self.logit(features, occ))

    def to_json(self) -> dict[str, Any]:
        return {"intercept": self.intercept, "threshold": self.threshold, "weights": dict(self.weights)}

    @staticmethod
    def from_json(
        data: dict[str, Any], hashed: np.ndarray | None = None, dense: np.ndarray | None = None
    ) -> LinearModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return LinearModel(float(data["intercept"]), weights, float(data.get("threshold", 0.5)), hashed, dense)


def comment_vectors(occ: Occurrences, table: StaticVectors | None = None) -> np.ndarray:
    """Unit-length mean static token vector of each comment (zeros for a comment with no word), float32."""
    sums = (table or shipped_vectors()).comment_sums(occ)
    norms = np.sqrt(np.einsum("ij,ij->i", sums, sums))
    sums /= np.maximum(norms, 1e-12)[:, None]
    return sums


@dataclass(frozen=True)
class CommentModels:
    """The three models: considerate (tanh of weighted sum), harsh and useful (logistic).

    ``validation`` holds what the fit measured on data it never saw (leave-one-dataset-out), e.g.
    ``{"harsh_flag": {"threshold": t, "precision": {set: p}, "recall": {set: r}}}``; ``sha256`` is the
    weights file's digest ("" for models built in memory).
    """

    considerate: LinearModel
    harsh: LinearModel
    useful: LinearModel
    validation: dict[str, Any] = field(default_factory=dict, compare=False)
    sha256: str = ""

    def needs_words(self) -> bool:
        return any(m.needs_words() for m in (self.considerate, self.harsh, self.useful))

    def harsh_flag_precision(self) -> float | None:
        """The lowest precision of the harsh flag over the left-out validation sets (None: not measured)."""
        precision = self.validation.get("harsh_flag", {}).get("precision", {})
        return min(float(v) for v in precision.values()) if precision else None


def harsh_flag_statement(models: CommentModels) -> str:
    """One sentence for the report: how precise the harsh flag was in validation, and what follows."""
    flag = models.validation.get("harsh_flag", {})
    precision, recall = flag.get("precision", {}), flag.get("recall", {})
    if not precision:
        return (
            "The harsh flag of the comment weights in use was never checked on labelled comments, so "
            "harsh-comment rates are not shown."
        )
    low, high = 100 * min(precision.values()), 100 * max(precision.values())
    checked = f"The harsh flag was checked on {len(precision)} labelled set(s) of comments ({flag.get('method', '')}): "
    found = (
        f", and it found {100 * min(recall.values()):.0f}-{100 * max(recall.values()):.0f} % of those" if recall else ""
    )
    if low >= 100 * HARSH_FLAG_MIN_PRECISION:
        verdict = (
            ". Harsh rates are shown; they count clearly harsh comments only (a floor, not every negative comment)."
        )
    else:
        verdict = f", below the {100 * HARSH_FLAG_MIN_PRECISION:.0f} % needed to be fair, so harsh rates are not shown."
    share = f"{low:.0f}-{high:.0f} % of the comments it flagged were labelled harsh, toxic or negative"
    return f"{checked}{share}{found}{verdict}"


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=np.float64)


MODEL_NAMES = ("considerate", "harsh", "useful")
_ACTIVE: dict[str, CommentModels] = {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def models_from_bytes(weights_json: bytes, read_arrays: Any, expected_sha256: str | None, where: str) -> CommentModels:
    """Models from a weights JSON, checking its SHA-256 (when expected) and that of its arrays file.

    ``read_arrays(name)`` returns the bytes of the arrays file the JSON names.
    """
    digest = _digest(weights_json)
    if expected_sha256 and digest != expected_sha256:
        raise CalibrationError(
            f"{where}: SHA-256 {digest[:12]}... does not match the pinned {expected_sha256[:12]}...; "
            "the weights file was changed: refit it with `analyzer calibrate --fit` or restore it"
        )
    try:
        data = json.loads(weights_json)
        arrays: dict[str, np.ndarray] = {}
        if "hashed" in data:
            blob = read_arrays(data["hashed"]["file"])
            if _digest(blob) != data["hashed"]["sha256"]:
                raise CalibrationError(
                    f"{where}: {data['hashed']['file']} does not match the SHA-256 in the weights file"
                )
            with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
                arrays = {k: np.asarray(npz[k], dtype=np.float64) for k in npz.files}
        if any(name + DENSE_SUFFIX in arrays for name in MODEL_NAMES):
            _check_vector_table(data, where)
        models = [
            LinearModel.from_json(data[name], arrays.get(name), arrays.get(name + DENSE_SUFFIX)) for name in MODEL_NAMES
        ]
    except (KeyError, ValueError, TypeError, OSError) as error:
        raise CalibrationError(f"{where}: not a weights file written by analyzer ({type(error).__name__})") from None
    considerate, harsh, useful = models
    return CommentModels(considerate, harsh, useful, validation=dict(data.get("validation", {})), sha256=digest)


DENSE_SUFFIX = "_dense"  # arrays-file key of a model's comment-vector weights ("harsh_dense")


def _check_vector_table(data: dict[str, Any], where: str) -> None:
    """Comment-vector weights only mean something with the vector table they were fitted on."""
    wanted = str(data.get("static_vectors", {}).get("sha256", ""))
    have = shipped_vectors().sha256
    if wanted != have:
        raise CalibrationError(
            f"{where}: fitted on static vectors {wanted[:12] or '(unnamed)'}..., but this analyzer ships "
            f"{have[:12]}...; refit the weights with `analyzer calibrate --fit`"
        )


def shipped_models() -> CommentModels:
    """The shipped models (``comment_weights.json`` + ``comment_hashed.npz``), checked against their pins."""
    if "shipped" not in _ACTIVE:
        folder = resources.files("analyzer.scores")
        _ACTIVE["shipped"] = models_from_bytes(
            folder.joinpath("comment_weights.json").read_bytes(),
            lambda name: folder.joinpath(name).read_bytes(),
            SHIPPED_WEIGHTS_SHA256,
            "analyzer/scores/comment_weights.json",
        )
    return _ACTIVE["shipped"]


def load_models(path: str | Path, expected_sha256: str | None = None) -> CommentModels:
    """Models from a weights file written by ``analyzer calibrate --fit`` (arrays file beside it)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise CalibrationError(f"{path}: weights file not found; write one with `analyzer calibrate --fit`")
    return models_from_bytes(
        path.read_bytes(), lambda name: (path.parent / name).read_bytes(), expected_sha256, str(path)
    )


def use_weights(path: str | Path | None, expected_sha256: str | None = None) -> CommentModels:
    """Make a weights file the default for scoring in this process (None: back to the shipped weights)."""
    if path is None or str(path) == "":
        _ACTIVE.pop("active", None)
        return shipped_models()
    _ACTIVE["active"] = load_models(path, expected_sha256)
    return _ACTIVE["active"]


def active_models() -> CommentModels:
    """The models scoring uses: those set by ``use_weights``, else the shipped ones."""
    return _ACTIVE.get("active") or shipped_models()


def featurize(bodies: pd.Series, diff_hunks: pd.Series | None = None) -> tuple[pa.Array, pd.DataFrame]:
    """Normalised prose and the full named-feature frame (positional index) for a column of bodies."""
    prose, features, _ = featurize_words(bodies, diff_hunks)
    return prose, features


def featurize_words(
    bodies: pd.Series, diff_hunks: pd.Series | None = None
) -> tuple[pa.Array, pd.DataFrame, Occurrences]:
    """``featurize`` plus the prose's word occurrences (split once: valence and hashed words share them)."""
    raw = as_arrow(bodies)
    prose, signals = normalize_array(raw)
    features = comment_features(prose, signals)
    occ = occurrences(prose)
    overlap = np.zeros(len(bodies), dtype=bool)
    if diff_hunks is not None:
        hunks = as_arrow(diff_hunks.reindex(bodies.index))
        overlap = diff_identifier_overlap(raw, hunks)
    features["shares_diff_identifier"] = overlap.astype(np.float64)
    for name, values in valence_features(occ).items():
        features[name] = values
    body_chars = pc.utf8_length(raw).to_numpy(zero_copy_only=False).astype(np.float64)
    prose_chars = pc.utf8_length(prose).to_numpy(zero_copy_only=False).astype(np.float64)
    features["log_body_chars"] = np.log1p(body_chars)
    features["chars_per_token"] = np.minimum(prose_chars / np.maximum(features["n_tokens"].to_numpy(), 1.0), 12.0)
    features["line_anchor"] = contains(pc.utf8_lower(prose), r"\bline\s*\d+|\bl\d+\b|\blines?\s+\d+").astype(np.float64)
    features["specific"] = _specific(features).astype(np.float64)
    return prose, features, occ


def _specific(f: pd.DataFrame) -> np.ndarray:
    """Specificity (docs/methodology.md, "Specific comments"):
    a code reference, a diff identifier, a suggestion block or a line anchor."""
    names = ("has_code", "shares_diff_identifier", "has_suggestion", "line_anchor", "identifier_in_text")
    return np.asarray(np.logical_or.reduce([f[n].to_numpy() > 0 for n in names]), dtype=bool)


def _harsh_flag(f: pd.DataFrame, harsh_prob: np.ndarray, threshold: float) -> np.ndarray:
    """Harsh: the probability reaches the threshold chosen for precision on left-out sets, or an insult or
    identity attack aimed at someone (docs/methodology.md). The old politeness-table rules (a very low considerate
    score, a negative word without specifics) were dropped: on left-out sets they were mostly false alarms."""
    aimed_insult = (f["insult"].to_numpy() > 0) & (f["self_directed"].to_numpy() == 0)
    rules = aimed_insult | (f["identity_attack"].to_numpy() > 0)
    return np.asarray((harsh_prob >= threshold) | rules, dtype=bool)


def _cc_labels(prose: pa.Array) -> np.ndarray:
    pattern = r"^\s*(?:\*\*)?(?P<label>" + "|".join(lx.CC_LABELS) + r")(?:\s*\([a-z ,\-]{0,40}\))?(?:\*\*)?\s*:"
    found = pc.extract_regex(pc.utf8_lower(prose), pattern).field("label")
    return np.asarray(pc.fill_null(found, "").to_numpy(zero_copy_only=False), dtype=object)


def _comment_types(f: pd.DataFrame, labels: np.ndarray) -> pd.Categorical[str]:
    label_type = pd.Series(labels).map(lambda v: lx.CC_LABEL_TYPE.get(v, "")).to_numpy(dtype=object)
    col = {name: f[name].to_numpy() > 0 for name in f.columns}
    praise = (col["deference"] | (col["positive"] & col["gratitude"])) & ~col["change_request"] & ~col["question"]
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
    names = [";".join(n for b, (n, _) in enumerate(MARKER_FEATURES) if code >> b & 1) for code in unique.tolist()]
    return np.asarray(names, dtype=object)[inverse.reshape(-1)] if len(f) else np.zeros(0, dtype=object)


def model_scores(
    prose: pa.Array, f: pd.DataFrame, m: CommentModels, occ: Occurrences | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(considerate, harsh_prob, harsh flag, useful_prob); adds the ``harsh_wording`` column to ``f``."""
    if occ is None and m.needs_words():
        occ = occurrences(prose)
    vectors = None
    if occ is not None and any(x.dense is not None for x in (m.considerate, m.harsh, m.useful)):
        vectors = comment_vectors(occ)  # once, for every model that uses them
    wording = m.harsh.wording_logit(occ, len(f), vectors)
    f["harsh_wording"] = (wording >= HARSH_WORDING_LOGIT).astype(np.float64)
    considerate = np.tanh(m.considerate.named_logit(f) + m.considerate.wording_logit(occ, len(f), vectors))
    harsh_prob = _sigmoid(m.harsh.named_logit(f) + wording)
    flag = _harsh_flag(f, harsh_prob, m.harsh.threshold)
    useful_prob = _sigmoid(m.useful.named_logit(f) + m.useful.wording_logit(occ, len(f), vectors))
    return considerate, harsh_prob, flag, useful_prob


def score_features(
    prose: pa.Array, f: pd.DataFrame, models: CommentModels | None = None, occ: Occurrences | None = None
) -> pd.DataFrame:
    """Scores from an already computed feature frame (positional index) and, when at hand, its words."""
    considerate, harsh_prob, harsh, useful_prob = model_scores(prose, f, models or active_models(), occ)
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
            "is_nit": (f["nit"].to_numpy() > 0) | np.isin(labels, ["nit", "nitpick", "typo", "polish", "quibble"]),
            "cc_label": labels,
            "comment_type": _comment_types(f, labels),
            "considerate": considerate,
            "harsh_prob": harsh_prob,
            "harsh": harsh,
            "useful_prob": useful_prob,
            "specific": f["specific"].to_numpy() > 0,
            "markers": _markers(f),
        }
    )


def score_comments(bodies: pd.Series, diff_hunks: pd.Series | None = None) -> pd.DataFrame:
    """Score every comment body in ``bodies`` (and its diff hunk, when given); indexed like ``bodies``.

    Non-English (``lang_en`` False) and trivial comments are still scored; per-person empathy
    averages must filter them out (docs/methodology.md, "Comment text", steps 6-7). Large columns are scored in
    chunks on a thread pool: the Arrow kernels release the GIL, so chunks run on all cores.
    """
    hunks = None if diff_hunks is None else diff_hunks.reindex(bodies.index)
    if any(m.dense is not None for m in (active_models().harsh, active_models().considerate, active_models().useful)):
        shipped_vectors()  # read the table once, before the threads want it
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
    prose, features, occ = featurize_words(bodies.iloc[start:stop], chunk_hunks)
    return score_features(prose, features, occ=occ)


def score_comment(body: str, diff_hunk: str | None = None) -> dict[str, object]:
    """Score one comment; same fields as :func:`score_comments`, as plain Python values."""
    hunks = None if diff_hunk is None else pd.Series([diff_hunk])
    row = score_comments(pd.Series([body]), hunks).iloc[0]
    return {str(key): value.item() if isinstance(value, np.generic) else value for key, value in row.items()}
