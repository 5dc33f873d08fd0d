"""§0.3 normalisation: prose vs signals."""

from __future__ import annotations

import pandas as pd

from analyzer.text.normalize import normalize_comment, normalize_comments


def test_html_comment_and_suggestion_block_are_removed() -> None:
    out = normalize_comment("<!-- template text -->\nPlease rename this.\n```suggestion\nnew_name = 1\n```\n")
    assert out["has_suggestion"] is True
    assert "template" not in str(out["prose"]) and "new_name" not in str(out["prose"])
    assert "rename" in str(out["prose"])


def test_nested_fences_are_removed_as_one_block() -> None:
    out = normalize_comment("Before text\n````md\n```py\nsecret_code()\n```\n````\nafter text")
    assert "secret_code" not in str(out["prose"])
    assert "after text" in str(out["prose"])


def test_unclosed_fence_runs_to_the_end() -> None:
    out = normalize_comment("Look at this trace please\n```\nTraceback: idiot error\nmore")
    assert "idiot" not in str(out["prose"])
    assert int(out["n_code_blocks"]) == 1  # type: ignore[call-overload]


def test_indented_code_and_quotes_are_dropped() -> None:
    out = normalize_comment(
        "> you wrote this stupid thing\nI think we should test it\n\n    stupid_var = 1\n"
    )
    assert out["has_quote"] is True
    assert "stupid" not in str(out["prose"])


def test_inline_code_urls_mentions_refs_become_tokens() -> None:
    out = normalize_comment("@alice see https://example.com/a?b=1 and #42, rename `foo_bar`")
    prose = str(out["prose"])
    for token in ("MENTION", "URL", "REF", "CODE"):
        assert token in prose
    assert "example.com" not in prose and "foo_bar" not in prose
    assert (out["n_urls"], out["n_mentions"], out["n_refs"], out["n_inline_code"]) == (1, 1, 1, 1)


def test_emoji_and_shortcodes_map_to_classes() -> None:
    out = normalize_comment("great work \U0001f389 :tada: but \U0001f644 :facepalm:")
    prose = str(out["prose"])
    assert prose.count("EMOJIPOS") == 2 and prose.count("EMOJINEG") == 2


def test_trivial_comments() -> None:
    frame = normalize_comments(
        pd.Series(["LGTM", "+1", "\U0001f44d", "", "This needs a test for the error path"])
    )
    assert frame["is_trivial"].tolist() == [True, True, True, True, False]


def test_language_gate() -> None:
    frame = normalize_comments(
        pd.Series(
            [
                "Could you please add a test for the empty case here?",
                "Это изменение ломает обратную совместимость, пожалуйста исправьте",
                "la fonction est trop longue et il faut la changer rapidement",
            ]
        )
    )
    assert frame["lang_en"].tolist() == [True, False, False]


def test_index_is_preserved_and_nulls_are_empty() -> None:
    frame = normalize_comments(pd.Series(["ok then", None], index=[10, 20]))
    assert list(frame.index) == [10, 20]
    assert frame.loc[20, "prose"] == ""
