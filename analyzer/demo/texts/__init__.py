"""The demo's text library: comment, review, title and commit texts built from templates with slots.

Every text is this project's own writing. Functions take the generator's ``random.Random`` so the
output is reproducible.
"""

from __future__ import annotations

import random

from analyzer.demo.people import ReviewStyle, Tone
from analyzer.demo.texts import authoring, conversation, foreign, inline, replies
from analyzer.demo.texts.slots import DOC_LINKS, Slots, fill

__all__ = [
    "DOC_LINKS",
    "Slots",
    "fill",
    "authoring",
    "conversation",
    "foreign",
    "inline",
    "replies",
    "inline_comment",
    "pick_tone",
    "review_body",
    "suggestion_comment",
]

_TONE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "kind": inline.KIND,
    "neutral": inline.NEUTRAL,
    "terse": inline.TERSE,
    "nit": inline.NIT,
    "praise": inline.PRAISE,
    "question": inline.QUESTION,
    "conventional": inline.CONVENTIONAL,
    "emoji": inline.EMOJI,
}


def pick_tone(rng: random.Random, style: ReviewStyle) -> Tone:
    tones = [tone for tone, _ in style.tones]
    weights = [weight for _, weight in style.tones]
    return rng.choices(tones, weights)[0]


def _rationale(rng: random.Random, style: ReviewStyle, slots: Slots) -> str:
    """A "because ..." clause and maybe a docs link: the teaching cues scorers look for."""
    text = ""
    if rng.random() < style.rationale:
        clause = rng.choice(inline.RATIONALE).format(**slots.as_dict())
        text = f" {rng.choice(inline.RATIONALE_LEADS)}{clause}."
    if rng.random() < style.doc_link:
        text += f" See {slots.doc} for details."
    return text


def harsh_comment(rng: random.Random, slots: Slots) -> str:
    return fill(rng, inline.HARSH, slots) + rng.choice(inline.HARSH_SUFFIXES)


def foreign_comment(rng: random.Random, lang: str | None, slots: Slots) -> str:
    key = lang if lang in foreign.FOREIGN else rng.choice(sorted(foreign.FOREIGN))
    return fill(rng, foreign.FOREIGN[key], slots)


def suggestion_comment(rng: random.Random, slots: Slots, new_line: str, style: ReviewStyle) -> str:
    lead = rng.choice(inline.SUGGESTION_LEADS)
    block = f"```suggestion\n{new_line}\n```"
    return f"{lead}{_rationale(rng, style, slots)}\n\n{block}"


def inline_comment(
    rng: random.Random, tone: Tone, slots: Slots, style: ReviewStyle, lang: str | None, new_line: str
) -> str:
    """One inline comment of ``tone``; kind and neutral comments may carry a rationale."""
    if tone == "harsh":
        return harsh_comment(rng, slots)
    if tone == "foreign":
        return foreign_comment(rng, lang, slots)
    if tone == "suggestion":
        return suggestion_comment(rng, slots, new_line, style)
    text = fill(rng, _TONE_TEMPLATES[tone], slots)
    if tone in ("kind", "neutral", "conventional", "question"):
        text += _rationale(rng, style, slots)
    return text


def review_body(rng: random.Random, state: str, tone: Tone, n_comments: int) -> str:
    """The top-level body of a review that also has ``n_comments`` inline comments."""
    if tone == "harsh":
        return rng.choice(
            (
                "This needs a lot more work.",
                "Not ready. Did you even run it?",
                "Too many problems, see inline!!",
                "I don't understand why this was opened.",
                "",
                "Please fix the obvious issues before asking for review.",
            )
        )
    if state == "APPROVED":
        return rng.choice(
            (
                "",
                "LGTM",
                "Looks good, thanks!",
                "Approving, the nits are optional.",
                "Nice work 🎉",
                "LGTM once CI is green.",
                "👍",
            )
        )
    if state == "CHANGES_REQUESTED":
        return rng.choice(
            (
                f"A few things to address before merging, see the {n_comments} comments inline.",
                "Requesting changes for the error handling; the rest is minor.",
                "Close! Two blocking issues inline.",
                "",
            )
        )
    if tone == "kind":
        return rng.choice(
            (
                "Thanks for this! A few thoughts inline, nothing blocking.",
                "Great start. I left some suggestions - happy to pair if useful.",
                "",
                "",
            )
        )
    return rng.choice(("", "", "Some comments inline.", "Left a few questions."))
