"""The numpy distillation of static token vectors (analyzer.text.distill), on a tiny random BERT it writes
itself: the official weights are not part of the repository, only the table distilled from them."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from analyzer.text import distill

VOCAB = ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "fix", "the", "bug", "##s", "idiot", "thanks"]
CONFIG = {"hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 2, "intermediate_size": 16,
          "layer_norm_eps": 1e-12, "vocab_size": len(VOCAB)}


def _tensors(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    h, i = CONFIG["hidden_size"], CONFIG["intermediate_size"]
    t = {
        "embeddings.word_embeddings.weight": rng.normal(size=(len(VOCAB), h)),
        "embeddings.position_embeddings.weight": rng.normal(size=(16, h)),
        "embeddings.token_type_embeddings.weight": rng.normal(size=(2, h)),
        "embeddings.LayerNorm.weight": np.ones(h), "embeddings.LayerNorm.bias": np.zeros(h),
    }
    for layer in range(CONFIG["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        shapes = {"attention.self.query": (h, h), "attention.self.key": (h, h), "attention.self.value": (h, h),
                  "attention.output.dense": (h, h), "intermediate.dense": (i, h), "output.dense": (h, i)}
        for name, shape in shapes.items():
            t[p + name + ".weight"] = rng.normal(scale=0.3, size=shape)
            t[p + name + ".bias"] = rng.normal(scale=0.1, size=shape[0])
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[p + norm + ".weight"], t[p + norm + ".bias"] = np.ones(h), np.zeros(h)
    return {k: v.astype(np.float32) for k, v in t.items()}


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, array in tensors.items():
        data = array.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    _write_safetensors(tmp_path / "model.safetensors", _tensors())
    (tmp_path / "config.json").write_text(json.dumps(CONFIG))
    (tmp_path / "vocab.txt").write_text("\n".join(VOCAB) + "\n")
    return tmp_path


def test_safetensors_round_trip(model_dir: Path) -> None:
    read = distill.read_safetensors(model_dir / "model.safetensors")
    for name, array in _tensors().items():
        assert np.array_equal(read[name], array), name


def test_padding_does_not_change_the_mean_pooled_vector(model_dir: Path) -> None:
    # the attention mask must hide padded positions from every layer and from the pooling
    w = distill.read_safetensors(model_dir / "model.safetensors")
    short = np.array([[3, 6, 7, 8, 4]])
    padded = np.array([[3, 6, 7, 8, 4, 0, 0]])
    mask = padded > 0
    a = distill.mean_pooled(short, np.ones(short.shape, dtype=bool), w, CONFIG)
    b = distill.mean_pooled(padded, mask, w, CONFIG)
    assert np.allclose(a, b, atol=1e-5)
    # and the encoder is not a constant: different tokens, different vectors
    other = distill.mean_pooled(np.array([[3, 10, 7, 8, 4]]), np.ones((1, 5), dtype=bool), w, CONFIG)
    assert not np.allclose(a, other, atol=1e-3)


def test_distil_writes_a_float16_table_of_the_used_tokens(model_dir: Path) -> None:
    digest = distill.file_sha256(model_dir / "model.safetensors")
    blob = distill.distil(model_dir, dims=4, expected_sha256=digest)
    out = model_dir / "table.npz"
    out.write_bytes(blob)
    with np.load(out, allow_pickle=False) as npz:
        tokens = bytes(npz["tokens"]).decode().split("\n")
        vectors = npz["vectors"]
    assert tokens == ["[UNK]", "[CLS]", "[SEP]", "fix", "the", "bug", "##s", "idiot", "thanks"]
    assert vectors.dtype == np.float16 and vectors.shape == (len(tokens), 4)
    assert np.all(np.isfinite(vectors)) and np.abs(vectors).sum() > 0
    assert blob == distill.distil(model_dir, dims=4, expected_sha256=digest)  # reproducible


def test_weights_that_are_not_the_official_release_are_refused(
    model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(distill.DistillError, match="refusing to distil"):
        distill.distil(model_dir)
    assert distill.main([str(model_dir), "--out", str(model_dir / "t.npz")]) == 2
    assert "not the official all-MiniLM-L6-v2" in capsys.readouterr().err
    assert not (model_dir / "t.npz").exists()
    (model_dir / "vocab.txt").unlink()
    with pytest.raises(distill.DistillError, match="vocab.txt: not found"):
        distill.distil(model_dir)
