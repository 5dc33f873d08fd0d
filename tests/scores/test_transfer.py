"""Leave-one-dataset-out transfer of the comment scorers (issue 12), and the shipped weights' pins.

The transfer tests read ../shared/datasets (third-party data: nothing but aggregate figures is printed)
and skip cleanly where it is absent. Targets the scorer does not reach yet are strict xfails with the
measured figure in the reason: they fail loudly the day they start to pass, so the reason gets updated.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.errors import CalibrationError
from analyzer.scores import comments
from analyzer.scores.calibration import fit_csv
from analyzer.scores.transfer import REQUIRED_PRECISION, TransferReport, load_sets, transfer_report

DATASETS = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"
needs_datasets = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets is absent")
TONE_SETS = ("toxicr", "ehsani-incivility", "github-negative", "senti4sd-negative")
USEFUL_SETS = ("cr-usefulness", "revhelper-usefulness")


@pytest.fixture(scope="module")
def report() -> TransferReport:
    result = transfer_report(load_sets(DATASETS), in_set_folds=0)
    print("\n" + "\n".join(result.to_lines()))
    return result


@needs_datasets
def test_harsh_transfers_to_left_out_tone_sets(report: TransferReport) -> None:
    # 0.80 is reached on three of the four left-out sets; Ehsani is the xfail below
    for name in ("toxicr", "github-negative", "senti4sd-negative"):
        assert report.row(name).left_out_auc >= 0.80, report.to_lines()
    # and the left-out model beats comment length everywhere (length is no harshness signal)
    for name in TONE_SETS:
        row = report.row(name)
        assert row.left_out_auc >= row.length_auc + 0.15, report.to_lines()


@needs_datasets
@pytest.mark.xfail(strict=True, reason="measured 0.737 left-out ROC-AUC on Ehsani incivility with static comment vectors (0.730 without; target 0.80; in-set 3-fold CV 0.80); contextual MiniLM-L6 sentence embeddings (full encoder) added: 0.745-0.748, alone: 0.68-0.69 (docs/methodology.md)")
def test_harsh_reaches_080_on_ehsani(report: TransferReport) -> None:
    assert report.row("ehsani-incivility").left_out_auc >= 0.80


@needs_datasets
def test_harsh_flag_is_precise_on_every_left_out_set(report: TransferReport) -> None:
    for name in TONE_SETS:
        assert report.row(name).precision >= REQUIRED_PRECISION, report.to_lines()
    stored = comments.shipped_models().validation["harsh_flag"]
    assert stored["threshold"] == pytest.approx(report.threshold)
    for name in TONE_SETS:  # the figures the report quotes are the ones measured here
        assert stored["precision"][name] == pytest.approx(report.row(name).precision, abs=0.02)


@needs_datasets
@pytest.mark.xfail(strict=True, reason="recall at the precise threshold 0.89: toxicr 0.40, the other three 0.12-0.15 (0.37, 0.10-0.11 before comment vectors; 0.40/0.14/0.12/0.14 with contextual MiniLM-L6 embeddings added); even a threshold chosen on Ehsani itself reaches only 0.17 recall at precision 0.70 (0.20 with contextual embeddings)")
def test_harsh_flag_recall_on_every_left_out_set(report: TransferReport) -> None:
    for name in TONE_SETS:
        assert report.row(name).recall >= 0.30


@needs_datasets
@pytest.mark.xfail(strict=True, reason="left-out usefulness: Nova 0.670 vs length 0.660, RevHelper 0.519 vs 0.501 (Nova in-set CV is 0.710, the target itself); comment vectors lowered Nova to 0.57-0.67, so usefulness does not use them; contextual MiniLM-L6 embeddings: Nova 0.62-0.67 with the named cues, 0.54-0.57 alone (RevHelper 0.54-0.56)")
def test_usefulness_beats_length_on_left_out_sets(report: TransferReport) -> None:
    for name in USEFUL_SETS:
        row = report.row(name)
        assert row.left_out_auc >= row.length_auc + 0.05


# --- the shipped weights: pinned, offline, refittable ------------------------------------------------


@pytest.fixture
def fresh_models() -> Iterator[None]:
    comments._ACTIVE.clear()
    yield
    comments._ACTIVE.clear()


def test_shipped_weights_load_and_score_with_sockets_refused(
    monkeypatch: pytest.MonkeyPatch, fresh_models: None
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    models = comments.shipped_models()
    assert models.sha256 == comments.SHIPPED_WEIGHTS_SHA256
    assert models.harsh.hashed is not None and len(models.harsh.hashed) == 2**18
    assert models.harsh.dense is not None  # and the static comment vectors, read from the shipped table
    texts = ["you idiots broke it again, this is garbage", "I hate this damn hack", "Thanks, LGTM"]
    scored = comments.score_comments(pd.Series(texts))
    assert scored["harsh_prob"].iloc[0] > 0.9 > 0.1 > scored["harsh_prob"].iloc[2]
    # the learned wording is named in the evidence when it alone pushes the comment toward harsh
    assert "harsh_wording" in scored["markers"].iloc[1] and "harsh_wording" not in scored["markers"].iloc[2]
    # and the lexicon's strongly negative words are named as such
    assert "strongly_negative_words" in scored["markers"].iloc[1]
    assert "strongly_negative_words" not in scored["markers"].iloc[2]


def test_changed_weights_are_refused(tmp_path: Path, fresh_models: None) -> None:
    folder = Path(comments.__file__).parent
    for name in ("comment_weights.json", "comment_hashed.npz"):
        shutil.copy(folder / name, tmp_path / name)
    assert (
        comments.load_models(tmp_path / "comment_weights.json", comments.SHIPPED_WEIGHTS_SHA256).harsh.hashed
        is not None
    )
    with pytest.raises(CalibrationError, match="does not match the pinned"):
        comments.load_models(tmp_path / "comment_weights.json", "0" * 64)
    blob = bytearray((tmp_path / "comment_hashed.npz").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (tmp_path / "comment_hashed.npz").write_bytes(bytes(blob))
    with pytest.raises(CalibrationError, match="does not match the SHA-256"):
        comments.load_models(tmp_path / "comment_weights.json")
    with pytest.raises(CalibrationError, match="not found"):
        comments.load_models(tmp_path / "missing.json")


def test_weights_fitted_on_another_vector_table_are_refused(tmp_path: Path, fresh_models: None) -> None:
    folder = Path(comments.__file__).parent
    shutil.copy(folder / "comment_hashed.npz", tmp_path / "comment_hashed.npz")
    text = (folder / "comment_weights.json").read_text()
    table = comments.shipped_vectors().sha256
    (tmp_path / "comment_weights.json").write_text(text.replace(table, "f" * 64))
    with pytest.raises(CalibrationError, match="fitted on static vectors ffffffffffff"):
        comments.load_models(tmp_path / "comment_weights.json")


def test_fit_on_own_csv_writes_weights_that_scoring_uses(tmp_path: Path, fresh_models: None) -> None:
    rng = np.random.default_rng(0)
    rude = ["this is rubbish work", "what a pointless change", "stop wasting our time"]
    kind = ["thanks, could you add a test?", "nice cleanup, maybe rename it", "please document the flag"]
    texts = [(rude if i % 2 else kind)[int(rng.integers(3))] + f" in part {i}" for i in range(80)]
    path = tmp_path / "mine.csv"
    pd.DataFrame({"body": texts, "rude": [i % 2 for i in range(80)]}).to_csv(path, index=False)
    out = tmp_path / "weights" / "mine.json"
    lines = fit_csv(path, "body", "rude", out, target="harsh", k=4)
    digest = next(line for line in lines if "sha256" in line).split("sha256 ")[1].rstrip(")")
    assert out.is_file() and (out.parent / "mine_hashed.npz").is_file()
    models = comments.use_weights(out, digest)
    assert models.harsh.dense is not None  # refitted with the comment vectors too
    assert models.validation["harsh_flag"]["method"].startswith("4-fold cross-validation")
    scored = comments.score_comments(pd.Series(["what a pointless change", "please document the flag"]))
    assert scored["harsh"].tolist() == [True, False]
    comments.use_weights(None)
    assert comments.active_models().sha256 == comments.SHIPPED_WEIGHTS_SHA256


def test_cli_fit_then_config_points_scoring_at_the_new_weights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fresh_models: None
) -> None:
    import argparse

    from analyzer import cli

    texts = [("what a pointless rubbish change" if i % 2 else "thanks, please add a test") + f" {i}" for i in range(40)]
    csv = tmp_path / "mine.csv"
    pd.DataFrame({"body": texts, "rude": [i % 2 for i in range(40)]}).to_csv(csv, index=False)
    args = ["calibrate", "--csv", str(csv), "--text-column", "body", "--label-column", "rude", "--target", "harsh"]
    assert cli.main([*args, "--folds", "3", "--fit", str(tmp_path / "w" / "mine.json")]) == 0
    out = capsys.readouterr().out
    digest = out.split('comment_weights_sha256 = "')[1].split('"')[0]
    config = tmp_path / "config.toml"
    config.write_text(f'[scores]\ncomment_weights = "w/mine.json"\ncomment_weights_sha256 = "{digest}"\n')
    cli._config(argparse.Namespace(config=str(config)))
    assert comments.active_models().sha256 == digest != comments.SHIPPED_WEIGHTS_SHA256
    config.write_text(f'[scores]\ncomment_weights = "w/mine.json"\ncomment_weights_sha256 = "{"1" * 64}"\n')
    assert cli.main(["score", "--config", str(config), "--store", str(tmp_path / "none.sqlite")]) != 0
    assert "does not match the pinned" in capsys.readouterr().err
