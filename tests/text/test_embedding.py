"""Comment vectors from the shipped static token table (analyzer.text.embedding): BERT's uncased WordPiece,
the pinned table, and the vectors the harsh model reads."""

from __future__ import annotations

import io
import socket

import numpy as np
import pandas as pd
import pytest

from analyzer.errors import CalibrationError
from analyzer.scores import comments
from analyzer.text import embedding
from analyzer.text.embedding import StaticVectors, basic_pieces, from_bytes
from analyzer.text.ngrams import occurrences
from analyzer.text.normalize import as_arrow, normalize_array

TOKENS = ["[UNK]", "un", "##aff", "##able", "don", "'", "t", "cafe", "user", "_", "id", "x"]


def _table(vectors: np.ndarray | None = None) -> StaticVectors:
    values = np.eye(len(TOKENS)) if vectors is None else vectors
    return StaticVectors({t: i for i, t in enumerate(TOKENS)}, values, 0)


def test_basic_tokenizer_splits_like_bert_uncased() -> None:
    assert basic_pieces("don't") == ["don", "'", "t"]
    assert basic_pieces("user_id") == ["user", "_", "id"]
    assert basic_pieces("CAFÉ") == ["cafe"]  # lowercased, accent stripped
    assert basic_pieces("漢字x") == ["漢", "字", "x"]  # CJK characters stand alone


def test_wordpiece_is_greedy_longest_match_first() -> None:
    table = _table()
    ids = {t: i for i, t in enumerate(TOKENS)}
    assert table.wordpiece("unaffable") == (ids["un"], ids["##aff"], ids["##able"])
    assert table.wordpiece("don't") == (ids["don"], ids["'"], ids["t"])
    assert table.wordpiece("unaffablez") == (0,)  # a piece with no match is one unknown token, as in BERT
    assert table.wordpiece("a" * 101) == (0,)


def test_comment_vector_is_the_mean_of_its_token_vectors() -> None:
    table = _table()
    prose, _ = normalize_array(as_arrow(pd.Series(["unaffable cafe", "", "x x"])))
    vectors = table.comment_vectors(occurrences(prose))
    ids = {t: i for i, t in enumerate(TOKENS)}
    expected = np.zeros(len(TOKENS))
    for token in ("un", "##aff", "##able", "cafe"):
        expected[ids[token]] = 0.25
    assert np.allclose(vectors[0], expected)
    assert np.allclose(vectors[1], 0.0)  # no words: the zero vector, not NaN
    assert np.allclose(vectors[2], np.eye(len(TOKENS))[ids["x"]])


def test_shipped_table_loads_pinned_with_sockets_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(embedding, "_SHIPPED", [])
    table = embedding.shipped_vectors()
    assert table.sha256 == embedding.STATIC_VECTORS_SHA256
    assert table.vectors.shape == (len(table.ids), 128) and len(table.ids) > 29_000
    for word in ("review", "refactor", "the", "idiot"):  # whole words of the vocabulary map to themselves
        assert all(i != table.unknown for i in table.wordpiece(word))
    # distilled meaning: related words sit closer than unrelated ones
    def vec(word: str) -> np.ndarray:
        v = table.vectors[list(table.wordpiece(word))].mean(0)
        return np.asarray(v / np.linalg.norm(v))

    assert vec("idiot") @ vec("stupid") > vec("idiot") @ vec("thanks") + 0.1


def test_a_changed_table_is_refused() -> None:
    blob = embedding.TABLE_FILE
    data = (embedding.resources.files("analyzer.text") / blob).read_bytes()
    with pytest.raises(CalibrationError, match="does not match the pinned"):
        from_bytes(data[:-1] + bytes([data[-1] ^ 1]), embedding.STATIC_VECTORS_SHA256, blob)
    buffer = io.BytesIO()
    np.savez(buffer, tokens=np.frombuffer(b"a\nb", dtype=np.uint8), vectors=np.zeros((3, 2), dtype=np.float16))
    with pytest.raises(CalibrationError, match="disagree"):
        from_bytes(buffer.getvalue(), None, "bad.npz")


def test_harsh_model_reads_comment_vectors() -> None:
    models = comments.shipped_models()
    assert models.harsh.dense is not None and models.harsh.dense.shape == (128,)
    prose, _ = normalize_array(as_arrow(pd.Series(["you are a moron", "thanks for the careful fix"])))
    dense_logit = comments.comment_vectors(occurrences(prose)) @ models.harsh.dense
    assert dense_logit[0] > dense_logit[1]
