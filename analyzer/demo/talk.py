"""The conversation tab of a PR: people pinging and thanking, and bots posting template comments."""

from __future__ import annotations

from datetime import datetime

from analyzer.demo.clock import after
from analyzer.demo.context import login_of
from analyzer.demo.episode import PRBuild
from analyzer.demo.layouts import LAYOUTS, is_doc_path
from analyzer.demo.people import Person
from analyzer.demo.texts import conversation, fill, foreign
from analyzer.fakegithub.model import IssueComment


def _add_comment(
    build: PRBuild, person: Person, body: str, at: datetime, updated: datetime | None = None
) -> IssueComment | None:
    if not build.fits(at):
        return None
    edited = updated if updated is not None and build.fits(updated) and updated > at else at
    comment = IssueComment(
        id=build.ctx.ids.take("issue_comment"),
        repo=build.plan.repo,
        issue_number=build.pr.number,
        author=login_of(person),
        body=body,
        created_at=at,
        updated_at=edited,
    )
    build.ctx.model.issue_comments[comment.id] = comment
    build.comments.append(comment)
    return comment


def _coverage(build: PRBuild) -> None:
    """qa-automation edits one coverage comment after every push: a human-looking template bot."""
    if LAYOUTS[build.plan.repo].language != "Python" or build.plan.kind in ("docs", "onboarding"):
        return
    rng = build.rng
    bot = build.ctx.people["qa-automation"]
    body = conversation.COVERAGE_TEMPLATES[0].format(
        cov=rng.uniform(71, 94),
        delta=rng.uniform(-1.5, 1.5),
        files=len(build.diffs),
        lines=rng.randint(800, 9000),
    )
    first = after(rng, build.commits[0].committed_at, 4, 12)
    first = max(first, build.plan.created_at)
    _add_comment(build, bot, body, after(rng, first, 1, 3), after(rng, build.last_push, 4, 12))


def _bots(build: PRBuild) -> None:
    rng = build.rng
    _coverage(build)
    if any(is_doc_path(d.file.path) for d in build.diffs) and rng.random() < 0.8:
        actions = build.ctx.people["github-actions[bot]"]
        body = conversation.PREVIEW_TEMPLATE.format(pr=build.pr.number, sha=build.commits[-1].sha[:7])
        _add_comment(build, actions, body, after(rng, max(build.last_push, build.plan.created_at), 3, 9))
    if build.pr.merged_at is not None and build.plan.repo in ("docs-portal", "api-gateway"):
        notes = build.ctx.people["release-notes[bot]"]
        section = {"bugfix": "Fixes", "docs": "Documentation"}.get(build.plan.kind, "Changes")
        _add_comment(
            build,
            notes,
            conversation.RELEASE_NOTES_TEMPLATE.format(section=section),
            after(rng, build.pr.merged_at, 0.5, 2),
        )


def _people_talk(build: PRBuild, end: datetime) -> None:
    rng = build.rng
    author, slots = build.author, build.slots_for(None)
    start = build.plan.created_at

    def add_comment(person: Person, body: str, at: datetime) -> IssueComment | None:
        # Nobody chats on a PR after it was closed, except the closing words below.
        return _add_comment(build, person, body, at) if at <= end else None

    if rng.random() < 0.45:
        add_comment(author, fill(rng, conversation.AUTHOR_PINGS, slots), after(rng, start, 30, 2880))
    if author.lang and rng.random() < 0.35:
        add_comment(author, rng.choice(foreign.FOREIGN_CONVERSATION[author.lang]), after(rng, start, 60, 2880))
    humans = [p for p in build.plan.reviewers if p.style.comments_mean > 0]
    if humans and rng.random() < 0.3:
        add_comment(rng.choice(humans), fill(rng, conversation.REVIEWER_NOTES, slots), after(rng, start, 60, 4000))
    if build.plan.kind == "deps" and humans and rng.random() < 0.15:
        asked = add_comment(humans[0], "@dependabot rebase", after(rng, start, 60, 1440))
        if asked is not None:
            add_comment(
                build.ctx.people["dependabot[bot]"],
                conversation.DEPENDABOT_RECREATE,
                after(rng, asked.created_at, 0.2, 1),
            )
    # scripted notes come after the review rounds (the newest words on the PR) and always land
    settled = max([start, *(r.submitted_at for r in build.reviews)])
    for person, body in build.plan.notes:
        add_comment(person, body, min(after(rng, settled, 5, 60), end))
    _closing_words(build, end)


def _closing_words(build: PRBuild, end: datetime) -> None:
    rng = build.rng
    if build.pr.merged_at is not None:
        thanks = 0.7 if build.newcomer_author else 0.12
        if rng.random() < thanks and build.author.role != "bot":
            _add_comment(build, build.author, rng.choice(conversation.THANKS), after(rng, end, 1, 120))
    elif build.pr.closed_at is not None and rng.random() < 0.6:
        closer = build.ctx.people.get(build.pr.merged_by or "", build.author)
        _add_comment(build, closer, fill(rng, conversation.CLOSE_NOTES, build.slots_for(None)), build.pr.closed_at)


def talk(build: PRBuild, end: datetime) -> None:
    _bots(build)
    _people_talk(build, end)
