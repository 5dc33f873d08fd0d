"""Readability works offline: no download is ever attempted, even with cold caches."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analyzer.text.readability import readability

REPO = Path(__file__).resolve().parents[2]

OFFLINE_SCRIPT = """
import socket, nltk
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("network disabled in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
nltk.download = refuse
import pandas as pd
from analyzer.text.readability import readability
from analyzer.scores.comments import score_comments
ease, grade = readability("The cat sat on the mat. Reviews should explain why a change is needed.")
scores = score_comments(pd.Series(["Thanks, could you add a test here?"]))
assert attempts == [], attempts
assert 0 < ease < 120 and -5 < grade < 20, (ease, grade)
assert bool(scores.loc[0, "lang_en"])
print("OFFLINE-OK")
"""


def test_scoring_and_readability_never_touch_the_network() -> None:
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PYTHONPATH": str(REPO),
            "NLTK_DATA": str(REPO / "no-such-dir"),
            "HOME": str(REPO / "no-such-home"),
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "OFFLINE-OK" in result.stdout


def test_simple_text_reads_easier_than_complex_text() -> None:
    easy_ease, easy_grade = readability("The cat sat. The dog ran. We had fun.")
    hard_ease, hard_grade = readability(
        "Notwithstanding considerable organisational heterogeneity, "
        "institutional interoperability necessitates "
        "comprehensive standardisation of administrative documentation."
    )
    assert easy_ease > hard_ease and easy_grade < hard_grade


def test_no_words_gives_zero() -> None:
    assert readability("") == (0.0, 0.0)
    assert readability("123 456") == (0.0, 0.0)
