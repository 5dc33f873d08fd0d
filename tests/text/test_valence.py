"""Word valence from the VADER lexicon: ratings, negation, software words, scaling (analyzer/text/valence.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from analyzer.scores.comments import featurize
from analyzer.text.valence import VALENCE_FEATURES, vader_lexicon


def _valence(*texts: str) -> pd.DataFrame:
    return featurize(pd.Series(list(texts)))[1][list(VALENCE_FEATURES)]


def test_lexicon_is_read_from_the_installed_package() -> None:
    lexicon = vader_lexicon()
    assert len(lexicon) > 7000
    assert lexicon["horrible"] < -2 < 2 < lexicon["excellent"]


def test_negative_and_positive_words_score_on_their_own_side() -> None:
    rows = _valence("this design is horrible and stupid", "excellent work, great idea", "rename the variable")
    assert rows["valence_neg"].tolist()[2] == 0 == rows["valence_pos"].tolist()[2]
    assert rows["valence_neg"].iloc[0] > 1 and rows["valence_pos"].iloc[0] == 0
    assert rows["valence_pos"].iloc[1] > 1 and rows["valence_neg"].iloc[1] == 0
    assert rows["strong_negative"].iloc[0] == 2 and rows["valence_min"].iloc[0] == pytest.approx(2.5)


def test_negation_flips_and_damps_a_rating() -> None:
    plain, negated = _valence("this is good", "this is not good").itertuples(index=False)
    assert plain.valence_pos > 0 and plain.valence_neg == 0
    assert negated.valence_pos == 0 and negated.valence_neg > 0
    assert negated.valence_min == pytest.approx(vader_lexicon()["good"] * 0.74)  # the most negative rating


def test_software_states_are_not_judgements() -> None:
    rows = _valence("the test failed with a fatal error, kill the dead process", "this code is bad")
    assert rows.iloc[0].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert rows["valence_neg"].iloc[1] > 0


def test_long_comments_are_not_negative_by_volume_alone() -> None:
    short = _valence("this is bad")["valence_neg"].iloc[0]
    padded = _valence("this is bad " + "and we rename the helper in the module " * 10)["valence_neg"].iloc[0]
    assert 0 < padded < short / 3
