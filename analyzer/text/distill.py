"""Distil static token vectors from the all-MiniLM-L6-v2 sentence encoder, in numpy (docs/methodology.md,
"Representation": static word vectors).

Model2vec's recipe (Tulkens & van Dongen 2024): every WordPiece token of the encoder's vocabulary is
encoded alone, as ``[CLS] token [SEP]``, through the full 6-layer BERT encoder, and mean-pooled over the
three positions as the model's ``1_Pooling/config.json`` says (``pooling_mode_mean_tokens``). The
384-dimensional results are reduced by PCA and weighted by log-rank (Zipf: the vocabulary lists frequent
tokens first, so frequent tokens, which say little, get small vectors). At scoring time a comment's
vector is the mean of its tokens' vectors (:mod:`analyzer.text.embedding`): a table lookup, thousands of
times faster than running the encoder on each comment.

Run once, offline, from the official weights (Apache-2.0, sentence-transformers/all-MiniLM-L6-v2); the
file's SHA-256 must be the official release's, or the script refuses it::

    python -m analyzer.text.distill /path/to/all-MiniLM-L6-v2 --out analyzer/text/static_vectors.npz

The folder needs ``model.safetensors``, ``config.json`` and ``vocab.txt``. No torch: the encoder's
forward pass is written out below (about 40 lines of numpy), and safetensors is read by its documented
layout (8-byte little-endian header length, a JSON header, raw little-endian arrays).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import struct
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

# sentence-transformers/all-MiniLM-L6-v2, model.safetensors, as published by its authors.
OFFICIAL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_DIMS = 128
BATCH = 1024
F32 = npt.NDArray[np.float32]
Ids = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Weights = dict[str, np.ndarray]
Config = dict[str, Any]
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "F64": np.float64}


class DistillError(Exception):
    """The model folder is missing a file, or its weights are not the official ones."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as a numpy array."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, stop = spec["data_offsets"]
        array = np.frombuffer(body[start:stop], dtype=np.dtype(_DTYPES[spec["dtype"]]).newbyteorder("<"))
        tensors[name] = array.reshape(spec["shape"])
    return tensors


def _layer_norm(x: F32, weight: F32, bias: F32, eps: float) -> F32:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + eps) * weight + bias, dtype=np.float32)


def _dense(x: F32, w: dict[str, np.ndarray], name: str) -> F32:
    flat = x.reshape(-1, x.shape[-1])  # one 2-d product: numpy's stacked matmul is ~8x slower here
    out = flat @ w[name + ".weight"].T + w[name + ".bias"]
    return np.asarray(out.reshape(*x.shape[:-1], -1), dtype=np.float32)


def encode(ids: Ids, mask: Mask, w: Weights, config: Config) -> F32:
    """Last hidden states (batch x length x hidden) of the BERT encoder for padded token ids."""
    eps, heads = float(config["layer_norm_eps"]), int(config["num_attention_heads"])
    batch, length = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    hidden = x.shape[-1]
    size = hidden // heads
    blocked = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."

        def split(t: F32) -> F32:
            return np.asarray(t.reshape(batch, length, heads, size).transpose(0, 2, 1, 3), dtype=np.float32)

        q, k, v = (split(_dense(x, w, p + "attention.self." + n)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attention = scores / scores.sum(-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        attended = _dense(context, w, p + "attention.output.dense")
        x = _layer_norm(x + attended, w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"], eps)
        inner = _dense(x, w, p + "intermediate.dense")
        inner = np.asarray(0.5 * inner * (1.0 + special.erf(inner / np.sqrt(2.0))), dtype=np.float32)  # exact GELU
        x = _layer_norm(x + _dense(inner, w, p + "output.dense"), w[p + "output.LayerNorm.weight"],
                        w[p + "output.LayerNorm.bias"], eps)
    return x


def mean_pooled(ids: Ids, mask: Mask, w: Weights, config: Config) -> F32:
    """The sentence-transformers output before its final normalisation: mean over unmasked positions."""
    states = encode(ids, mask, w, config)
    weights = mask[..., None].astype(np.float32)
    return np.asarray((states * weights).sum(1) / weights.sum(1), dtype=np.float32)


def token_vectors(vocab: list[str], w: Weights, config: Config, log: bool = False) -> F32:
    """One 384-d vector per vocabulary token: ``[CLS] token [SEP]`` through the encoder, mean-pooled."""
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros((len(vocab), int(config["hidden_size"])), dtype=np.float32)
    for start in range(0, len(vocab), BATCH):
        rows = np.arange(start, min(start + BATCH, len(vocab)))
        ids = np.stack([np.full(len(rows), cls), rows, np.full(len(rows), sep)], axis=1).astype(np.int64)
        out[rows] = mean_pooled(ids, np.ones(ids.shape, dtype=bool), w, config)
        if log:
            print(f"  encoded {rows[-1] + 1}/{len(vocab)} tokens", file=sys.stderr, end="\r")
    return out


def pca_zipf(vectors: F32, ranks: npt.NDArray[np.int64], dims: int) -> F32:
    """PCA to ``dims`` (centred), then each row scaled by log(1 + rank) as model2vec does."""
    centred = vectors - vectors.mean(0)
    _, _, vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    reduced = centred @ vt[:dims].T
    return np.asarray(reduced * np.log1p(ranks.astype(np.float64))[:, None], dtype=np.float32)


def kept_tokens(vocab: list[str]) -> npt.NDArray[np.int64]:
    """Vocabulary rows worth a vector: not padding, not ``[unusedN]`` placeholders (they never occur)."""
    return np.asarray(
        [i for i, t in enumerate(vocab) if not (t.startswith("[unused") or t in ("[PAD]", "[MASK]"))], dtype=np.int64
    )


def distil(
    model_dir: Path, dims: int = DEFAULT_DIMS, expected_sha256: str = OFFICIAL_SHA256, log: bool = False
) -> bytes:
    """The static vector table (an .npz: ``tokens`` as UTF-8 lines, ``vectors`` float16) from a model folder."""
    weights_path = model_dir / "model.safetensors"
    for needed in (weights_path, model_dir / "config.json", model_dir / "vocab.txt"):
        if not needed.is_file():
            raise DistillError(f"{needed}: not found; pass the folder of sentence-transformers/all-MiniLM-L6-v2")
    digest = file_sha256(weights_path)
    if digest != expected_sha256:
        raise DistillError(
            f"{weights_path}: SHA-256 {digest[:12]}... is not the official all-MiniLM-L6-v2 release's "
            f"{expected_sha256[:12]}...; refusing to distil from unverified weights"
        )
    config = json.loads((model_dir / "config.json").read_text())
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    vocab = vocab[: int(config["vocab_size"])]
    weights = read_safetensors(weights_path)
    keep = kept_tokens(vocab)
    vectors = pca_zipf(token_vectors(vocab, weights, config, log)[keep], keep, dims)
    buffer = io.BytesIO()
    tokens = np.frombuffer("\n".join(vocab[i] for i in keep).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(buffer, tokens=tokens, vectors=vectors.astype(np.float16))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("model_dir", type=Path, help="folder with model.safetensors, config.json, vocab.txt")
    parser.add_argument("--out", type=Path, required=True, help="where to write the .npz table")
    parser.add_argument("--dims", type=int, default=DEFAULT_DIMS, help="PCA dimensions (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        blob = distil(args.model_dir, args.dims, log=True)
    except DistillError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    temporary = args.out.with_name(args.out.name + ".tmp")
    temporary.write_bytes(blob)
    temporary.replace(args.out)
    print(f"wrote {args.out} (sha256 {hashlib.sha256(blob).hexdigest()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
