"""Words for what the scorer writes in its own shorthand: evidence kinds, markers, references and notes.

Only text the scorer generated goes through ``tidy``; what people wrote (comment bodies, titles) is
shown exactly as written.
"""

from __future__ import annotations

import re

from analyzer.scores.options import ScoringOptions

# teaching reviews a newcomer needs from someone to count in their "Newcomers mentored" (the scorer's rule)
MENTORED_AT = ScoringOptions.mentoring_min_interactions
ID_REF = re.compile(r"^[a-z]{1,8}:\d+$")  # the scorer's internal ids ("rc:1600026665", "pr:19000027")
_URL_PLACE = re.compile(r"^https?://[^/]+/(?:repos/)?([^/]+/[^/]+)/(pull|issues|commit|actions/runs)/([0-9A-Za-z]+)")
KIND_WORDS = {
    "comment": "comment",
    "review_comment": "inline comment",
    "issue_comment": "conversation comment",
    "review": "review",
    "episode": "review",
    "pr": "pull request",
    "commit": "commit",
    "run": "CI run",
}
MARKER_WORDS = {
    "code": "refers to code",
    "diff_identifier": "names code from the change",
    "rationale": "gives a reason",
    "suggestion": "suggests a fix",
    "link": "links a source",
    "question": "asks a question",
    "deference": "leaves the decision to the author",
    "positive": "positive tone",
    "negative": "negative tone",
    "first_plural": "says 'we'",
    "shouting": "shouting (capitals or !!!)",
    "profanity": "profanity",
    "harsh_word": "harsh word",
    "exasperation": "exasperation",
    "nit": "marked as a nit",
    "thanks": "thanks",
}
# the scorer's notes on PRs, episodes and commits, in words (applied in order)
_TIDY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bT = (\d+(?:\.\d+)?)"), r"thoroughness \1 (0 to 1)"),
    (re.compile(r"\b1 (review round|substantive comment|comment|later PR|file|PR)s\b"), r"1 \1"),
    (re.compile(r"\b1 (later PR|PR)\(s\)"), r"1 \1"),
    (re.compile(r"\((s)\)"), "s"),
    (re.compile(r"\bPR(s?)\b"), r"pull request\1"),
    (re.compile(r"\(weighted (\d+(?:\.\d+)?)\)"), r"(\1 after weighting)"),
]


def tidy(note: str) -> str:
    """A note the scorer generated, in plain words ('1 review rounds' -> '1 review round')."""
    for pattern, repl in _TIDY:
        note = pattern.sub(repl, note)
    return note


def marker_words(marker: str) -> str:
    return MARKER_WORDS.get(marker, marker.replace("_", " "))


def where_from_url(url: str) -> str:
    """'acme/api#123' (or 'acme/api@1a2b3c4' for a commit) from a GitHub link; '' when it is not one."""
    m = _URL_PLACE.match(url)
    if m is None:
        return ""
    repo, kind, ident = m.groups()
    if kind == "commit":
        return f"{repo}@{ident[:7]}"
    if kind == "actions/runs":
        return f"{repo} run {ident}"
    return f"{repo}#{ident}"
