"""Deliberately naive scorers: if these recover the built-in traits, a reasonable real scorer can too."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import timedelta

from analyzer.fakegithub.model import OrgModel, PullRequest

HARSH_MARKERS = (
    "did you even",
    "obviously",
    "!!",
    "garbage",
    "wtf",
    "crap",
    "damn",
    "seriously",
    "lazy",
    "sloppy",
    "mess",
    "you clearly",
    "you keep",
    "disaster",
    "terrible",
    "pointless",
    "🙄",
    "🤦",
    "read the docs",
    "ugh",
)
TEACHING_CUES = ("because", "since", "so that", "https://", "```suggestion")
TRIVIAL = {"", "lgtm", "+1", "lgtm 👍", "👍", ":shipit:", "ship it"}


def _large(pr: PullRequest) -> bool:
    return pr.additions + pr.deletions >= 500 or len(pr.files) >= 10


def reviewer_texts(model: OrgModel) -> dict[str, list[str]]:
    """Everything each person wrote as a reviewer on other people's PRs."""
    texts: dict[str, list[str]] = defaultdict(list)
    for comment in model.review_comments.values():
        pr = model.pulls[(comment.repo, comment.pr_number)]
        if comment.author and comment.author != pr.author:
            texts[comment.author].append(comment.body)
    for review in model.reviews.values():
        pr = model.pulls[(review.repo, review.pr_number)]
        if review.author and review.author != pr.author and review.body.strip():
            texts[review.author].append(review.body)
    return texts


def harsh_rates(model: OrgModel, minimum: int = 20) -> dict[str, float]:
    rates: dict[str, float] = {}
    for login, bodies in reviewer_texts(model).items():
        if len(bodies) >= minimum:
            harsh = sum(any(m in b.lower() for m in HARSH_MARKERS) for b in bodies)
            rates[login] = harsh / len(bodies)
    return rates


def rubber_stamp_rates(model: OrgModel, minimum: int = 5) -> dict[str, float]:
    """Share of a reviewer's approvals of large PRs that were bare and came within an hour of the push."""
    commented = {(c.repo, c.pr_number, c.author) for c in model.review_comments.values()}
    eligible: Counter[str] = Counter()
    stamped: Counter[str] = Counter()
    for review in model.reviews.values():
        pr = model.pulls[(review.repo, review.pr_number)]
        if review.state != "APPROVED" or review.author is None or review.author == pr.author or not _large(pr):
            continue
        eligible[review.author] += 1
        pushed = model.commits[(review.repo, review.commit_sha)].committed_at
        bare = (
            review.body.strip().lower() in TRIVIAL and (review.repo, review.pr_number, review.author) not in commented
        )
        if bare and review.submitted_at - max(pushed, pr.created_at) <= timedelta(hours=1):
            stamped[review.author] += 1
    return {login: stamped[login] / n for login, n in eligible.items() if n >= minimum}


def newcomer_reach(model: OrgModel) -> dict[str, int]:
    """Distinct newcomers a person taught (a teaching cue in a comment on the newcomer's PR)."""
    newcomers = {t.login for t in model.traits if t.trait == "newcomer"}
    reached: dict[str, set[str]] = defaultdict(set)
    for comment in model.review_comments.values():
        pr = model.pulls[(comment.repo, comment.pr_number)]
        if (
            pr.author in newcomers
            and comment.author
            and comment.author != pr.author
            and any(cue in comment.body for cue in TEACHING_CUES)
        ):
            reached[comment.author].add(pr.author)
    return {login: len(people) for login, people in reached.items()}


def docs_counts(model: OrgModel) -> Counter[str]:
    """PRs and direct pushes touching docs, per author."""

    def is_doc(path: str) -> bool:
        return path.startswith("docs/") or path.endswith(".md")

    counts: Counter[str] = Counter()
    for pr in model.pulls.values():
        if pr.author and any(is_doc(f.path) for f in pr.files):
            counts[pr.author] += 1
    for commit in model.commits.values():
        if commit.pr_number is None and commit.author_login and any(is_doc(f.path) for f in commit.files):
            counts[commit.author_login] += 1
    return counts


def ci_change_effects(model: OrgModel, login: str, window: int = 30) -> list[tuple[float, int, int]]:
    """For each default-branch CI change by ``login``: (median after / median before, n before, n after)."""
    effects: list[tuple[float, int, int]] = []
    workflows = {(w.repo, w.path): w for w in model.workflows.values()}
    for commit in model.commits.values():
        if commit.author_login != login or not commit.on_default_branch:
            continue
        is_landing = commit.pr_number is None or any(p.merge_commit_sha == commit.sha for p in model.pulls.values())
        for changed in commit.files:
            flow = workflows.get((commit.repo, changed.path))
            if flow is None or not is_landing:
                continue
            runs = sorted(
                (
                    r
                    for r in model.workflow_runs.values()
                    if r.workflow_id == flow.id and r.status == "completed" and r.conclusion == "success"
                ),
                key=lambda r: r.created_at,
            )
            before = [r for r in runs if r.created_at < commit.committed_at][-window:]
            after = [r for r in runs if r.created_at > commit.committed_at][:window]
            if before and after:
                med_before = statistics.median((r.updated_at - r.run_started_at).total_seconds() for r in before)
                med_after = statistics.median((r.updated_at - r.run_started_at).total_seconds() for r in after)
                effects.append((med_after / med_before, len(before), len(after)))
    return effects
