"""Test helpers: a tiny rule-based stand-in for score_comments and hand-built store tables.

The stand-in follows the score_comments column contract with transparent rules, so expected values in
tests can be computed by hand: 'thanks' -> considerate 0.5, 'stupid' -> harsh (considerate -0.8),
'because' -> rationale, backticks -> code, 'nit' prefix -> nit, '?' -> question, fewer than 3 words ->
trivial, 'thought:' prefix -> thought label, 'http' -> link, '```suggestion' -> suggestion.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from analyzer.frames import Frames, build_frames
from analyzer.scores.options import ScoringOptions

NOW = datetime(2024, 7, 1, tzinfo=UTC)


def stand_in_scorer(bodies: pd.Series, diff_hunks: pd.Series | None = None) -> pd.DataFrame:
    text = bodies.fillna("").astype(str)
    low = text.str.lower()
    tokens = low.str.split().str.len().fillna(0).astype(int)
    harsh = low.str.contains("stupid")
    thanks = low.str.contains("thanks")
    thought = low.str.startswith("thought:")
    nit = low.str.startswith("nit")
    question = low.str.contains("?", regex=False)
    code = low.str.contains("`", regex=False)
    sugg = low.str.contains("```suggestion", regex=False)
    considerate = thanks * 0.5 + harsh * -0.8
    markers = (
        thanks.map({True: "gratitude", False: ""}) + harsh.map({True: ";insult", False: ""})
    ).str.strip(";")
    ctype = pd.Series("other", index=text.index)
    ctype[question] = "question"
    ctype[nit] = "nit"
    ctype[thought] = "thought"
    return pd.DataFrame(
        {
            "prose": text,
            "n_prose_tokens": tokens,
            "is_trivial": tokens < 3,
            "lang_en": ~low.str.contains("¿"),
            "has_code": code,
            "has_suggestion": sugg,
            "has_quote": low.str.startswith(">"),
            "has_link": low.str.contains("http"),
            "has_question": question,
            "has_rationale": low.str.contains("because"),
            "shares_diff_identifier": False,
            "is_nit": nit,
            "cc_label": thought.map({True: "thought", False: ""}),
            "comment_type": pd.Categorical(ctype),
            "considerate": considerate.astype(float),
            "harsh_prob": harsh.astype(float),
            "harsh": harsh,
            "useful_prob": 0.5,
            "specific": code | sugg,
            "markers": markers,
        },
        index=bodies.index,
    )


def ts(day: int, hour: int = 0, month: int = 6) -> str:
    return f"2024-{month:02d}-{day:02d}T{hour:02d}:00:00Z"


def pr(pr_id: int, author: str, **kw: Any) -> dict[str, Any]:
    row = {
        "pr_id": pr_id,
        "repo": "o/r",
        "number": pr_id,
        "title": f"PR {pr_id}",
        "body": "",
        "author": author,
        "author_type": "User",
        "state": "MERGED",
        "draft": 0,
        "created_at": ts(1),
        "closed_at": None,
        "merged_at": ts(20),
        "additions": 10,
        "deletions": 0,
        "changed_files": 1,
        "url": f"https://gh/o/r/pull/{pr_id}",
    }
    row.update(kw)
    return row


def rc(cid: int, pr_id: int, author: str, body: str, **kw: Any) -> dict[str, Any]:
    row = {
        "comment_id": cid,
        "pr_id": pr_id,
        "review_id": None,
        "thread_id": None,
        "in_reply_to_id": None,
        "author": author,
        "author_type": "User",
        "body": body,
        "path": "src/a.py",
        "line": 3,
        "original_line": 3,
        "diff_hunk": "@@",
        "commit_sha": "c0",
        "original_commit_sha": "c0",
        "created_at": ts(2),
        "updated_at": ts(2),
        "url": f"https://gh/rc/{cid}",
    }
    row.update(kw)
    return row


def ic(cid: int, pr_id: int, author: str, body: str, **kw: Any) -> dict[str, Any]:
    row = {
        "comment_id": cid,
        "pr_id": pr_id,
        "author": author,
        "author_type": "User",
        "body": body,
        "created_at": ts(2),
        "updated_at": ts(2),
        "url": f"https://gh/ic/{cid}",
        "via_app": 0,
    }
    row.update(kw)
    return row


def review(
    rid: int, pr_id: int, author: str, state: str = "APPROVED", body: str = "", **kw: Any
) -> dict[str, Any]:
    row = {
        "review_id": rid,
        "pr_id": pr_id,
        "author": author,
        "author_type": "User",
        "state": state,
        "body": body,
        "submitted_at": ts(3),
        "commit_sha": "c0",
        "url": f"https://gh/rv/{rid}",
    }
    row.update(kw)
    return row


def frames_of(options: ScoringOptions | None = None, **tables: list[dict[str, Any]]) -> Frames:
    opts = options or ScoringOptions(now=NOW)
    return build_frames({k: pd.DataFrame(v) for k, v in tables.items()}, opts)
