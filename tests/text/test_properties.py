"""Property tests: the text pipeline never crashes and stays within bounds on arbitrary input."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.scores.comments import score_comments

MARKDOWN_PIECES = st.sampled_from(
    [
        "```",
        "````",
        "~~~",
        "```suggestion\n",
        "\n    code\n",
        "> quote\n",
        "<!--",
        "-->",
        "<details>",
        "</b>",
        "`x`",
        "@bob",
        "#12",
        "http://a.b/c",
        ":tada:",
        "\U0001f644",
        "!!",
        "??",
        "YOU ",
        "idiot",
        "thanks",
        "\n",
    ]
)
BODIES = st.lists(st.one_of(st.text(max_size=40), MARKDOWN_PIECES), max_size=12).map("".join)


def _assert_bounds(scores: pd.DataFrame) -> None:
    assert scores["considerate"].between(-1, 1).all()
    assert scores["harsh_prob"].between(0, 1).all()
    assert scores["useful_prob"].between(0, 1).all()
    assert (scores["n_prose_tokens"] >= 0).all()
    assert scores["comment_type"].notna().all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BODIES, min_size=1, max_size=5), st.lists(st.text(max_size=60), min_size=5, max_size=5))
def test_arbitrary_bodies_score_within_bounds(bodies: list[str], hunks: list[str]) -> None:
    series = pd.Series(bodies)
    scores = score_comments(series, pd.Series(hunks[: len(bodies)]))
    assert list(scores.index) == list(series.index)
    _assert_bounds(scores)


def test_empty_and_huge_bodies() -> None:
    huge = ("word " * 200_000) + "\n```\nunclosed"
    scores = score_comments(pd.Series(["", huge, "```" * 1000, "<" * 5000]))
    _assert_bounds(scores)
    assert scores.loc[0, "is_trivial"]
