"""Issue 10 item 10: a damaged score cache file is never trusted. Each Arrow file's size and CRC-32 are
checked on the mapped bytes before Arrow reads them; any mismatch costs one full run that rewrites the
cache, so the scores equal a run without cache, with no garbled text and no crash."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analyzer.config import Config, StoreSection
from analyzer.pipeline import score
from analyzer.scores.pipeline import SCORE_SCHEMAS, Scores, read_scores
from tests.integrity.helpers import NOW, cli

NOW_AT = datetime.fromisoformat(NOW).replace(tzinfo=UTC)


def cached(folder: Path) -> Config:
    return Config(store=StoreSection(score_cache=str(folder)))


def assert_same(a: Scores, b: Scores) -> None:
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def test_a_garbled_comment_in_the_cache_never_reaches_the_scores(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    first = score(store, cached(folder), NOW_AT)
    body = next(b for b in first.comments["body"] if isinstance(b, str) and len(b) > 40 and b.isascii())
    file = folder / "comments-0.arrow"
    data = file.read_bytes()
    at = data.index(body.encode())
    damaged = bytearray(data)
    damaged[at : at + 8] = b"GARBLED!"  # same length: Arrow's offsets still fit, only the text is wrong
    file.write_bytes(bytes(damaged))
    again = score(store, cached(folder), NOW_AT)
    assert again.meta["cache"]["prs_cached"] == 0  # type: ignore[index]  # the damaged cache was not used
    assert not any("GARBLED!" in b for b in again.comments["body"].dropna())
    assert_same(again, score(store, Config(store=StoreSection(score_cache="")), NOW_AT))
    # and it was rewritten: the next run takes every PR from it
    third = score(store, cached(folder), NOW_AT)
    assert third.meta["cache"]["prs_recomputed"] == 0  # type: ignore[index]
    assert_same(third, again)


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "offsets-overwritten":  # the footer and record batch metadata: lengths and offsets
        data[-400:-10] = b"\xff" * 390
        path.write_bytes(bytes(data))
    elif how == "zeroed-block":
        middle = len(data) // 2
        data[middle : middle + 4096] = bytes(4096)
        path.write_bytes(bytes(data))
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    ("file", "how"),
    [("comments-0.arrow", "offsets-overwritten"), ("episodes-0.arrow", "zeroed-block"), ("prs.arrow", "truncated")],
)
def test_score_survives_a_damaged_cache_file_and_rebuilds_it(store: Path, tmp_path: Path, file: str,
                                                             how: str) -> None:
    """Through the CLI in its own process: a crash (segfault) would show as a negative exit code."""
    args = ("score", "--store", "s.sqlite", "--now", NOW, "--quiet")
    assert cli(tmp_path, *args).returncode == 0
    expected = read_scores(store)
    cache = tmp_path / "out" / "score-cache"
    _damage(cache / file, how)
    result = cli(tmp_path, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    damaged_run = read_scores(store)
    assert damaged_run.meta["cache"]["prs_cached"] == 0  # type: ignore[index]
    for name in SCORE_SCHEMAS:
        pd.testing.assert_frame_equal(getattr(damaged_run, name), getattr(expected, name), obj=name)
    meta = json.loads((cache / "meta.json").read_text())
    assert meta["files"][file][0] == (cache / file).stat().st_size  # rebuilt, with a fresh checksum
    shutil.rmtree(cache)


def test_cache_meta_records_every_file_in_use(store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    score(store, cached(folder), NOW_AT)
    meta = json.loads((folder / "meta.json").read_text())
    assert sorted(meta["files"]) == sorted(p.name for p in folder.glob("*.arrow"))
    assert all(size == (folder / name).stat().st_size for name, (size, _) in meta["files"].items())
