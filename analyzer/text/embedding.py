"""Comment vectors from static token vectors distilled from a sentence encoder (docs/methodology.md,
"Representation": static word vectors).

``static_vectors.npz`` (beside this module, pinned by ``STATIC_VECTORS_SHA256``) holds one float16 vector
per WordPiece token of sentence-transformers/all-MiniLM-L6-v2, written by :mod:`analyzer.text.distill`.
A comment's vector is the mean of its tokens' vectors. Tokens come from the words
:mod:`analyzer.text.ngrams` already split (lowercased, punctuation dropped): each distinct word is cut
into WordPieces once, the way BERT's uncased tokenizer does (accents stripped, ``_`` and ``'`` split off,
greedy longest match against the vocabulary), and remembered across chunks, so a million comments cost one
sparse product per chunk. Nothing is fetched: the table ships with the package.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import numpy.typing as npt
from scipy import sparse

from analyzer.errors import CalibrationError
from analyzer.text.ngrams import Occurrences

TABLE_FILE = "static_vectors.npz"
STATIC_VECTORS_SHA256 = "a4b683df4cd60b40d858fe0f81877a0d7c2755172c61d806bafb23dadc171d13"
MAX_WORD_CHARS = 100  # BERT's limit: a longer "word" is one unknown token
CACHE_LIMIT = 1_000_000  # distinct words remembered across chunks (about 100 MB at most)
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F
    )


def basic_pieces(word: str) -> list[str]:
    """BERT's uncased basic tokenizer on one whitespace-free word: lowercase, strip accents, split off
    punctuation and CJK characters."""
    text = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")
    pieces: list[str] = []
    current = ""
    for char in text:
        if _is_punctuation(char) or _is_cjk(char):
            if current:
                pieces.append(current)
            pieces.append(char)
            current = ""
        elif not (unicodedata.category(char).startswith("C") or char.isspace()):
            current += char
    if current:
        pieces.append(current)
    return pieces


@dataclass
class StaticVectors:
    """The token table and a per-word WordPiece cache."""

    ids: dict[str, int]
    vectors: Float32Array  # tokens x dims (float32 to sum; the file holds float16)
    unknown: int
    sha256: str = ""
    _cache: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def wordpiece(self, word: str) -> tuple[int, ...]:
        """Token ids of one word (greedy longest-match-first, ``##`` continuations), cached."""
        found = self._cache.get(word)
        if found is not None:
            return found
        out: list[int] = []
        for piece in basic_pieces(word):
            out.extend(self._greedy(piece))
        result = tuple(out)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    def _greedy(self, piece: str) -> list[int]:
        if len(piece) > MAX_WORD_CHARS:
            return [self.unknown]
        out, start = [], 0
        while start < len(piece):
            end, match = len(piece), -1
            while start < end:
                candidate = piece[start:end] if start == 0 else "##" + piece[start:end]
                match = self.ids.get(candidate, -1)
                if match >= 0:
                    break
                end -= 1
            if match < 0:
                return [self.unknown]
            out.append(match)
            start = end
        return out

    def word_table(self, words: list[str]) -> tuple[Float32Array, FloatArray]:
        """(summed token vector, token count) for each distinct word."""
        pieces = [self.wordpiece(w) for w in words]
        counts = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
        flat = np.fromiter((t for p in pieces for t in p), dtype=np.int64, count=int(counts.sum()))
        owner = np.repeat(np.arange(len(words)), counts)
        pick = sparse.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), (owner, flat)), shape=(len(words), len(self.vectors))
        )
        return np.asarray(pick @ self.vectors, dtype=np.float32), counts.astype(np.float64)

    def comment_sums(self, occ: Occurrences) -> Float32Array:
        """Sum of the token vectors of each comment (zeros for a comment with no word): the mean's
        direction, which is all the unit-length comment vector needs."""
        summed, _ = self.word_table(occ.words)
        per_row = sparse.csr_matrix(
            (np.ones(len(occ.rows), dtype=np.float32), (occ.rows, occ.codes)), shape=(occ.n_rows, len(occ.words))
        )
        return np.asarray(per_row @ summed, dtype=np.float32)

    def comment_vectors(self, occ: Occurrences) -> FloatArray:
        """Mean token vector of each comment (zeros for a comment with no word)."""
        summed, counts = self.word_table(occ.words)
        n_tokens = np.bincount(occ.rows, weights=counts[occ.codes], minlength=occ.n_rows)
        return np.asarray(self.comment_sums(occ) / np.maximum(n_tokens, 1.0)[:, None], dtype=np.float64)


def from_bytes(blob: bytes, expected_sha256: str | None, where: str) -> StaticVectors:
    digest = hashlib.sha256(blob).hexdigest()
    if expected_sha256 and digest != expected_sha256:
        raise CalibrationError(
            f"{where}: SHA-256 {digest[:12]}... does not match the pinned {expected_sha256[:12]}...; "
            "restore the file from the release (or rebuild it with `python -m analyzer.text.distill`)"
        )
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            tokens = bytes(npz["tokens"]).decode("utf-8").split("\n")
            vectors = np.asarray(npz["vectors"], dtype=np.float32)
    except (KeyError, ValueError, OSError) as error:
        raise CalibrationError(f"{where}: not a static vector table ({type(error).__name__})") from None
    ids = {token: i for i, token in enumerate(tokens)}
    if len(tokens) != len(vectors) or "[UNK]" not in ids:
        raise CalibrationError(f"{where}: token list and vectors disagree; rebuild it with analyzer.text.distill")
    return StaticVectors(ids, vectors, ids["[UNK]"], digest)


_SHIPPED: list[StaticVectors] = []


def shipped_vectors() -> StaticVectors:
    """The shipped table, read once per process and checked against its pin."""
    if not _SHIPPED:
        blob = resources.files("analyzer.text").joinpath(TABLE_FILE).read_bytes()
        _SHIPPED.append(from_bytes(blob, STATIC_VECTORS_SHA256, f"analyzer/text/{TABLE_FILE}"))
    return _SHIPPED[0]
