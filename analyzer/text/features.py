"""Named per-comment features over a whole column
(docs/methodology.md, "Comment scorers"; specificity: "Specific comments").

``comment_features`` returns one float column per named feature, computed with Arrow RE2 kernels
over the normalised prose. The fitted models (``analyzer/scores/comment_weights.json``) refer to
these names, so renaming a feature means refitting the weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analyzer.text import lexicons as lx
from analyzer.text.normalize import PLACEHOLDERS, contains, count, replace_where

# A sentence start: text start, or after sentence punctuation / a label colon / a newline,
# optionally after a leading @mention ("@bob why ...").
_START = r"(?:^|[.!?;:\n])\s*(?:mention[\s,:]*)?"


def _words(items: tuple[str, ...]) -> str:
    return lx.words_alternation(items)


def _at_start(items: tuple[str, ...]) -> str:
    return _START + _words(items)


_NEG_TARGET = "(?:" + "|".join(
    (
        _words(lx.NEGATIVE_WORDS),
        _words(lx.HARSH_WORDS),
        _words(lx.INSULTS),
        lx.patterns_alternation(lx.PROFANITY_PATTERNS),
    )
)
_NEG_TARGET = _NEG_TARGET + ")"
_YOU = r"\byou(?:r|rs|'re|'ve|'d|rself)?\b"
_PERSON_TARGETED = (
    _YOU + r"(?:\W+\w+){0,3}?\W*" + _NEG_TARGET + "|" + _NEG_TARGET + r"(?:\W+\w+){0,3}?\W+" + _YOU
)
# "I'm such an idiot": self-directed insults are self-deprecation, not an attack on someone.
_SELF_DIRECTED = (
    r"\b(?:i|i'm|im|i am|i was|me|my|myself|i've)\b(?:\W+\w+){0,3}?\W+(?:"
    + _words(lx.INSULTS)
    + "|"
    + _words(lx.HARSH_WORDS)
    + ")"
)
_CC_LABEL = r"^\s*(?:\*\*)?(" + "|".join(lx.CC_LABELS) + r")(?:\s*\([a-z ,\-]{0,40}\))?(?:\*\*)?\s*:"
_NIT = r"^\s*(?:\*\*)?(?:" + "|".join(p.replace(" ", r"\s+") for p in lx.NIT_PREFIXES) + r")\b\s*[:\-!,.)]"
_CAPS_WORD = r"\b[A-Z]{3,}\b"
_KNOWN_CAPS = r"\b(?:" + "|".join(sorted({a.upper() for a in lx.ACRONYMS} | set(PLACEHOLDERS))) + r")\b"
_PUNCT_RUN = r"!{2,}|\?{2,}|\?!|!\?"
_IDENTIFIER_IN_TEXT = (
    r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b"
    r"|\b[A-Za-z_]\w*\.[A-Za-z_]\w*|\b\w+\(\)"
)
_ACK_ONLY = r"^\W*(?:(?:" + _words(lx.ACKNOWLEDGEMENTS + ("emoji", "emojipos")) + r"|[+]+\d*)[\W]*)+$"

# (feature name, RE2 pattern on lowercased prose, cap on the count). Cap 1 means a 0/1 flag.
LOWER_PATTERNS: tuple[tuple[str, str, int], ...] = (
    ("gratitude", _words(lx.GRATITUDE), 1),
    ("deference", _at_start(lx.DEFERENCE_STARTS), 1),
    ("indirect", _words(lx.INDIRECT), 1),
    ("please_any", r"\bplease\b|\bpls\b|\bplz\b", 1),
    ("please_start", _START + r"(?:please|pls|plz)\b", 1),
    ("counterfactual", _words(lx.COUNTERFACTUAL), 1),
    ("greeting", r"^\s*(?:mention[\s,:]*)?" + _words(lx.GREETINGS), 1),
    ("apology", _words(lx.APOLOGY), 1),
    ("hedge", _words(lx.HEDGES), 3),
    ("positive", _words(lx.POSITIVE_WORDS), 3),
    ("first_plural", _words(lx.FIRST_PLURAL), 1),
    ("first_singular", _words(lx.FIRST_SINGULAR), 3),
    ("negative", _words(lx.NEGATIVE_WORDS), 3),
    ("direct_question", _START + r"(?:\w+\s+)?" + _words(lx.DIRECT_QUESTION_WORDS), 1),
    ("direct_question_you", _START + r"(?:why|how|what)\s+(?:\w+\s+)?(?:you|your)\b", 1),
    ("second_person_start", _at_start(("you", "your", "you're", "you've")), 1),
    ("second_person", _words(lx.SECOND_PERSON), 3),
    ("factuality", _words(lx.FACTUALITY), 1),
    ("direct_start", _at_start(lx.DIRECT_STARTS), 1),
    ("person_targeted", _PERSON_TARGETED + "|" + _words(lx.BLAME_PHRASES), 1),
    ("rationale", _words(lx.RATIONALE), 1),
    ("minimiser", _words(lx.MINIMISERS), 2),
    ("profanity", lx.patterns_alternation(lx.PROFANITY_PATTERNS), 2),
    ("insult", _words(lx.INSULTS), 2),
    ("self_directed", _SELF_DIRECTED, 1),
    ("identity_attack", _words(lx.IDENTITY_ATTACKS), 1),
    ("harsh_word", _words(lx.HARSH_WORDS), 3),
    ("exasperation", _words(lx.EXASPERATION), 2),
    ("emoji_pos", r"\bemojipos\b", 1),
    ("emoji_neg", r"\bemojineg\b", 1),
    ("cc_label", _CC_LABEL, 1),
    ("nit", _NIT, 1),
    ("change_request", _words(lx.CHANGE_REQUEST), 3),
    ("ack_only", _ACK_ONLY, 1),
    ("question", r"\?", 1),
    ("exclamation", r"!", 3),
    ("has_number", r"\b\d+\b", 1),
    ("code_token", r"\bcode\b", 3),
    ("deferral", _words(lx.DEFERRAL), 1),
    ("non_blocking", _words(lx.NON_BLOCKING), 1),
    ("thinking_aloud", _words(lx.THINKING_ALOUD), 1),
    ("imperative_start", _START + r"(?:nit\s*:?\s*)?" + _words(lx.IMPERATIVE_VERBS), 1),
    ("obligation", _words(lx.OBLIGATION) + r"|\bs/[^/\s]+/", 2),
    ("repeat_request", _words(lx.REPEAT_REQUEST), 1),
    ("tech_term", _words(lx.TECH_TERMS), 4),
    ("quoted_text", r"\"[^\"\n]{1,80}\"|'[^'\n]{2,80}'", 1),
    ("code_chars", r"[=(){}\[\]<>]|->|::|\w\.\w", 3),
    (
        "file_path",
        r"\b[\w\-]+\.(?:py|go|rs|java|js|ts|c|h|cc|cpp|rb|yaml|yml|json|rst|md|txt|cfg|ini|sh|inc)\b"
        r"|\b\w+/\w+",
        1,
    ),
    ("n_sentences", r"[.!?](?:\s|$)|\n", 4),
    ("starts_first_person", r"^\W*(?:i|i'm|i've|i'd|we|we're)\b", 1),
    ("starts_this", r"^\W*(?:this|these|that|it|here)\b", 1),
    ("why_question", r"\bwhy\b[^.!?\n]*\?", 1),
    ("n_questions", r"\?+", 3),
    (
        "starts_reply",
        r"^\W*(?:yes|yeah|yep|yup|no|nope|ok|okay|right|agreed|true|sure|ah|oh|hmm+|well|fair|"
        r"indeed|exactly|correct|heh|ha|lol)\b",
        1,
    ),
    ("tag_question", r"(?:,\s*|\b)(?:no|right|correct|isn't it|aren't they|don't you think)\s*\?", 1),
    ("impatience", _words(lx.IMPATIENCE), 2),
    ("frustration", _words(lx.FRUSTRATION), 2),
    ("mocking", _words(lx.MOCKING), 1),
    ("entitlement", _words(lx.ENTITLEMENT), 1),
    ("threat", _words(lx.THREATS), 1),
    ("rhetorical", _words(lx.RHETORICAL), 1),
    ("you_question", r"\b(?:you|your|you're|u)\b[^.!?\n]{0,80}\?", 2),
)


_SE_NEUTRAL = _words(lx.SE_NEUTRAL_PHRASES)


def _neutralise_se_terms(lower: pa.Array) -> pa.Array:
    """docs/methodology.md, "Comment text": "garbage collection",
    "dead code", "bad request" are not negative evaluations."""
    return replace_where(lower, contains(lower, _SE_NEUTRAL), _SE_NEUTRAL, " seterm ")


def _capped(values: np.ndarray, cap: int) -> np.ndarray:
    return np.asarray(np.minimum(values, cap), dtype=np.float64)


def _case_features(prose: pa.Array) -> dict[str, np.ndarray]:
    """Features that need the original case: shouting (ALL-CAPS words that are not acronyms)."""
    caps = count(prose, _CAPS_WORD) - count(prose, _KNOWN_CAPS)
    punct = count(prose, _PUNCT_RUN)
    return {
        "caps_words": _capped(np.maximum(caps, 0), 4),
        "punct_run": _capped(punct, 2),
        "shouting": ((caps >= 2) | (punct > 0)).astype(np.float64),
        "identifier_in_text": _capped(count(prose, _IDENTIFIER_IN_TEXT), 3),
    }


def _length_features(n_tokens: np.ndarray) -> dict[str, np.ndarray]:
    """Log length plus length buckets (short comments behave differently from long ones)."""
    edges = ((0, 2), (3, 5), (6, 10), (11, 20), (21, 50), (51, 10**12))
    out = {"log_tokens": np.log1p(n_tokens.astype(np.float64))}
    for low, high in edges:
        name = f"len_{low}_{high}" if high < 10**12 else f"len_{low}_plus"
        out[name] = ((n_tokens >= low) & (n_tokens <= high)).astype(np.float64)
    return out


def comment_features(prose: pa.Array, signals: dict[str, np.ndarray]) -> pd.DataFrame:
    """All named features for a normalised column (``prose`` and its ``signals``)."""
    lower = _neutralise_se_terms(pc.utf8_lower(prose))
    data: dict[str, np.ndarray] = {}
    for name, pattern, cap in LOWER_PATTERNS:
        hits = contains(lower, pattern) if cap == 1 else count(lower, pattern)
        data[name] = _capped(hits.astype(np.int64), cap)
    data["please"] = np.maximum(data["please_any"] - data["please_start"], 0.0)
    short = signals["n_prose_tokens"] <= 5
    data["short_question"] = (short & (data["question"] > 0)).astype(np.float64)
    asks = (data["change_request"] + data["obligation"] + data["question"] + data["counterfactual"]) > 0
    praises = (data["positive"] + data["gratitude"] + data["deference"] + data["emoji_pos"]) > 0
    data["praise_only"] = (praises & ~asks).astype(np.float64)
    data["short_request"] = (short & ((data["repeat_request"] > 0) | (data["obligation"] > 0))).astype(
        np.float64
    )
    data.update(_case_features(prose))
    data["starts_lowercase"] = contains(prose, r"^\W*[a-z]").astype(np.float64)
    data.update(_length_features(signals["n_prose_tokens"]))
    data["has_code"] = ((signals["n_code_blocks"] > 0) | (signals["n_inline_code"] > 0)).astype(np.float64)
    data["has_suggestion"] = signals["has_suggestion"].astype(np.float64)
    data["has_quote"] = signals["has_quote"].astype(np.float64)
    data["has_link"] = ((signals["n_urls"] > 0) | (signals["n_refs"] > 0)).astype(np.float64)
    data["has_mention"] = (signals["n_mentions"] > 0).astype(np.float64)
    data["is_trivial"] = signals["is_trivial"].astype(np.float64)
    data["n_tokens"] = signals["n_prose_tokens"].astype(np.float64)
    data["not_english"] = (~signals["lang_en"]).astype(np.float64)
    return pd.DataFrame(data)


def diff_identifier_overlap(bodies: pa.Array, hunks: pa.Array) -> np.ndarray:
    """True where an identifier written in the comment also occurs in that row's diff hunk.

    Comment identifiers are identifier-shaped tokens (snake_case, camelCase, digits mixed in) and
    any token of 3+ characters inside backticks; the hunk side is every identifier token. The
    test is a vectorised join on (row, token), not a per-row loop.
    """
    hit = np.zeros(len(bodies), dtype=bool)
    comment_rows, comment_tokens = _comment_identifiers(bodies)
    if len(comment_tokens) == 0:
        return hit
    hunk_rows, hunk_tokens = _row_tokens(hunks)
    # Only hunk tokens that some comment mentions can match; this shrinks the join a lot.
    relevant = pc.is_in(hunk_tokens, value_set=pc.unique(comment_tokens))
    hunk_rows, hunk_tokens = hunk_rows[_np_bool(relevant)], pc.filter(hunk_tokens, relevant)
    left = pd.DataFrame({"row": comment_rows, "token": comment_tokens.to_numpy(zero_copy_only=False)})
    right = pd.DataFrame({"row": hunk_rows, "token": hunk_tokens.to_numpy(zero_copy_only=False)})
    joined = left.merge(right.drop_duplicates(), on=["row", "token"], how="inner")
    hit[joined["row"].to_numpy(dtype=np.int64)] = True
    return hit


def _np_bool(mask: pa.Array) -> np.ndarray:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def _row_tokens(array: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(row index, token) pairs for every identifier-like token of 3+ characters."""
    pieces = pc.split_pattern_regex(array, r"[^A-Za-z0-9_]+")
    flat = pc.list_flatten(pieces)
    rows = np.asarray(pc.list_parent_indices(pieces).to_numpy(zero_copy_only=False), dtype=np.int64)
    long_enough = pc.greater_equal(pc.utf8_length(flat), 3)
    return rows[_np_bool(long_enough)], pc.filter(flat, long_enough)


def _comment_identifiers(bodies: pa.Array) -> tuple[np.ndarray, pa.Array]:
    rows, tokens = _row_tokens(bodies)
    shaped = pc.match_substring_regex(tokens, r"_|[a-z][A-Z]|[A-Za-z][0-9]")
    rows, tokens = rows[_np_bool(shaped)], pc.filter(tokens, shaped)
    pieces = pc.split_pattern(bodies, "`")
    flat = pc.list_flatten(pieces)
    parents = np.asarray(pc.list_parent_indices(pieces).to_numpy(zero_copy_only=False), dtype=np.int64)
    offsets = np.asarray(pieces.offsets.to_numpy(), dtype=np.int64)[:-1]
    inside = (np.arange(len(flat)) - offsets[parents]) % 2 == 1 if len(flat) else np.zeros(0, dtype=bool)
    code_rows, code_tokens = _row_tokens(pc.filter(flat, pa.array(inside)))
    code_rows = parents[inside][code_rows]
    all_rows = np.concatenate([rows, code_rows])
    all_tokens = pa.concat_arrays([tokens.cast(pa.large_string()), code_tokens.cast(pa.large_string())])
    return all_rows, all_tokens
