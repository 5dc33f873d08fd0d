"""The score cache's files: a base generation plus small delta generations of the per-PR stage's rows,
as uncompressed Arrow IPC files that are memory-mapped on reading (``analyzer.scores.incremental``
decides what to recompute and what to write).

Every generation is sorted by PR id, so the assembled tables are the cached PRs' row blocks spliced
with the fresh ones (``analyzer.scores.splice``) rather than re-sorted.
"""

from __future__ import annotations

import json
import mmap
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from analyzer.errors import StoreError
from analyzer.frames.model import has_dtype
from analyzer.outputs import reason
from analyzer.scores.per_pr import COMMENT_ROW_DTYPES, EPISODE_BASE_DTYPES

CACHE_VERSION = 6  # 3: episodes carry the PR title and last_at; 4: Arrow IPC; 5: leaner fingerprints; 6: checksums
# Arrow IPC files are memory-mapped where the OS lets a mapped file be replaced (not on Windows)
MEMORY_MAP = os.name != "nt"
POPULATE: int | None = getattr(mmap, "MAP_POPULATE", None) if MEMORY_MAP else None


@dataclass(frozen=True)
class Generation:
    """One cache file pair: the comment rows and episode base rows of the PRs it held when written,
    each sorted in canonical order (PR id first)."""

    number: int
    comments: pd.DataFrame
    episodes: pd.DataFrame


@dataclass(frozen=True)
class CacheState:
    """What the cache holds: each PR's content hash and the generation whose files hold its rows."""

    keys: pd.Series  # uint64 fingerprint by PR id
    generation: pd.Series  # int64 generation by PR id
    parts: list[Generation]  # the base (0) and the delta generations, oldest first
    base_rows: int
    delta_rows: int  # comment rows in the delta files (the old versions included)
    deltas: list[int]
    files: dict[str, list[int]]  # file name -> [size, CRC-32] of the files in use


@dataclass(frozen=True)
class Cache:
    """The cache directory: a base generation (0) and delta generations holding only the rows of PRs
    recomputed since, so a re-score after a few new comments writes a small file instead of rewriting
    the million-row cache. ``prs.arrow`` says which generation holds each PR's current rows (rows of
    older generations for that PR, or of PRs no longer present, are ignored on reading).

    Files are uncompressed Arrow IPC, memory-mapped on reading: a re-score maps the million cached rows
    in milliseconds instead of decoding them (disk cost: about 0.5 KB per comment). Arrow trusts the
    offsets in a file, so a damaged file could crash the process or garble text: ``meta.json`` records
    each file's size and CRC-32 (damage detection, as in gzip or PNG; whoever can write the cache can
    write the store too), checked on the mapped bytes before Arrow reads them. Any mismatch costs one
    full run, which rewrites the cache."""

    folder: Path

    @property
    def meta(self) -> Path:
        return self.folder / "meta.json"

    @property
    def prs(self) -> Path:
        return self.folder / "prs.arrow"

    def part(self, kind: str, generation: int) -> Path:
        return self.folder / f"{kind}-{generation}.arrow"

    def read(self, key: str) -> CacheState | None:
        """The last run's state, or None when absent, unreadable, of other columns or dtypes, or made
        under a different global key (an unusable cache only costs a full run)."""
        try:
            meta = json.loads(self.meta.read_text(encoding="utf-8"))
            if meta.get("key") != key or meta.get("version") != CACHE_VERSION:
                return None
            files: dict[str, list[int]] = meta["files"]
            prs = _read(self.prs, files)
            parts = [
                Generation(g, _read(self.part("comments", g), files), _read(self.part("episodes", g), files))
                for g in [0, *meta["deltas"]]
            ]
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            return None
        if not all(_typed(p.comments, COMMENT_ROW_DTYPES) and _typed(p.episodes, EPISODE_BASE_DTYPES) for p in parts):
            return None
        ids = prs["pr_id"].to_numpy(dtype=np.int64)
        return CacheState(
            pd.Series(prs["key"].to_numpy(dtype=np.uint64), index=ids),
            pd.Series(prs["gen"].to_numpy(dtype=np.int64), index=ids),
            parts,
            int(meta["base_rows"]),
            int(meta["delta_rows"]),
            list(meta["deltas"]),
            files,
        )

    def write_base(self, key: str, prs: pd.Series, comments: pd.DataFrame, eps: pd.DataFrame) -> None:
        """Replace the cache with one base generation (each file written aside, then moved; meta last)."""
        self._begin()
        for stale in [*self.folder.glob("*-*.arrow"), *self.folder.glob("*-*.parquet")]:
            stale.unlink()
        generation = pd.Series(np.zeros(len(prs), dtype=np.int64), index=prs.index)
        files = self._write(self.part("comments", 0), comments) | self._write(self.part("episodes", 0), eps)
        self._finish(key, prs, generation, (len(comments), 0), [], files)

    def write_delta(
        self, state: CacheState, key: str, prs: pd.Series, touched: pd.Index, comments: pd.DataFrame, eps: pd.DataFrame
    ) -> None:
        """Add a generation holding only the recomputed PRs' rows (``touched``), in canonical order."""
        self._begin()
        new = max([0, *state.deltas]) + 1
        files = state.files | self._write(self.part("comments", new), comments)
        files |= self._write(self.part("episodes", new), eps)
        generation = state.generation.reindex(prs.index).fillna(0).astype(np.int64)
        generation[generation.index.isin(touched)] = new
        rows = (state.base_rows, state.delta_rows + len(comments))
        self._finish(key, prs, generation, rows, [*state.deltas, new], files)

    def _begin(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.meta.unlink(missing_ok=True)  # a half-written cache must not be trusted
        except OSError as exc:
            raise self._unwritable(exc) from exc

    def _unwritable(self, exc: OSError) -> StoreError:
        return StoreError(
            f"cannot write the score cache {self.folder}: {reason(exc)}"
            ' (free some space, or set store.score_cache = "" in config.toml or pass --no-cache)'
        )

    def _finish(
        self,
        key: str,
        prs: pd.Series,
        generation: pd.Series,
        rows: tuple[int, int],
        deltas: list[int],
        files: dict[str, list[int]],
    ) -> None:
        table = pd.DataFrame(
            {"pr_id": prs.index.to_numpy(dtype=np.int64), "key": prs.to_numpy(), "gen": generation.to_numpy()}
        )
        files = files | self._write(self.prs, table)
        meta = {
            "key": key,
            "version": CACHE_VERSION,
            "base_rows": rows[0],
            "delta_rows": rows[1],
            "deltas": deltas,
            "files": files,
        }
        try:  # meta last, and whole or not at all: without it the cache is ignored
            tmp = self.meta.with_suffix(".tmp")
            tmp.write_text(json.dumps(meta), encoding="utf-8")
            tmp.replace(self.meta)
        except OSError as exc:
            raise self._unwritable(exc) from exc

    def _write(self, path: Path, frame: pd.DataFrame) -> dict[str, list[int]]:
        """``_write``, with a full disk or an unwritable folder as one-line ``StoreError``."""
        try:
            return _write(path, frame)
        except OSError as exc:
            path.with_suffix(".tmp").unlink(missing_ok=True)
            raise self._unwritable(exc) from exc


def _write(path: Path, frame: pd.DataFrame) -> dict[str, list[int]]:
    """``frame`` as one uncompressed Arrow IPC record batch (one chunk per column, so reading needs no
    re-assembly), written aside and then moved into place; returns {file name: [size, CRC-32]}."""
    tmp = path.with_suffix(".tmp")
    table = pa.Table.from_pandas(frame, preserve_index=False).combine_chunks()
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=max(table.num_rows, 1))
    size, crc = 0, 0
    with tmp.open("rb") as written:  # just written: read back from the page cache, 16 MB at a time
        while chunk := written.read(1 << 24):
            size, crc = size + len(chunk), zlib.crc32(chunk, crc)
    tmp.replace(path)
    return {path.name: [size, crc]}


def _read(path: Path, files: dict[str, list[int]]) -> pd.DataFrame:
    """An Arrow IPC file as a frame whose columns point into the mapped file (no decoding, no copy),
    after its size and CRC-32 match ``files`` (``ValueError`` otherwise: Arrow never sees damaged bytes).
    Where the OS offers MAP_POPULATE (Linux) the mapping is pre-faulted in one call: touching a
    million rows' pages one fault at a time would cost more than the read it saves."""
    buffer = _mapped(path)
    size, crc = files[path.name]
    if buffer.size != size or zlib.crc32(memoryview(buffer)) != crc:  # crc32 releases the GIL
        raise ValueError(f"{path} does not match its checksum")
    table = pa.ipc.open_file(pa.BufferReader(buffer)).read_all()
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _mapped(path: Path) -> pa.Buffer:
    if POPULATE is not None:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED | POPULATE, prot=mmap.PROT_READ)
        return pa.py_buffer(mapped)  # the buffer keeps the mapping alive as long as any column uses it
    if MEMORY_MAP:
        with pa.memory_map(str(path)) as source:
            return source.read_buffer()
    return pa.py_buffer(path.read_bytes())


def _typed(frame: pd.DataFrame, dtypes: dict[str, str]) -> bool:
    return list(frame.columns) == list(dtypes) and all(has_dtype(frame[c], d) for c, d in dtypes.items())
