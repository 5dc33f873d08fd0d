"""Review rounds of one PR: first reviews, the author's answers and fixes, then re-reviews.

The rubber-stamp path approves minutes after the last push with no inline comment. Substantive reviews
open threads on real diff lines; the author answers some, pushes commits that rewrite some commented
lines (the thread then becomes outdated: feedback "landed") and resolves most of those threads.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime

from analyzer.demo.clock import after
from analyzer.demo.code import followup_patch
from analyzer.demo.episode import PRBuild, ThreadState
from analyzer.demo.people import Person, Tone
from analyzer.demo.texts import authoring, fill, inline, inline_comment, pick_tone, replies, review_body

_LAND_CHANCE: dict[str, float] = {
    "nit": 0.8,
    "suggestion": 0.8,
    "kind": 0.7,
    "neutral": 0.6,
    "terse": 0.6,
    "conventional": 0.6,
    "question": 0.35,
    "harsh": 0.55,
    "foreign": 0.5,
    "praise": 0.0,
    "emoji": 0.0,
}
_STAMP_MINUTES = (2.0, 25.0)  # how soon after the last push a rubber stamp lands


def _comment_count(build: PRBuild, person: Person) -> int:
    if build.plan.mega_review and person is build.plan.reviewers[0]:
        return build.plan.mega_review
    size_factor = min(max(0.5 + math.log10(build.plan.size + 1) / 2, 0.5), 2.0)
    return round(person.style.comments_mean * size_factor * build.rng.uniform(0.3, 1.7))


def _stamps(build: PRBuild, person: Person) -> bool:
    style = person.style
    chance = style.stamp_large if build.plan.large else style.stamp_small
    return build.rng.random() < chance


def _stamp(build: PRBuild, person: Person) -> None:
    lo, hi = _STAMP_MINUTES if person.trait == "rubber_stamper" else (5.0, 300.0)
    at = after(build.rng, max(build.last_push, build.plan.created_at), lo, hi)
    if build.fits(at):
        build.new_review(person, "APPROVED", build.rng.choice(inline.TRIVIAL_APPROVALS), at)


def _state(build: PRBuild, person: Person, n_comments: int) -> str:
    roll = build.rng.random()
    if n_comments and roll < person.style.changes_requested:
        return "CHANGES_REQUESTED"
    return "APPROVED" if roll > 0.75 or n_comments == 0 else "COMMENTED"


def first_review(build: PRBuild, person: Person) -> str | None:
    """The reviewer's first review; returns its state (None when nothing happened before the horizon)."""
    forced = build.plan.first_inline is not None and person is build.plan.reviewers[0]
    if _stamps(build, person) and not forced:
        _stamp(build, person)
        return "APPROVED"
    count = max(_comment_count(build, person), 1 if forced else 0)
    start = max(build.last_push, build.plan.created_at)
    # a scripted first comment (the hostile template, two days before "now") always lands before the horizon
    at = after(build.rng, start, 20 + 2 * count, 600 if forced else 2880)
    if not build.fits(at):
        return None
    state = _state(build, person, count)
    repeats = build.round_copies() if state == "CHANGES_REQUESTED" else 1
    if repeats == 0:
        state = "COMMENTED"  # a stronger PR (analyzer.demo.causal): the comments no longer block it
    main_tone: Tone = "harsh" if person.trait == "harsh_reviewer" and build.rng.random() < 0.6 else "neutral"
    if person.trait == "mentor":
        main_tone = "kind"
    review = build.new_review(person, state, review_body(build.rng, state, main_tone, count), at)
    for index in range(count):
        anchor = build.pick_anchor()
        if anchor is None:
            break
        tone = pick_tone(build.rng, person.style)
        slots = build.slots_for(anchor)
        body = inline_comment(build.rng, tone, slots, person.style, person.lang, anchor.text.strip() + "  # fixed")
        if index == 0 and build.plan.first_inline and person is build.plan.reviewers[0]:
            body = build.plan.first_inline
        written = at - (count - index) * (at - start) / (count + 2)
        build.open_thread(review, person, anchor, tone, body, written.replace(microsecond=0), slots)
    _request_again(build, person, main_tone, at, repeats - 1)
    return state


def _request_again(build: PRBuild, person: Person, tone: Tone, since: datetime, times: int) -> None:
    """Further changes requests by ``person`` (a weaker PR needs more rounds: analyzer.demo.causal)."""
    for _ in range(times):
        since = after(build.rng, since, 30, 600)
        if not build.fits(since):
            return
        build.new_review(person, "CHANGES_REQUESTED", review_body(build.rng, "CHANGES_REQUESTED", tone, 0), since)


def _reply(build: PRBuild, thread: ThreadState, person: Person, body: str, lo: float, hi: float) -> bool:
    """``person`` answers in ``thread`` (a reply is its own one-comment review, as on GitHub)."""
    at = after(build.rng, thread.last_at, lo, hi)
    if not build.fits(at):
        return False
    review = build.new_review(person, "COMMENTED", "", at)
    build.new_inline(review, person, thread.anchor, body, at, thread)
    return True


def _newcomer_dialogue(build: PRBuild, thread: ThreadState) -> None:
    """A newcomer asks about the feedback and the reviewer explains (the mentoring pattern)."""
    rng = build.rng
    pick = rng.randrange(len(replies.NEWCOMER_QUESTIONS))  # questions and mentor answers are paired
    question = replies.NEWCOMER_QUESTIONS[pick].format(**thread.slots.as_dict())
    if not _reply(build, thread, build.author, question, 10, 600):
        return
    teacher = thread.reviewer
    if teacher.trait == "mentor":
        answer = replies.MENTOR_ANSWERS[pick].format(**thread.slots.as_dict())
    elif teacher.trait == "harsh_reviewer":
        answer = rng.choice(("It's in the docs. Read them.", "Obviously not. Figure it out.", "Just look at the code."))
    else:
        answer = rng.choice(replies.REVIEWER_FOLLOWUPS)
    if _reply(build, thread, teacher, answer, 20, 900) and rng.random() < 0.5:
        _reply(build, thread, build.author, rng.choice(replies.NEWCOMER_THANKS), 10, 600)


def _answer(build: PRBuild, thread: ThreadState, landed: bool) -> None:
    tone = thread.tone
    if build.author.role == "bot":
        return  # dependency bots never answer review comments
    if tone in ("praise", "emoji"):
        if build.rng.random() < 0.2:
            _reply(build, thread, build.author, build.rng.choice(("Thanks!", "🙏", "Thank you!")), 5, 600)
        return
    if build.newcomer_author and thread.reviewer.trait != "rubber_stamper" and build.rng.random() < 0.45:
        _newcomer_dialogue(build, thread)
        return
    if tone == "harsh":
        templates = replies.AFTER_HARSH
    elif landed:
        templates = replies.DONE
    else:
        templates = replies.PUSHBACK if build.rng.random() < 0.35 else replies.DONE
    chance = 0.75 if tone in ("question", "conventional") else 0.55
    if build.rng.random() < chance:
        slots = build.slots_for(thread.anchor)
        thread.replied = _reply(build, thread, build.author, fill(build.rng, templates, slots), 5, 900)
        if thread.replied and build.rng.random() < 0.25 and thread.reviewer.trait != "harsh_reviewer":
            _reply(build, thread, thread.reviewer, build.rng.choice(replies.REVIEWER_FOLLOWUPS), 10, 900)


def _land(build: PRBuild, threads: list[ThreadState]) -> None:
    """The author pushes a commit rewriting the commented lines; those threads become outdated."""
    pushes = build.round_copies()
    if pushes == 0:
        return  # a stronger PR (analyzer.demo.causal): the author did not need to change these lines
    latest = max([build.last_push, *(t.last_at for t in threads)])
    at = after(build.rng, latest, 15, 1440)
    if not build.fits(at):
        return
    files = [followup_patch(build.rng, t.anchor) for t in threads]
    message = fill(build.rng, authoring.COMMIT_FEEDBACK, threads[0].slots)
    commit = build.new_commit(message, at, files)
    for _ in range(pushes - 1):  # a weaker PR: the first fix was not enough
        at = after(build.rng, at, 10, 600)
        if not build.fits(at):
            break
        again = [followup_patch(build.rng, t.anchor) for t in threads]
        commit = build.new_commit(fill(build.rng, authoring.COMMIT_FEEDBACK, threads[0].slots), at, again)
    for state in threads:
        state.thread.is_outdated = True
        state.thread.line = None
        state.last_at = max(state.last_at, at)
        for comment_id in state.thread.comment_ids:
            comment = build.ctx.model.review_comments[comment_id]
            comment.line = None
        state.slots = replace(state.slots, sha=commit.sha[:7])


def _resolve(build: PRBuild, state: ThreadState, landed: bool) -> None:
    chance = 0.8 if landed else (0.3 if state.replied else 0.05)
    if build.rng.random() < chance:
        state.thread.is_resolved = True
        resolver = build.author if build.rng.random() < 0.6 else state.reviewer
        state.thread.resolved_by = None if resolver.role == "ghost" else resolver.login


def respond(build: PRBuild, opened: list[ThreadState]) -> None:
    """The author's side of one reviewer's threads: fixes, answers, resolutions."""
    landed = [t for t in opened if build.rng.random() < _LAND_CHANCE[t.tone]]
    for start in range(0, len(landed), 3):
        _land(build, landed[start : start + 3])
    for state in opened:
        was_landed = state in landed
        _answer(build, state, was_landed)
        _resolve(build, state, was_landed and state.thread.is_outdated)


def second_review(build: PRBuild, person: Person) -> None:
    """Re-review after the fixes: usually an approval with a short body."""
    mine = [t.last_at for t in build.threads if t.reviewer is person]
    mine += [r.submitted_at for r in build.reviews if r.author == person.login]
    start = max([build.plan.created_at, build.last_push, *mine])
    at = after(build.rng, start, 20, 1440)
    if not build.fits(at):
        return
    if person.trait == "harsh_reviewer":
        body = build.rng.choice(("Fine.", "Finally.", "ok", "Whatever, approving so we can move on."))
    else:
        body = build.rng.choice(
            (
                "Thanks, LGTM now!",
                "Looks good, thanks for the changes.",
                "LGTM",
                "",
                "Approving 👍",
                "Great, thanks!",
            )
        )
    build.new_review(person, "APPROVED", body, at)


def run_rounds(build: PRBuild) -> None:
    states: dict[str, str | None] = {}
    for person in build.plan.reviewers:
        before = len(build.threads)
        states[person.login] = first_review(build, person)
        respond(build, build.threads[before:])
    if build.plan.outcome == "closed" and build.rng.random() < 0.6:
        return
    for person in build.plan.reviewers:
        if states.get(person.login) in ("COMMENTED", "CHANGES_REQUESTED"):
            second_review(build, person)
