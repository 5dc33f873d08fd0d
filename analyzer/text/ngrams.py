"""Hashed word, word-pair and character n-gram features over normalised prose (docs/methodology.md).

A comment becomes the sum of one-hot vectors in a space of ``2**bits`` buckets: each word adds its
own bucket, optionally one per character n-gram of the word (``<word>`` cut into n-grams of the
sizes in ``char_sizes``, so "stupidity" shares evidence with "stupid"), and each pair of
neighbouring words adds one more. The sum is scaled by ``1 / sqrt(1 + words)`` so long comments are
not harsh by volume alone. The shipped model uses words and word pairs only (``char_sizes=()``):
character n-grams cost 2.5x the fitting time and did not improve transfer (docs/methodology.md).

Speed comes from hashing only *distinct* words and pairs: a column is split into words with one
Arrow kernel, dictionary-encoded, and each distinct word is hashed once however often it occurs.
Buckets are CRC-32 of a kind prefix plus the text (stable across processes and platforms; Python's
``hash`` is salted per process). No word list from any dataset is stored: a weights file holds one
float per bucket.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

DEFAULT_BITS = 18
# Words: letters, digits, underscores and inner apostrophes ("don't"); everything else separates.
_SEPARATOR = r"[^\pL\pN_']+"

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Occurrences:
    """Every word and word-pair occurrence of a column, as codes into its distinct items.

    ``rows``/``codes`` list word occurrences (row index, index into ``words``); ``pair_rows``/
    ``pair_codes`` the same for neighbouring-word pairs; ``n_words`` is the word count per row.
    """

    n_rows: int
    words: list[str]
    rows: IntArray
    codes: IntArray
    pairs: list[str]
    pair_rows: IntArray
    pair_codes: IntArray
    n_words: IntArray

    def row_scale(self) -> FloatArray:
        return np.asarray(1.0 / np.sqrt(1.0 + self.n_words), dtype=np.float64)


def _np(array: pa.Array | pa.ChunkedArray) -> IntArray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=np.int64)


def _encoded(values: pa.Array) -> tuple[list[str], IntArray]:
    if len(values) == 0:
        return [], np.zeros(0, dtype=np.int64)
    encoded = pc.dictionary_encode(values)
    return [str(v) for v in encoded.dictionary.to_pylist()], _np(encoded.indices)


def split_words(prose: pa.Array) -> tuple[pa.Array, IntArray]:
    """Every lowercased word of a column, in order, and the row each comes from (vectorised)."""
    pieces = pc.split_pattern_regex(pc.utf8_lower(prose), _SEPARATOR)
    flat = pc.list_flatten(pieces)
    parents = _np(pc.list_parent_indices(pieces))
    keep = _np(pc.utf8_length(flat)) > 0
    return pc.filter(flat, pa.array(keep)), parents[keep]


def occurrences(prose: pa.Array) -> Occurrences:
    """Split lowercased prose into words and neighbouring pairs (vectorised; no per-row Python)."""
    flat, rows = split_words(prose)
    words, codes = _encoded(flat)
    same_row = rows[1:] == rows[:-1] if len(rows) > 1 else np.zeros(0, dtype=bool)
    mask = pa.array(same_row)
    left = pc.filter(flat.slice(0, max(len(flat) - 1, 0)), mask)
    right = pc.filter(flat.slice(1), mask)
    pair_text = pc.binary_join_element_wise(left, right, pa.scalar(" ", type=flat.type))
    pairs, pair_codes = _encoded(pair_text)
    n_words = np.bincount(rows, minlength=len(prose)).astype(np.int64)
    return Occurrences(len(prose), words, rows, codes, pairs, rows[:-1][same_row], pair_codes, n_words)


def _bucket(text: str, mask: int) -> int:
    return zlib.crc32(text.encode("utf-8")) & mask


def word_buckets(words: list[str], bits: int, char_sizes: tuple[int, ...] = ()) -> tuple[IntArray, IntArray]:
    """(offsets, buckets): word i owns ``buckets[offsets[i]:offsets[i+1]]`` (itself and its n-grams)."""
    mask = (1 << bits) - 1
    buckets: list[int] = []
    offsets = [0]
    for word in words:
        buckets.append(_bucket("w " + word, mask))
        padded = "<" + word + ">"
        for size in char_sizes:
            buckets.extend(_bucket("c " + padded[i : i + size], mask) for i in range(len(padded) - size + 1))
        offsets.append(len(buckets))
    return np.asarray(offsets, dtype=np.int64), np.asarray(buckets, dtype=np.int64)


def pair_buckets(pairs: list[str], bits: int) -> IntArray:
    mask = (1 << bits) - 1
    return np.asarray([_bucket("p " + pair, mask) for pair in pairs], dtype=np.int64)


def hashed_matrix(occ: Occurrences, bits: int = DEFAULT_BITS, char_sizes: tuple[int, ...] = ()) -> sparse.csr_matrix:
    """The scaled bucket-count matrix (rows x 2**bits), for fitting."""
    offsets, buckets = word_buckets(occ.words, bits, char_sizes)
    per_word = np.diff(offsets)
    word_cols = buckets[_ranges(offsets[occ.codes], per_word[occ.codes])]
    word_rows = np.repeat(occ.rows, per_word[occ.codes])
    pair_cols = pair_buckets(occ.pairs, bits)[occ.pair_codes]
    rows = np.concatenate([word_rows, occ.pair_rows])
    cols = np.concatenate([word_cols, pair_cols])
    scale = occ.row_scale()
    matrix = sparse.csr_matrix((scale[rows], (rows, cols)), shape=(occ.n_rows, 1 << bits), dtype=np.float64)
    matrix.sum_duplicates()
    return matrix


def _ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """Concatenation of ``arange(s, s + n)`` for each (s, n), vectorised."""
    ends = np.cumsum(lengths)
    within = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths, lengths)
    return np.asarray(np.repeat(starts, lengths) + within, dtype=np.int64)


def hashed_logit(occ: Occurrences, weights: FloatArray, char_sizes: tuple[int, ...] = ()) -> FloatArray:
    """Per-row dot product of the scaled bucket counts with ``weights`` (length a power of two)."""
    bits = int(len(weights)).bit_length() - 1
    offsets, buckets = word_buckets(occ.words, bits, char_sizes)
    sums = np.concatenate([[0.0], np.cumsum(weights[buckets])])
    word_weight = sums[offsets[1:]] - sums[offsets[:-1]]
    pair_weight = weights[pair_buckets(occ.pairs, bits)] if occ.pairs else np.zeros(0)
    total = np.bincount(occ.rows, weights=word_weight[occ.codes], minlength=occ.n_rows)
    total += np.bincount(occ.pair_rows, weights=pair_weight[occ.pair_codes], minlength=occ.n_rows)
    return np.asarray(total * occ.row_scale(), dtype=np.float64)
