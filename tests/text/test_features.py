"""Each §1.2 marker fires on a tiny hand example and stays quiet on a neutral one."""

from __future__ import annotations

import pandas as pd
import pytest

from analyzer.scores.comments import featurize

NEUTRAL = "This function returns the value from the cache"

CASES = [
    ("gratitude", "Thanks for fixing the parser"),
    ("deference", "Nice. The loop reads better now"),
    ("indirect", "By the way the docs mention this flag"),
    ("please", "Could this be renamed please"),
    ("please_start", "Please rename this variable"),
    ("counterfactual", "Could you split this function"),
    ("greeting", "Hi, the test fails on windows"),
    ("apology", "Sorry, I misread the diff earlier"),
    ("hedge", "Maybe this belongs in the helper"),
    ("first_plural", "We could cache this result"),
    ("negative", "This naming is confusing"),
    ("direct_question", "Why is this loop here"),
    ("direct_question_you", "Why did you change the default"),
    ("second_person_start", "You need to handle the timeout"),
    ("factuality", "Actually the cache is never cleared"),
    ("direct_start", "So the value is always null"),
    ("person_targeted", "you obviously didn't read the docs"),
    ("rationale", "Use a set here because lookups are faster"),
    ("minimiser", "Obviously this should be a constant"),
    ("shouting", "This is NOT WHAT we agreed"),
    ("profanity", "this f*ck*ng test is flaky again"),
    ("insult", "only an idiot would write this"),
    ("harsh_word", "this is a pathetic excuse for a test"),
    ("emoji_pos", "works for me \U0001f44d now"),
    ("emoji_neg", "another global variable \U0001f644 here"),
    ("cc_label", "suggestion: extract the parser into a module"),
    ("nit", "nit: trailing whitespace on this line"),
    ("question", "Is this thread safe?"),
    ("self_directed", "Oops, I'm such an idiot, fixed now"),
    ("impatience", "Any update on this? It has been broken for months"),
    ("frustration", "This is a waste of time, I give up"),
    ("mocking", "Oh great, another release that breaks everything, slow clap"),
    ("entitlement", "We pay for this product, just fix it already"),
    ("threat", "We will switch to another library if this stays"),
    ("rhetorical", "How hard is it to read the changelog"),
    ("you_question", "Did you run the tests before pushing?"),
    ("strong_negative", "This design is horrible and stupid"),
]


@pytest.mark.parametrize(("feature", "text"), CASES)
def test_marker_fires_and_neutral_text_is_quiet(feature: str, text: str) -> None:
    _, features = featurize(pd.Series([text, NEUTRAL]))
    assert features.loc[0, feature] > 0, f"{feature} did not fire on {text!r}"
    assert features.loc[1, feature] == 0, f"{feature} fired on neutral text"


def test_se_vocabulary_is_not_negative() -> None:
    texts = [
        "kill the process and dump the core after the fatal error",
        "garbage collection returns a bad request",
    ]
    _, features = featurize(pd.Series([*texts, "this is garbage"]))
    assert (features.loc[:1, "negative"] == 0).all() and (features.loc[:1, "harsh_word"] == 0).all()
    assert features.loc[2, "harsh_word"] > 0


def test_obfuscated_profanity_variants() -> None:
    texts = ["what the fuck", "sh1t happens", "f**k this", "wtf is this", "bullsh!t"]
    _, features = featurize(pd.Series(texts))
    assert (features["profanity"] > 0).all()


def test_acronyms_are_not_shouting() -> None:
    _, features = featurize(pd.Series(["The API returns JSON over HTTP with a UUID"]))
    assert features.loc[0, "shouting"] == 0


def test_compound_with_hyphen_is_not_an_insult() -> None:
    _, features = featurize(pd.Series(["make this more idiot-proof for readers"]))
    assert features.loc[0, "insult"] == 0
