"""Draft pull requests marked ready for review later: GitHub's ReadyForReviewEvent / ConvertToDraftEvent.

Some PRs open as drafts and are marked ready before their first review; some of those go back to draft
and are marked ready again (the outcome "time from ready-for-review to merge" starts at the last one);
some PRs that stay drafts were marked ready once and then taken back. Every toggle falls between the
PR's opening and its first review (or, without one, its last activity), so reviews, rounds and
``updated_at`` are exactly what they would be without drafts.

The draws come from a random stream of their own (``draft_stream``), never the generator's: the rest of
the demo (and the causal effects planted in its review rounds) is the same with or without drafts.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from analyzer.demo.context import BuildContext, login_of
from analyzer.demo.people import Person
from analyzer.fakegithub.model import DraftEventKind, PullRequest, Review

OPENED_AS_DRAFT = 0.2  # share of PRs (not bots', not still drafts) opened as a draft, marked ready later
TOGGLED_TWICE = 0.3  # of those: ready, back to draft, ready again
STILL_DRAFT_TOGGLED = 0.25  # share of PRs still drafts that were marked ready once and taken back
MIN_DRAFT_SPAN = timedelta(minutes=10)  # a shorter gap before the first review leaves no room for a draft
READY: DraftEventKind = "ready_for_review"
BACK: DraftEventKind = "convert_to_draft"


def draft_stream(seed: int) -> random.Random:
    """The random stream the drafts are drawn from (seeded apart from the generator's own)."""
    return random.Random(seed * 1_000_003 + 17)


def plant_draft_toggles(ctx: BuildContext, pr: PullRequest, author: Person, reviews: list[Review]) -> None:
    """Maybe open ``pr`` as a draft and mark it ready later (or toggle a PR that is still a draft)."""
    rng = ctx.draft_rng
    if rng is None or author.role in ("bot", "service"):
        return
    roll, shape = rng.random(), rng.random()
    chance = STILL_DRAFT_TOGGLED if pr.draft else OPENED_AS_DRAFT
    if roll >= chance:
        return
    end = _first_other_activity(pr, reviews)
    span = end - pr.created_at
    if span < MIN_DRAFT_SPAN:
        return
    kinds: tuple[DraftEventKind, ...]
    shares: tuple[float, ...]
    if pr.draft:  # still a draft: marked ready once, then taken back
        kinds, shares = (READY, BACK), (0.3 + 0.3 * shape, 0.65 + 0.3 * shape)
    elif shape < TOGGLED_TWICE:
        kinds = (READY, BACK, READY)
        shares = (0.1 + 0.2 * rng.random(), 0.35 + 0.2 * rng.random(), 0.6 + 0.3 * rng.random())
    else:
        kinds, shares = (READY,), (0.3 + 0.6 * rng.random(),)
    for kind, share in zip(kinds, shares, strict=True):
        at = _at(pr.created_at, span, share)
        ctx.model.toggle_draft(pr, kind, at, login_of(author))


def _first_other_activity(pr: PullRequest, reviews: list[Review]) -> datetime:
    """The first review of the PR, else its close, else its last activity: the draft ends before it."""
    if reviews:
        return min(r.submitted_at for r in reviews)
    return pr.closed_at or pr.updated_at


def _at(start: datetime, span: timedelta, share: float) -> datetime:
    return (start + span * share).replace(microsecond=0)
