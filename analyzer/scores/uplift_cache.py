"""The uplift table kept in the score cache, reused while the model's inputs are unchanged.

The uplift model is one fit over every merged PR of the window, so it cannot be updated a PR at a time
the way the per-PR stage is. But its only inputs are each PR's outcomes and covariates, who reviewed
whom when, and which doc files each PR changed (``uplift.design_from``); comments never enter it. A
re-score after new or edited comments, the common case between two collects, therefore reuses the last
table, while a new PR, review, merge or changed file list (or another window or setting) fits the model
afresh. The table sits beside the per-PR cache as
``uplift.parquet`` with ``uplift.json`` holding the inputs' key, the file's size and its CRC-32: a file
that does not match is ignored and rewritten (a damaged cache only costs a fit).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zlib
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

from analyzer.errors import OutputError
from analyzer.frames.model import Frames
from analyzer.outputs import write_atomically
from analyzer.scores import uplift
from analyzer.scores.outcomes import pr_outcomes

VERSION = 3  # bump when the model's code changes what a table holds for the same inputs
TABLE, KEY = "uplift.parquet", "uplift.json"


def inputs_key(
    every: pd.DataFrame,
    met: pd.DataFrame,
    docs: pd.DataFrame,
    start: datetime,
    end: datetime,
    s: uplift.UpliftSettings,
) -> str:
    """A digest of everything the uplift table depends on."""
    digest = hashlib.sha256(json.dumps([VERSION, str(start), str(end), asdict(s)], sort_keys=True).encode())
    for frame in (every, met, docs):
        digest.update(",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def read_table(folder: Path, key: str) -> pd.DataFrame | None:
    """The cached table made from inputs with this key, or None (absent, other inputs, damaged)."""
    try:
        meta = json.loads((folder / KEY).read_text(encoding="utf-8"))
        data = (folder / TABLE).read_bytes()
        if meta.get("key") != key or meta.get("size") != len(data) or meta.get("crc32") != zlib.crc32(data):
            return None
        table = pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    return table if tuple(table.columns) == uplift.UPLIFT_COLUMNS else None


def write_table(folder: Path, key: str, table: pd.DataFrame) -> None:
    """Table first, then the key that vouches for it: a run stopped in between leaves a key that no longer
    matches the file, so the next run fits afresh."""
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    data = buffer.getvalue()
    (folder / KEY).unlink(missing_ok=True)
    write_atomically(folder / TABLE, data, "the score cache", "--no-cache")
    meta = {"key": key, "size": len(data), "crc32": zlib.crc32(data)}
    write_atomically(folder / KEY, json.dumps(meta).encode(), "the score cache", "--no-cache")


def cached_uplift(
    frames: Frames, start: datetime, end: datetime, settings: uplift.UpliftSettings, folder: Path | None
) -> pd.DataFrame:
    """``uplift.uplift_scores``, reusing the table in ``folder`` (the score cache) while its inputs match.

    BLAS runs on one thread meanwhile, as in ``uplift_scores``."""
    if folder is None:
        return uplift.uplift_scores(frames, start, end, settings)
    with threadpool_limits(limits=1, user_api="blas"):
        every = pr_outcomes(frames)
        met, docs = uplift.interactions(frames, every), uplift.doc_files(frames, every)
        key = inputs_key(every, met, docs, start, end, settings)
        if (known := read_table(folder, key)) is not None:
            return known
        table = uplift.uplift_table(uplift.design_from(every, met, docs, start, end, settings), settings)
    # the cache is an accelerator: the per-PR cache reports an unwritable folder in one line
    with contextlib.suppress(OutputError):
        write_table(folder, key, table)
    return table
