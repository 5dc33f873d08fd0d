"""Consistency rules every demo model must satisfy; returns readable problems instead of asserting."""

from __future__ import annotations

from datetime import datetime

from analyzer.fakegithub.model import DraftEvent, OrgModel, PullRequest


def _pr_problems(model: OrgModel, pr: PullRequest) -> list[str]:
    where = f"{pr.repo}#{pr.number}"
    problems: list[str] = []
    if pr.closed_at is not None and pr.closed_at < pr.created_at:
        problems.append(f"{where}: closed before created")
    if pr.merged_at is not None and (pr.merged_at != pr.closed_at or pr.merged_at < pr.created_at):
        problems.append(f"{where}: merged_at inconsistent")
    if not pr.commit_shas:
        problems.append(f"{where}: no commits")
    for sha in pr.commit_shas:
        commit = model.commits.get((pr.repo, sha))
        if commit is None or commit.pr_number != pr.number:
            problems.append(f"{where}: commit {sha[:7]} missing or not linked")
        elif pr.updated_at < commit.committed_at:
            problems.append(f"{where}: updated_at before commit")
    if pr.merged_at is not None:
        landing = model.commits.get((pr.repo, pr.merge_commit_sha or ""))
        if landing is None or not landing.on_default_branch or landing.pr_number != pr.number:
            problems.append(f"{where}: merged without a landing commit on the default branch")
    else:
        if any(model.commits[(pr.repo, s)].on_default_branch for s in pr.commit_shas):
            problems.append(f"{where}: unmerged commits on the default branch")
    return problems


def _review_problems(model: OrgModel, pulls: dict[tuple[str, int], PullRequest]) -> list[str]:
    problems: list[str] = []
    for review in model.reviews.values():
        pr = pulls[(review.repo, review.pr_number)]
        commit = model.commits.get((review.repo, review.commit_sha))
        if review.submitted_at < pr.created_at or review.submitted_at > pr.updated_at:
            problems.append(f"review {review.id}: outside the PR's lifetime")
        if commit is None or commit.sha not in pr.commit_shas or review.submitted_at < commit.committed_at:
            problems.append(f"review {review.id}: reviews a commit it cannot have seen")
    return problems


def _thread_problems(model: OrgModel) -> list[str]:
    problems: list[str] = []
    for thread in model.review_threads.values():
        comments = [model.review_comments[i] for i in thread.comment_ids]
        if not comments:
            problems.append(f"thread {thread.id}: empty")
            continue
        first = comments[0]
        pr = model.pulls[(thread.repo, thread.pr_number)]
        if [c.created_at for c in comments] != sorted(c.created_at for c in comments):
            problems.append(f"thread {thread.id}: comments out of order")
        if first.in_reply_to_id is not None or any(c.in_reply_to_id != first.id for c in comments[1:]):
            problems.append(f"thread {thread.id}: in_reply_to does not point at the first comment")
        if any(c.thread_id != thread.id or c.path != thread.path for c in comments):
            problems.append(f"thread {thread.id}: comment thread/path mismatch")
        if thread.path not in {f.path for f in pr.files} or not first.diff_hunk.startswith("@@"):
            problems.append(f"thread {thread.id}: anchored outside the PR's diff")
        if thread.original_line != first.original_line or thread.line != first.line:
            problems.append(f"thread {thread.id}: line mismatch")
        if thread.is_outdated != (thread.line is None):
            problems.append(f"thread {thread.id}: outdated flag and line disagree")
    return problems


def _comment_problems(model: OrgModel, pulls: dict[tuple[str, int], PullRequest]) -> list[str]:
    problems: list[str] = []
    for comment in model.review_comments.values():
        review = model.reviews.get(comment.review_id)
        pr = pulls[(comment.repo, comment.pr_number)]
        if review is None or review.author != comment.author or review.pr_number != comment.pr_number:
            problems.append(f"review comment {comment.id}: not part of a matching review")
        if comment.created_at < pr.created_at or comment.updated_at > pr.updated_at:
            problems.append(f"review comment {comment.id}: outside the PR's lifetime")
        if comment.updated_at < comment.created_at:
            problems.append(f"review comment {comment.id}: updated before created")
    for issue_comment in model.issue_comments.values():
        pr = pulls[(issue_comment.repo, issue_comment.issue_number)]
        if issue_comment.created_at < pr.created_at or issue_comment.updated_at > pr.updated_at:
            problems.append(f"issue comment {issue_comment.id}: outside the PR's lifetime")
    return problems


def _run_problems(model: OrgModel) -> list[str]:
    problems: list[str] = []
    for run in model.workflow_runs.values():
        commit = model.commits.get((run.repo, run.head_sha))
        if commit is None:
            problems.append(f"run {run.id}: unknown head_sha")
        elif run.event in ("push", "schedule") and not commit.on_default_branch:
            problems.append(f"run {run.id}: push run on a commit off the default branch")
        if run.event == "pull_request" and (run.repo, run.pr_numbers[0]) not in model.pulls:
            problems.append(f"run {run.id}: unknown PR")
        if not run.created_at <= run.run_started_at <= run.updated_at:
            problems.append(f"run {run.id}: timestamps out of order")
    return problems


def _commit_problems(model: OrgModel) -> list[str]:
    problems: list[str] = []
    for (repo, sha), commit in model.commits.items():
        if commit.pr_number is None and not commit.on_default_branch:
            problems.append(f"commit {sha[:7]}: neither in a PR nor on the default branch")
        for parent in commit.parents:
            if (repo, parent) not in model.commits:
                problems.append(f"commit {sha[:7]}: unknown parent")
            elif model.commits[(repo, parent)].committed_at > commit.committed_at:
                problems.append(f"commit {sha[:7]}: parent is newer")
        if not commit.files and commit.message != "Initial commit":
            problems.append(f"commit {sha[:7]}: no files")
    return problems


def _repo_problems(model: OrgModel) -> list[str]:
    newest: dict[str, datetime] = {}
    for (repo, _), commit in model.commits.items():
        newest[repo] = max(newest.get(repo, commit.committed_at), commit.committed_at)
    return [
        f"repo {name}: pushed_at older than its newest commit"
        for name, repo in model.repos.items()
        if repo.pushed_at is None or repo.pushed_at < newest.get(name, repo.pushed_at)
    ]


def _identity_problems(model: OrgModel) -> list[str]:
    logins = set(model.users)
    authors = [p.author for p in model.pulls.values()] + [r.author for r in model.reviews.values()]
    authors += [c.author for c in model.review_comments.values()] + [c.author for c in model.issue_comments.values()]
    unknown = {a for a in authors if a is not None and a not in logins}
    return [f"unknown logins: {sorted(unknown)}"] if unknown else []


def _draft_problems(model: OrgModel) -> list[str]:
    """Draft toggles alternate (ready first), fall within the PR's life, and leave its draft flag right."""
    problems: list[str] = []
    events: dict[tuple[str, int], list[DraftEvent]] = {}
    for event in sorted(model.draft_events.values(), key=lambda e: (e.created_at, e.id)):
        events.setdefault((event.repo, event.pr_number), []).append(event)
    for key, toggles in events.items():
        pr, where = model.pulls.get(key), f"{key[0]}#{key[1]}"
        if pr is None:
            problems.append(f"{where}: draft events of no PR")
            continue
        kinds = [e.kind for e in toggles]
        if kinds != ["ready_for_review", "convert_to_draft"] * (len(kinds) // 2) + ["ready_for_review"] * (len(kinds) % 2):
            problems.append(f"{where}: draft toggles out of order {kinds}")
        if toggles[0].created_at < pr.created_at or toggles[-1].created_at > (pr.merged_at or pr.updated_at):
            problems.append(f"{where}: a draft toggle outside the PR's life")
        if pr.draft != (kinds[-1] == "convert_to_draft"):
            problems.append(f"{where}: draft flag disagrees with its last toggle")
    return problems


def latest(model: OrgModel) -> datetime:
    return max(
        [p.updated_at for p in model.pulls.values()]
        + [r.updated_at for r in model.workflow_runs.values()]
        + [c.committed_at for c in model.commits.values()]
    )


def check_invariants(model: OrgModel, now: datetime) -> list[str]:
    pulls = model.pulls
    problems: list[str] = []
    for pr in pulls.values():
        problems += _pr_problems(model, pr)
    problems += _review_problems(model, pulls) + _thread_problems(model) + _comment_problems(model, pulls)
    problems += _run_problems(model) + _commit_problems(model) + _identity_problems(model) + _repo_problems(model)
    problems += _draft_problems(model)
    if latest(model) > now:
        problems.append("activity after 'now'")
    return problems
