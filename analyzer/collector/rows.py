"""GitHub payloads (GraphQL nodes, REST bodies) → store rows. Pure functions, no I/O."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from analyzer.store.store import dumps

JSON = dict[str, Any]
# a PR node's connections stored as rows of their own (or as columns), not in its ``raw``
PR_NESTED = ("files", "commits", "reviews", "comments", "reviewThreads", "timelineItems")


@dataclass
class PrBundle:
    """Everything stored for one pull request, written in one transaction."""

    pr: JSON
    files: list[JSON] = field(default_factory=list)
    commits: list[JSON] = field(default_factory=list)
    reviews: list[JSON] = field(default_factory=list)
    issue_comments: list[JSON] = field(default_factory=list)
    threads: list[JSON] = field(default_factory=list)
    review_comments: list[JSON] = field(default_factory=list)
    actors: dict[str, JSON] = field(default_factory=dict)


def _login(actor: JSON | None) -> str | None:
    return str(actor["login"]) if actor and actor.get("login") else None


def _type(actor: JSON | None) -> str | None:
    return str(actor["__typename"]) if actor and actor.get("__typename") else None


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def item_key(node: JSON) -> int:
    """The store key of a PR, review or comment: ``fullDatabaseId``, else ``databaseId``, else one derived
    from the node id (both database ids are nullable in GitHub's schema).

    The derived key is negative, so it never meets a real id, and the same on every run; once GitHub
    sends the real id, the row under the derived key is replaced (``node_id`` is unique).
    """
    for name in ("fullDatabaseId", "databaseId"):
        value = node.get(name)
        if value is not None:
            return int(value)
    digest = hashlib.blake2b(str(node["id"]).encode(), digest_size=7).digest()
    return -1 - int.from_bytes(digest, "big")


def _ref_key(node: JSON | None) -> int | None:
    return item_key(node) if node and (node.get("id") or node.get("fullDatabaseId") is not None) else None


def is_pending(review: JSON) -> bool:
    """A review its author has not submitted (only the token owner sees their own): never stored or scored."""
    return review.get("state") == "PENDING" or not review.get("submittedAt")


def _note_actor(actors: dict[str, JSON], actor: JSON | None, fetched_at: str) -> None:
    login = _login(actor)
    if login and actor is not None:
        actors[login] = {
            "login": login,
            "node_id": None,
            "type": _type(actor),
            "name": actor.get("name"),
            "raw": _actor_raw(actor),
            "fetched_at": fetched_at,
        }


def _actor_raw(actor: JSON) -> str:
    """``dumps(actor)``; the same few people author most items, so their JSON is cached."""
    if all(value is None or type(value) is str for value in actor.values()):
        return _actor_raw_cached(tuple(actor.items()))
    return dumps(actor)  # not a plain actor node: no caching (True and 1 would share a key)


@lru_cache(maxsize=4096)
def _actor_raw_cached(items: tuple[tuple[str, Any], ...]) -> str:
    return dumps(dict(items))


def pr_bundle(repo: str, node: JSON, fetched_at: str) -> PrBundle:
    """Rows for one PR node whose nested connections are complete (overflow already merged in)."""
    pr_id = item_key(node)
    core = {k: v for k, v in node.items() if k not in PR_NESTED}
    ready_at, ready_events = ready_of(node)
    state = "MERGED" if node.get("mergedAt") else str(node.get("state") or "OPEN")
    bundle = PrBundle(
        pr={
            "id": pr_id,
            "node_id": node["id"],
            "repo": repo,
            "number": int(node["number"]),
            "title": node.get("title") or "",
            "body": node.get("body"),
            "author": _login(node.get("author")),
            "author_type": _type(node.get("author")),
            "author_association": node.get("authorAssociation"),
            "state": state,
            "draft": int(bool(node.get("isDraft"))),
            "ready_at": ready_at,
            "ready_events": ready_events,
            "created_at": node["createdAt"],
            "updated_at": node["updatedAt"],
            "closed_at": node.get("closedAt"),
            "merged_at": node.get("mergedAt"),
            "merged_by": _login(node.get("mergedBy")),
            "additions": int(node.get("additions") or 0),
            "deletions": int(node.get("deletions") or 0),
            "changed_files": int(node.get("changedFiles") or 0),
            "base_ref": node.get("baseRefName"),
            "head_ref": node.get("headRefName"),
            "html_url": node.get("url"),
            "raw": dumps(core),
            "fetched_at": fetched_at,
        }
    )
    for actor in (node.get("author"), node.get("mergedBy")):
        _note_actor(bundle.actors, actor, fetched_at)
    bundle.files = [_file_row(pr_id, f) for f in _nodes(node, "files")]
    bundle.commits = [_pr_commit_row(pr_id, c) for c in _nodes(node, "commits")]
    for review in _nodes(node, "reviews"):
        if is_pending(review):
            continue
        bundle.reviews.append(_review_row(pr_id, review, fetched_at))
        _note_actor(bundle.actors, review.get("author"), fetched_at)
    for comment in _nodes(node, "comments"):
        bundle.issue_comments.append(_issue_comment_row(pr_id, comment, fetched_at))
        _note_actor(bundle.actors, comment.get("author"), fetched_at)
    for thread in _nodes(node, "reviewThreads"):
        bundle.threads.append(_thread_row(pr_id, thread, fetched_at))
        for comment in _nodes(thread, "comments"):
            if (comment.get("pullRequestReview") or {}).get("state") == "PENDING":
                continue  # part of a review not submitted yet
            bundle.review_comments.append(_review_comment_row(pr_id, thread["id"], comment, fetched_at))
            _note_actor(bundle.actors, comment.get("author"), fetched_at)
    return bundle


def ready_of(node: JSON) -> tuple[str | None, int | None]:
    """When the PR was last marked ready for review, and how often it was: ``(None, 0)`` for a PR never
    marked ready (never a draft, or a draft still); ``(None, None)`` when GitHub did not say (the
    timeline was not asked for, or came back null with an error)."""
    timeline = node.get("timelineItems")
    if not isinstance(timeline, dict) or timeline.get("totalCount") is None:
        return None, None
    times = [str(n["createdAt"]) for n in timeline.get("nodes") or [] if n and n.get("createdAt")]
    count = int(timeline["totalCount"])
    if count and not times:  # counted but not handed over: the moment is unknown
        return None, None
    return (max(times) if times else None), count


def _nodes(parent: JSON, connection: str) -> list[JSON]:
    conn = parent.get(connection) or {}
    return [n for n in conn.get("nodes") or [] if n is not None]


def _file_row(pr_id: int, f: JSON) -> JSON:
    return {
        "pr_id": pr_id,
        "path": f["path"],
        "additions": int(f.get("additions") or 0),
        "deletions": int(f.get("deletions") or 0),
        "change_type": f.get("changeType"),
    }


def _pr_commit_row(pr_id: int, node: JSON) -> JSON:
    commit = node["commit"]
    author = commit.get("author") or {}
    return {
        "pr_id": pr_id,
        "sha": commit["oid"],
        "author_login": _login(author.get("user")),
        "author_name": author.get("name"),
        "author_email": author.get("email"),
        "authored_at": commit.get("authoredDate"),
        "committed_at": commit.get("committedDate"),
        "message": commit.get("messageHeadline"),
        "additions": _int(commit.get("additions")),
        "deletions": _int(commit.get("deletions")),
    }


def _review_row(pr_id: int, review: JSON, fetched_at: str) -> JSON:
    return {
        "id": item_key(review),
        "node_id": review["id"],
        "pr_id": pr_id,
        "author": _login(review.get("author")),
        "author_type": _type(review.get("author")),
        "author_association": review.get("authorAssociation"),
        "state": review["state"],
        "body": review.get("body"),
        "submitted_at": review.get("submittedAt"),
        "commit_sha": (review.get("commit") or {}).get("oid"),
        "html_url": review.get("url"),
        "raw": dumps(review),
        "fetched_at": fetched_at,
    }


def _issue_comment_row(pr_id: int, comment: JSON, fetched_at: str) -> JSON:
    return {
        "id": item_key(comment),
        "node_id": comment["id"],
        "pr_id": pr_id,
        "author": _login(comment.get("author")),
        "author_type": _type(comment.get("author")),
        "author_association": comment.get("authorAssociation"),
        "body": comment.get("body") or "",
        "created_at": comment["createdAt"],
        "updated_at": comment["updatedAt"],
        "html_url": comment.get("url"),
        "raw": dumps(comment),
        "fetched_at": fetched_at,
    }


def _thread_row(pr_id: int, thread: JSON, fetched_at: str) -> JSON:
    core = {k: v for k, v in thread.items() if k != "comments"}
    return {
        "node_id": thread["id"],
        "pr_id": pr_id,
        "path": thread.get("path"),
        "line": _int(thread.get("line")),
        "original_line": _int(thread.get("originalLine")),
        "is_resolved": int(bool(thread.get("isResolved"))),
        "is_outdated": int(bool(thread.get("isOutdated"))),
        "resolved_by": _login(thread.get("resolvedBy")),
        "raw": dumps(core),
        "fetched_at": fetched_at,
    }


def _review_comment_row(pr_id: int, thread_id: str, comment: JSON, fetched_at: str) -> JSON:
    return {
        "id": item_key(comment),
        "node_id": comment["id"],
        "pr_id": pr_id,
        "review_id": _ref_key(comment.get("pullRequestReview")),
        "thread_id": thread_id,
        "in_reply_to_id": _ref_key(comment.get("replyTo")),
        "author": _login(comment.get("author")),
        "author_type": _type(comment.get("author")),
        "author_association": comment.get("authorAssociation"),
        "body": comment.get("body") or "",
        "path": comment.get("path"),
        "line": _int(comment.get("line")),
        "original_line": _int(comment.get("originalLine")),
        "diff_hunk": comment.get("diffHunk"),
        "commit_sha": (comment.get("commit") or {}).get("oid"),
        "original_commit_sha": (comment.get("originalCommit") or {}).get("oid"),
        "created_at": comment["createdAt"],
        "updated_at": comment["updatedAt"],
        "html_url": comment.get("url"),
        "raw": dumps(comment),
        "fetched_at": fetched_at,
    }


def history_row(repo: str, node: JSON, fetched_at: str) -> JSON:
    author = node.get("author") or {}
    return {
        "repo": repo,
        "sha": node["oid"],
        "author_login": _login(author.get("user")),
        "author_name": author.get("name"),
        "author_email": author.get("email"),
        "committer_login": _login((node.get("committer") or {}).get("user")),
        "message": node.get("message"),
        "authored_at": node.get("authoredDate"),
        "committed_at": node["committedDate"],
        "pr_number": _own_pr_number(repo, node),
        "files_fetched": 0,
        "html_url": node.get("url"),
        "raw": dumps(node),
        "fetched_at": fetched_at,
    }


def _own_pr_number(repo: str, node: JSON) -> int | None:
    """The first associated PR whose base repository is ``repo``.

    A fork's commits list the upstream's PRs too (often first); those are other repositories' numbers.
    """
    for pr in (node.get("associatedPullRequests") or {}).get("nodes") or []:
        base = (pr or {}).get("baseRepository") or {}
        if pr and str(base.get("nameWithOwner", "")).lower() == repo.lower():
            return int(pr["number"])
    return None


def commit_file_rows(repo: str, sha: str, files: list[JSON]) -> Iterator[JSON]:
    for f in files:
        yield {
            "repo": repo,
            "sha": sha,
            "path": f["filename"],
            "additions": int(f.get("additions") or 0),
            "deletions": int(f.get("deletions") or 0),
            "status": f.get("status"),
        }


def run_row(repo: str, run: JSON, fetched_at: str) -> JSON:
    return {
        "id": int(run["id"]),
        "repo": repo,
        "workflow_id": int(run["workflow_id"]),
        "name": run.get("name"),
        "path": run.get("path"),
        "event": run.get("event"),
        "head_branch": run.get("head_branch"),
        "head_sha": run.get("head_sha"),
        "status": run.get("status"),
        "conclusion": run.get("conclusion"),
        "created_at": run["created_at"],
        "run_started_at": run.get("run_started_at"),
        "updated_at": run["updated_at"],
        "run_attempt": int(run.get("run_attempt") or 1),
        "actor": _login(run.get("actor")),
        "html_url": run.get("html_url"),
        "raw": dumps(_trimmed_run(run)),
        "fetched_at": fetched_at,
    }


RUN_REPOSITORIES = ("repository", "head_repository")  # ~6 KB each, the same object on every run


def _trimmed_run(run: JSON) -> JSON:
    """The run as GitHub sent it, minus the bulk of its embedded repositories (see analyzer/store/store.py)."""
    trimmed = dict(run)
    for key in RUN_REPOSITORIES:
        repo = run.get(key)
        if isinstance(repo, dict):
            trimmed[key] = {"id": repo.get("id"), "full_name": repo.get("full_name")}
    return trimmed


def repo_row(node: JSON, fetched_at: str) -> JSON:
    return {
        "id": item_key(node),
        "node_id": node["id"],
        "owner": str(node["nameWithOwner"]).split("/", 1)[0],
        "name": node["name"],
        "full_name": node["nameWithOwner"],
        "default_branch": (node.get("defaultBranchRef") or {}).get("name"),
        "archived": int(bool(node.get("isArchived"))),
        "html_url": node.get("url"),
        "raw": dumps({k: v for k, v in node.items() if k != "pullRequests"}),
        "fetched_at": fetched_at,
    }
