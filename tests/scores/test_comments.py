"""Per-comment scorer: output contract, rules of §1.2, specificity of §2.2."""

from __future__ import annotations

import pandas as pd

from analyzer.scores.comments import OUTPUT_COLUMNS, score_comment, score_comments


def test_columns_index_and_types() -> None:
    bodies = pd.Series(["Thanks! Could you add a test?", "LGTM"], index=["a", "b"])
    scores = score_comments(bodies)
    assert list(scores.columns) == list(OUTPUT_COLUMNS)
    assert list(scores.index) == ["a", "b"]
    assert scores["comment_type"].dtype == "category"
    assert scores["n_prose_tokens"].dtype.kind == "i"


def test_polite_comment_beats_rude_comment() -> None:
    polite = score_comment(
        "Thanks for this! Could you maybe add a test for the empty list, since it crashes?"
    )
    rude = score_comment("Why did you do this? This is stupid and ugly, you obviously didn't test it!!")
    assert float(polite["considerate"]) > 0 > float(rude["considerate"])  # type: ignore[arg-type]
    assert float(rude["harsh_prob"]) > float(polite["harsh_prob"])  # type: ignore[arg-type]
    assert rude["harsh"] is True and polite["harsh"] is False
    assert "gratitude" in str(polite["markers"]) and "person_targeted" in str(rude["markers"])


def test_insult_sets_harsh_but_self_deprecation_does_not() -> None:
    assert score_comment("Whoever wrote this is an idiot, rewrite the parser with a proper grammar")["harsh"]
    assert not score_comment("Oops, I'm such an idiot. Fixed the off-by-one in `parse_args`, thanks")["harsh"]


def test_vague_negative_reads_harsher_than_specific() -> None:
    # (the old "destructive" rule that flagged every vague negative comment was dropped in issue 12: on
    # left-out labelled sets it was mostly false alarms; the learned probability still ranks them apart)
    vague = score_comment("This whole thing is a mess.")
    specific = score_comment(
        "This is a mess: `parse_args` re-reads the file because the cache key ignores `mode`."
    )
    assert float(vague["harsh_prob"]) > float(specific["harsh_prob"])  # type: ignore[arg-type]
    assert specific["specific"] is True and vague["specific"] is False


def test_diff_identifier_overlap() -> None:
    hunk = "@@ -1,3 +1,3 @@\n-def load_config(path):\n+def load_config(path, strict=False):"
    scores = score_comments(
        pd.Series(["Should load_config default to strict?", "Looks fine to me overall"]),
        pd.Series([hunk, hunk]),
    )
    assert scores["shares_diff_identifier"].tolist() == [True, False]
    assert bool(scores.loc[0, "specific"])


def test_conventional_comment_labels_and_types() -> None:
    scores = score_comments(
        pd.Series(
            [
                "praise: lovely cleanup of the retry loop",
                "issue (blocking): this drops the last element",
                "nitpick: trailing whitespace here",
                "Is this thread safe?",
                "thought: we might move this into the store layer later",
            ]
        )
    )
    assert scores["cc_label"].tolist() == ["praise", "issue", "nitpick", "", "thought"]
    assert scores["comment_type"].tolist() == ["praise", "issue", "nit", "question", "thought"]
    assert scores["is_nit"].tolist() == [False, False, True, False, False]


def test_usefulness_prefers_concrete_requests_over_acknowledgements() -> None:
    scores = score_comments(
        pd.Series(
            [
                "done",
                "This should check `instance.host` before calling `_update` because the host may be None "
                "after a shelve.",
            ]
        )
    )
    assert scores.loc[1, "useful_prob"] > scores.loc[0, "useful_prob"]
    assert bool(scores.loc[1, "has_rationale"]) and bool(scores.loc[1, "has_code"])


def test_trivial_and_non_english_flags() -> None:
    scores = score_comments(pd.Series(["+1", "la fonction est trop longue et il faut la changer"]))
    assert scores["is_trivial"].tolist() == [True, False]
    assert scores["lang_en"].tolist() == [True, False]


def test_empty_series() -> None:
    scores = score_comments(pd.Series([], dtype=object))
    assert scores.empty and list(scores.columns) == list(OUTPUT_COLUMNS)
