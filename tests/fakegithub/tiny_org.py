"""A tiny, hand-made organisation for the fake server's own tests.

Users: alice (owner), bob, carol (members), dependabot[bot] (a Bot), a ghost (deleted account).
Repos: "api" (3 PRs with reviews, threads, comments, files, commits, plus a direct push) and "web"
(one open PR). Workflows and runs in "api". ``many_prs`` adds bulk PRs for pagination tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from analyzer.fakegithub.model import (
    Commit,
    IssueComment,
    OrgModel,
    PRFile,
    PullRequest,
    Repo,
    Review,
    ReviewComment,
    ReviewThread,
    User,
    Workflow,
    WorkflowRun,
)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
ORG = "acme"
TOKEN = "ghp_test_token"


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def sha(n: int) -> str:
    return f"{n:040x}"


def _users() -> dict[str, User]:
    people = [
        User(1, "alice", "Alice A", "alice@acme.test", created_at=at(-5000)),
        User(2, "bob", "Bob B", "bob@acme.test", created_at=at(-4000)),
        User(3, "carol", "Carol C", "carol@acme.test", created_at=at(-3000)),
        User(4, "dependabot[bot]", None, None, type="Bot", via_app="dependabot"),
        User(5, "gone", "Gone G", "gone@acme.test", deleted=True),
    ]
    return {u.login: u for u in people}


def _commit(
    n: int,
    repo: str,
    author: str | None,
    hours: float,
    *,
    pr: int | None,
    files: list[PRFile],
    on_default: bool = True,
    message: str = "",
) -> Commit:
    name = author or "Someone Else"
    return Commit(
        sha=sha(n),
        repo=repo,
        message=message or f"Change {n}\n\nDetails of change {n}.",
        author_login=author,
        author_name=name,
        author_email=f"{name.lower().replace(' ', '.')}@acme.test",
        authored_at=at(hours),
        committed_at=at(hours + 0.1),
        committer_login=author,
        parents=[sha(n - 1)] if n > 1 else [],
        files=files,
        pr_number=pr,
        on_default_branch=on_default,
    )


def build_tiny_org() -> OrgModel:
    m = OrgModel(
        login=ORG,
        id=9000,
        name="Acme Inc",
        created_at=at(-10000),
        users=_users(),
        members=["alice", "bob", "carol"],
    )
    m.repos = {
        "api": Repo(100, "api", "The API", created_at=at(-9000), pushed_at=at(50), updated_at=at(50)),
        "web": Repo(
            101,
            "web",
            None,
            private=True,
            created_at=at(-8000),
            pushed_at=at(40),
            updated_at=at(40),
            language="TypeScript",
        ),
    }
    f_docs = PRFile("docs/guide.md", 40, 2, "modified", patch="@@ -1,2 +1,40 @@\n+guide")
    f_code = PRFile("src/app.py", 12, 5, "modified", patch="@@ -10,5 +10,12 @@\n-old\n+new")
    f_new = PRFile("src/new_mod.py", 30, 0, "added")
    f_bump = PRFile("requirements.txt", 1, 1, "modified")
    m.commits = {
        (c.repo, c.sha): c
        for c in [
            _commit(1, "api", "bob", 1, pr=1, files=[f_code, f_new], on_default=False),
            _commit(2, "api", "bob", 3, pr=1, files=[f_code], on_default=False),
            _commit(3, "api", "bob", 10, pr=1, files=[f_code, f_new], message="Add new module (#1)"),
            _commit(4, "api", "carol", 12, pr=2, files=[f_docs]),
            _commit(5, "api", "alice", 20, pr=None, files=[f_code], message="Hotfix pushed straight to main"),
            _commit(6, "api", None, 22, pr=3, files=[f_bump], on_default=False),
            _commit(7, "web", "carol", 30, pr=4, files=[f_code], on_default=False),
        ]
    }
    m.pulls = {
        (p.repo, p.number): p
        for p in [
            PullRequest(
                5001,
                "api",
                1,
                "Add new module",
                "This adds the new module.",
                "bob",
                "MEMBER",
                created_at=at(0.5),
                updated_at=at(10),
                closed_at=at(10),
                merged_at=at(10),
                merged_by="alice",
                head_ref="feature/new-mod",
                files=[f_code, f_new],
                commit_shas=[sha(1), sha(2)],
                labels=["enhancement"],
                merge_commit_sha=sha(3),
            ),
            PullRequest(
                5002,
                "api",
                2,
                "Improve the guide",
                "",
                "carol",
                "MEMBER",
                created_at=at(11),
                updated_at=at(14),
                closed_at=at(12),
                merged_at=at(12),
                merged_by="gone",
                head_ref="docs",
                files=[f_docs],
                commit_shas=[sha(4)],
                merge_commit_sha=sha(4),
            ),
            PullRequest(
                5003,
                "api",
                3,
                "Bump requirements",
                "Bumps deps.",
                "dependabot[bot]",
                "NONE",
                created_at=at(21),
                updated_at=at(25),
                head_ref="dependabot/pip",
                files=[f_bump],
                commit_shas=[sha(6)],
                labels=["dependencies"],
            ),
            PullRequest(
                5004,
                "web",
                4,
                "Old change by a deleted user",
                "Body",
                "gone",
                "CONTRIBUTOR",
                created_at=at(29),
                updated_at=at(31),
                draft=True,
                files=[f_code],
                commit_shas=[sha(7)],
            ),
        ]
    }
    m.reviews = {
        r.id: r
        for r in [
            Review(7001, "api", 1, "alice", "CHANGES_REQUESTED", "Please add tests.", at(2), sha(1)),
            Review(7002, "api", 1, "carol", "COMMENTED", "", at(2.5), sha(1)),
            Review(7003, "api", 1, "alice", "APPROVED", "Looks good now, thanks!", at(9), sha(2)),
            Review(7004, "api", 2, "gone", "APPROVED", "LGTM", at(11.5), sha(4), author_association="NONE"),
            Review(7005, "api", 3, "bob", "PENDING", "draft thoughts", at(22), sha(6)),
        ]
    }
    m.review_threads = {
        t.id: t
        for t in [
            ReviewThread(
                8001, "api", 1, "src/app.py", 14, 12, [9001, 9002], is_resolved=True, resolved_by="bob"
            ),
            ReviewThread(8002, "api", 1, "src/new_mod.py", None, 3, [9003], is_outdated=True),
        ]
    }
    hunk = "@@ -10,5 +10,12 @@\n-old\n+new"
    m.review_comments = {
        c.id: c
        for c in [
            ReviewComment(
                9001,
                "api",
                1,
                7001,
                8001,
                "alice",
                "Why not reuse the helper here?",
                "src/app.py",
                14,
                12,
                hunk,
                sha(1),
                sha(1),
                at(2),
                at(2),
            ),
            ReviewComment(
                9002,
                "api",
                1,
                7002,
                8001,
                "carol",
                "Agree, the helper handles retries.",
                "src/app.py",
                14,
                12,
                hunk,
                sha(1),
                sha(1),
                at(2.5),
                at(4),
                in_reply_to_id=9001,
            ),
            ReviewComment(
                9003,
                "api",
                1,
                7002,
                8002,
                "carol",
                "Typo in the docstring.",
                "src/new_mod.py",
                None,
                3,
                hunk,
                sha(1),
                sha(1),
                at(2.6),
                at(2.6),
            ),
        ]
    }
    m.issue_comments = {
        c.id: c
        for c in [
            IssueComment(6001, "api", 1, "bob", "Ready for another look.", at(8), at(8)),
            IssueComment(6002, "api", 1, "gone", "Thanks for this!", at(9.5), at(9.5)),
            IssueComment(
                6003, "api", 3, "dependabot[bot]", "Dependabot will rebase this PR.", at(21.5), at(23)
            ),
            IssueComment(6004, "web", 4, "carol", "Is this still needed?", at(30), at(30)),
        ]
    }
    m.workflows = {
        300: Workflow(300, "api", "CI", ".github/workflows/ci.yml", created_at=at(-900)),
        301: Workflow(301, "api", "Docs", ".github/workflows/docs.yml", created_at=at(-800)),
    }
    runs = [
        WorkflowRun(
            400,
            "api",
            300,
            sha(1),
            "feature/new-mod",
            "pull_request",
            "completed",
            "failure",
            at(1.1),
            at(1.2),
            at(1.4),
            actor="bob",
            run_number=1,
            pr_numbers=[1],
        ),
        WorkflowRun(
            401,
            "api",
            300,
            sha(2),
            "feature/new-mod",
            "pull_request",
            "completed",
            "success",
            at(3.1),
            at(3.2),
            at(3.5),
            actor="bob",
            run_number=2,
            pr_numbers=[1],
        ),
        WorkflowRun(
            402,
            "api",
            300,
            sha(5),
            "main",
            "push",
            "completed",
            "success",
            at(20.1),
            at(20.2),
            at(20.6),
            actor="alice",
            run_number=3,
        ),
        WorkflowRun(
            403,
            "api",
            301,
            sha(4),
            "main",
            "push",
            "in_progress",
            None,
            at(24 * 40),
            at(24 * 40),
            at(24 * 40 + 0.1),
            actor="carol",
            run_number=1,
        ),
    ]
    m.workflow_runs = {r.id: r for r in runs}
    return m


def add_many_prs(model: OrgModel, repo: str, count: int, start_number: int = 100) -> list[PullRequest]:
    """Bulk PRs (one review and one comment each) for pagination and cost tests."""
    added: list[PullRequest] = []
    for i in range(count):
        number = start_number + i
        pr_id = model.next_id("pull")
        pr = PullRequest(
            pr_id,
            repo,
            number,
            f"Bulk change {i}",
            "Body",
            "bob",
            "MEMBER",
            created_at=at(100 + i),
            updated_at=at(100 + i + 0.5),
            files=[PRFile(f"src/f{i}.py", i + 1, 0, "added")],
        )
        model.pulls[(repo, number)] = pr
        rid = model.next_id("review")
        model.reviews[rid] = Review(rid, repo, number, "alice", "APPROVED", "ok", at(100 + i + 0.2), sha(1))
        cid = model.next_id("issue_comment")
        model.issue_comments[cid] = IssueComment(
            cid, repo, number, "carol", f"comment {i}", at(100 + i + 0.1), at(100 + i + 0.1)
        )
        added.append(pr)
    return added
