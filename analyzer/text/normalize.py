"""Split review-comment bodies into ``prose`` (what tone is judged on) and
``signals`` (docs/methodology.md, "Comment text").

Everything works on a whole column at once with Arrow's RE2 kernels (``pyarrow.compute``), so a
million comments normalise in seconds. All patterns in this package are RE2 syntax: no
look-arounds, no back-references. Expensive rewrites run only on the rows that contain their
trigger character, which is what keeps the common short comment cheap.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analyzer.text import lexicons as lx

# Bodies longer than this are cut before tone analysis: one comment's tone is settled long before
# 20,000 characters, and the cap bounds the cost of pathological (1 MB log dump) bodies.
MAX_BODY_CHARS = 20_000
MIN_TOKENS_FOR_STOPWORD_GATE = 5
MIN_ASCII_LETTER_SHARE = 0.8
MIN_STOPWORD_RATIO = 0.15
TRIVIAL_MAX_TOKENS = 2

PLACEHOLDERS = ("CODE", "URL", "MENTION", "REF", "EMOJIPOS", "EMOJINEG", "EMOJI")

_HTML_COMMENT = r"(?s)<!--.*?(?:-->|\z)"
_HTML_TAG = r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]{0,300})?/?>"
_SUGGESTION_OPEN = r"(?m)^[ \t]{0,3}(?:`{3,}|~{3,})[ \t]*suggestion\b"
_SUGGESTION_BLOCK = (
    r"(?ms)^[ \t]{0,3}(?:`{3,}|~{3,})[ \t]*suggestion\b[^\n]*(?:\n.*?^[ \t]{0,3}(?:`{3,}|~{3,})[ \t]*$|.*\z)"
)
_FENCE_LINE = r"(?m)^[ \t]{0,3}(?:`{3,}|~{3,})"
# Longer fences first, so a ```` block that contains ``` lines is removed as one block; an unclosed
# fence runs to the end of the body, as in CommonMark.
_FENCED_BLOCKS = (
    r"(?ms)^[ \t]{0,3}`{4,}[^`\n]*(?:\n.*?^[ \t]{0,3}`{4,}[ \t]*$|.*\z)",
    r"(?ms)^[ \t]{0,3}`{3}[^`\n]*(?:\n.*?^[ \t]{0,3}`{3,}[ \t]*$|.*\z)",
    r"(?ms)^[ \t]{0,3}~{3,}[^\n]*(?:\n.*?^[ \t]{0,3}~{3,}[ \t]*$|.*\z)",
)
_INDENTED_CODE = r"(?m)(?:\A|^[ \t]*\n)(?:(?: {4}|\t)[^\n]*(?:\n|\z))+"
_QUOTE_LINE = r"(?m)^[ \t]*>[^\n]*"
_EMAIL_ATTRIBUTION = r"(?m)^[ \t]*On [^\n]{0,200}wrote:[ \t]*$"
_INLINE_CODE = r"`+[^`\n]+`+"
_URL = r"(?i)(?:https?|ftp)://[^\s<>()\[\]\"'`]+|\bwww\.[^\s<>()\[\]\"'`]+"
_MENTION = r"(?:^|[^A-Za-z0-9_@/.`])@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9_.-]+)?"
_REF = r"(?:^|[^A-Za-z0-9_&#/])(?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#[0-9]+\b"
# UTF-8 emoji read as cp1252 ("âœ”" for a check mark) is common in exported review data.
_MOJIBAKE_SYMBOL = r"\x{00E2}[\x{0080}-\x{02FF}\x{2000}-\x{20FF}]{1,2}"
_OTHER_SHORTCODE = r":[a-z0-9_+-]{2,40}:"
_OTHER_EMOJI = r"[\x{1F000}-\x{1FAFF}\x{2600}-\x{27BF}\x{2B00}-\x{2BFF}]"
_TOKEN = r"[\pL\pN_]+(?:['\x{2019}][\pL]+)?|(?:^|\s)[+-]1\b"
_PLACEHOLDER_WORD = r"\b(?:" + "|".join(PLACEHOLDERS) + r")\b"


def as_arrow(values: pd.Series) -> pa.Array:
    """The column as an Arrow large_string array: nulls and non-strings become "" (never raises)."""
    as_text = values.astype(object).where(values.notna(), "")
    as_text = as_text.map(lambda v: v if isinstance(v, str) else str(v))
    array = pa.array(as_text.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    return pc.utf8_slice_codeunits(array, 0, MAX_BODY_CHARS)


def contains(array: pa.Array, pattern: str) -> np.ndarray:
    """Boolean numpy mask: the RE2 pattern matches somewhere in each row."""
    return np.asarray(pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False), dtype=bool)


def count(array: pa.Array, pattern: str) -> np.ndarray:
    """Non-overlapping RE2 match count per row, as int64."""
    return np.asarray(pc.count_substring_regex(array, pattern).to_numpy(zero_copy_only=False), dtype=np.int64)


def contains_literal(array: pa.Array, needle: str) -> np.ndarray:
    return np.asarray(pc.match_substring(array, needle).to_numpy(zero_copy_only=False), dtype=bool)


def replace_where(array: pa.Array, mask: np.ndarray, pattern: str, replacement: str) -> pa.Array:
    """Rewrite only the rows selected by ``mask`` (the other rows are left untouched, and cost nothing)."""
    if not mask.any():
        return array
    rows = np.flatnonzero(mask)
    rewritten = pc.replace_substring_regex(array.take(pa.array(rows)), pattern, replacement)
    # Stitch in Arrow: position i takes row i of the original, or its rewritten copy.
    source = np.arange(len(array), dtype=np.int64)
    source[rows] = len(array) + np.arange(len(rows), dtype=np.int64)
    combined = pa.concat_arrays([array, rewritten.cast(pa.large_string())])
    return combined.take(pa.array(source))


def _rewrite(array: pa.Array, trigger: Callable[[pa.Array], np.ndarray], pattern: str, repl: str) -> pa.Array:
    return replace_where(array, trigger(array), pattern, repl)


def _has(needle: str) -> Callable[[pa.Array], np.ndarray]:
    return lambda array: contains_literal(array, needle)


def _matches(pattern: str) -> Callable[[pa.Array], np.ndarray]:
    return lambda array: contains(array, pattern)


def _strip_markup(array: pa.Array) -> tuple[pa.Array, dict[str, np.ndarray]]:
    """Steps 1-3 of docs/methodology.md, "Comment text":
    HTML comments, suggestion blocks, code, quotes. Returns prose + signals."""
    signals: dict[str, np.ndarray] = {}
    array = pc.replace_substring(array, "\r\n", "\n")
    array = _rewrite(array, _has("<!--"), _HTML_COMMENT, " ")
    array = _rewrite(array, _has("<"), _HTML_TAG, " ")
    signals["has_suggestion"] = contains(array, _SUGGESTION_OPEN)
    array = replace_where(array, signals["has_suggestion"], _SUGGESTION_BLOCK, "\n")
    fence_lines = count(array, _FENCE_LINE)
    signals["n_code_blocks"] = (fence_lines + 1) // 2
    for block in _FENCED_BLOCKS:
        array = replace_where(array, fence_lines > 0, block, "\n")
    indented_before = array
    array = _rewrite(array, _matches(r"(?m)^(?: {4}|\t)"), _INDENTED_CODE, "\n")
    signals["n_code_blocks"] = signals["n_code_blocks"] + _changed(indented_before, array)
    signals["has_quote"] = contains(array, r"(?m)^[ \t]*>")
    array = replace_where(array, signals["has_quote"], _QUOTE_LINE, "")
    array = _rewrite(array, _has(" wrote:"), _EMAIL_ATTRIBUTION, "")
    signals["n_inline_code"] = count(array, _INLINE_CODE)
    array = replace_where(array, signals["n_inline_code"] > 0, _INLINE_CODE, " CODE ")
    return array, signals


def _changed(before: pa.Array, after: pa.Array) -> np.ndarray:
    return np.asarray(pc.not_equal(before, after).to_numpy(zero_copy_only=False), dtype=np.int64)


def _mask_references(array: pa.Array) -> tuple[pa.Array, dict[str, np.ndarray]]:
    """Step 4: URLs, @mentions and #refs become placeholder tokens; counts are kept."""
    signals: dict[str, np.ndarray] = {}
    signals["n_urls"] = count(array, _URL)
    array = replace_where(array, signals["n_urls"] > 0, _URL, " URL ")
    signals["n_mentions"] = count(array, _MENTION)
    array = replace_where(array, signals["n_mentions"] > 0, _MENTION, " MENTION ")
    signals["n_refs"] = count(array, _REF)
    array = replace_where(array, signals["n_refs"] > 0, _REF, " REF ")
    return array, signals


def _emoji_patterns() -> tuple[tuple[str, str], ...]:
    def chars(items: tuple[str, ...]) -> str:
        return "(?:" + "|".join(_re2_literal(c) + "\\x{FE0F}?" for c in items) + ")"

    def codes(items: tuple[str, ...]) -> str:
        return ":(?:" + "|".join(_re2_literal(c) for c in items) + "):"

    def faces(items: tuple[str, ...]) -> str:
        return r"(?:^|\s)(?:" + "|".join(_re2_literal(c) for c in items) + r")(?:$|\s|[.,!?])"

    return (
        (codes(lx.POSITIVE_SHORTCODES), " EMOJIPOS "),
        (codes(lx.NEGATIVE_SHORTCODES), " EMOJINEG "),
        (_OTHER_SHORTCODE, " EMOJI "),
        (chars(lx.POSITIVE_EMOJI), " EMOJIPOS "),
        (chars(lx.NEGATIVE_EMOJI), " EMOJINEG "),
        (_OTHER_EMOJI + "+\\x{FE0F}?", " EMOJI "),
        (_MOJIBAKE_SYMBOL, " EMOJI "),
        (faces(lx.POSITIVE_EMOTICONS), " EMOJIPOS "),
        (faces(lx.NEGATIVE_EMOTICONS), " EMOJINEG "),
    )


def _re2_literal(text: str) -> str:
    return "".join(c if c.isalnum() or c == "_" or ord(c) > 127 else "\\" + c for c in text)


_EMOJI_REWRITES = _emoji_patterns()


def _map_emoji(array: pa.Array) -> pa.Array:
    """Step 5: emoji, :shortcodes: and emoticons become EMOJIPOS / EMOJINEG / EMOJI tokens."""
    maybe = contains(array, r"[:;=<^>D\-]|[^\x00-\x7F]")
    for pattern, token in _EMOJI_REWRITES:
        array = replace_where(array, maybe, pattern, token)
    return array


def _language_and_tokens(prose: pa.Array) -> dict[str, np.ndarray]:
    """Steps 6-7: token count, language gate, trivial flag."""
    n_tokens = count(prose, _TOKEN)
    has_placeholder = contains(prose, _PLACEHOLDER_WORD)
    words_only = replace_where(prose, has_placeholder, _PLACEHOLDER_WORD, " ")
    word_tokens = n_tokens.copy()
    word_tokens[has_placeholder] = count(words_only.take(pa.array(np.flatnonzero(has_placeholder))), _TOKEN)
    stopwords = count(pc.utf8_lower(words_only), lx.words_alternation(lx.ENGLISH_STOPWORDS))
    stop_ratio = np.where(word_tokens > 0, stopwords / np.maximum(word_tokens, 1), 1.0)
    gated = word_tokens >= MIN_TOKENS_FOR_STOPWORD_GATE
    lang_en = (_ascii_letter_share(words_only) >= MIN_ASCII_LETTER_SHARE) & ~(
        gated & (stop_ratio < MIN_STOPWORD_RATIO)
    )
    return {"n_prose_tokens": n_tokens, "lang_en": lang_en, "is_trivial": n_tokens <= TRIVIAL_MAX_TOKENS}


def _ascii_letter_share(text: pa.Array) -> np.ndarray:
    """Share of letters that are ASCII; counted only on rows with non-ASCII text (1.0 elsewhere)."""
    share = np.ones(len(text), dtype=np.float64)
    rows = np.flatnonzero(~np.asarray(pc.string_is_ascii(text).to_numpy(zero_copy_only=False), dtype=bool))
    if len(rows):
        subset = text.take(pa.array(rows))
        letters = _length_after_removing(subset, r"[^\pL]+")
        ascii_letters = _length_after_removing(subset, r"[^A-Za-z]+")
        share[rows] = np.where(letters > 0, ascii_letters / np.maximum(letters, 1), 1.0)
    return share


def _length_after_removing(text: pa.Array, pattern: str) -> np.ndarray:
    kept = pc.replace_substring_regex(text, pattern, "")
    return np.asarray(pc.utf8_length(kept).to_numpy(zero_copy_only=False), dtype=np.int64)


def normalize_array(bodies: pa.Array) -> tuple[pa.Array, dict[str, np.ndarray]]:
    """Normalise an Arrow string column: (prose, signals by name)."""
    prose, signals = _strip_markup(bodies)
    prose, reference_signals = _mask_references(prose)
    prose = _map_emoji(prose)
    prose = _rewrite(prose, _matches(r"[ \t\x{00A0}]{2,}|[\t\x{00A0}]"), r"[ \t\x{00A0}]+", " ")
    prose = _rewrite(prose, _matches(r"\n\s*\n"), r"\n\s*\n+", "\n")
    prose = pc.utf8_trim_whitespace(prose)
    signals.update(reference_signals)
    signals.update(_language_and_tokens(prose))
    return prose, signals


def normalize_comments(bodies: pd.Series) -> pd.DataFrame:
    """Normalise a column of comment bodies; one row per body, indexed like ``bodies``.

    Columns: ``prose`` plus the signals of docs/methodology.md, "Comment text" (``has_suggestion``, ``n_code_blocks``,
    ``n_inline_code``, ``has_quote``, ``n_urls``, ``n_mentions``, ``n_refs``, ``n_prose_tokens``,
    ``lang_en``, ``is_trivial``).
    """
    prose, signals = normalize_array(as_arrow(bodies))
    frame = pd.DataFrame(signals, index=bodies.index)
    frame.insert(
        0, "prose", pd.Series(prose.to_numpy(zero_copy_only=False), index=bodies.index, dtype=object)
    )
    return frame


def normalize_comment(body: str) -> dict[str, object]:
    """Single-body convenience wrapper around :func:`normalize_comments`."""
    row = normalize_comments(pd.Series([body])).iloc[0]
    return {str(name): _plain(value) for name, value in row.items()}


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value
