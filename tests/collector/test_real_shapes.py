"""Issue 9: every response shape github.com and Enterprise Server really send, over HTTP through PyGithub.

Each numbered case switches one shape on in the fake (a fault or a fidelity switch), collects, and
checks the store against the ground truth minus exactly the gaps the run recorded.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from analyzer.errors import RateLimitWaitTooLong
from analyzer.fakegithub.model import OrgModel, PRFile, Review
from analyzer.fakegithub.ratelimit import FakeClock
from tests.collector.helpers import TOKEN, assert_matches, run, served, truth
from tests.collector.real_shapes import a_pr_with, assert_store_is, open_gaps, query, truth_without


def test_1_graphql_rate_limit_type_waits_for_the_reset(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.add("graphql_rate_limit", count=2, match="graphql", after=2)
        result = run(server, tiny_org, store, clock=clock)
        assert [k for _, k in server.faults.injected] == ["graphql_rate_limit"] * 2
    assert result.budget.retries >= 2 and result.budget.waited_seconds > 0
    assert_matches(tiny_org, store)


def test_2_a_pr_github_keeps_timing_out_on_is_skipped_as_a_gap_then_fetched_later(
    tiny_org: OrgModel, tmp_path: Path
) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    repo, number = a_pr_with(tiny_org, reviews=True, index=3)
    with served(tiny_org, clock=clock) as server:
        server.fidelity.timeout_prs = {(repo, number)}
        result = run(server, tiny_org, store, clock=clock)
        sizes = [(r.graphql_variables or {}).get("prFirst") for r in server.log if r.kind == "graphql"]
        assert 1 in sizes, "the page must narrow down to the one PR before skipping it"
        assert_store_is(truth_without(tiny_org, prs={(repo, number)}), store)
        gaps = open_gaps(store)
        assert [(g["repo"], g["pr_number"]) for g in gaps] == [(f"{tiny_org.login}/{repo}", number)]
        assert "Something went wrong" in gaps[0]["error"] and gaps[0]["recorded_at"]
        assert [g["pr_number"] for g in result.gaps] == [number]
        # the next run tries the gap again: once GitHub answers, the store is whole and the gap closed
        server.fidelity.timeout_prs = set()
        again = run(server, tiny_org, store, clock=clock)
    assert again.gaps == [] and open_gaps(store) == []
    assert_matches(tiny_org, store)


def test_3_partial_errors_keep_the_data_and_record_each_path(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    forbidden = a_pr_with(tiny_org, reviews=True, index=1)
    missing = a_pr_with(tiny_org, reviews=True, index=5)
    with served(tiny_org, clock=clock) as server:
        server.fidelity.forbidden = {forbidden: "reviews"}
        server.fidelity.not_found_prs = {missing}
        run(server, tiny_org, store, clock=clock)
        assert_store_is(truth_without(tiny_org, prs={missing}, reviews_of={forbidden}), store)
        gaps = open_gaps(store)
        watermark = query(store, "SELECT watermark FROM sync_state WHERE repo = ? AND stream = 'pulls'",
                          f"{tiny_org.login}/{missing[0]}")
        assert watermark == [(None,)]  # a PR GitHub could not name: the pass does not claim its span
        # once GitHub answers again, the next run fills both gaps and closes them
        server.fidelity.forbidden, server.fidelity.not_found_prs = {}, set()
        run(server, tiny_org, store, clock=clock)
        assert open_gaps(store) == []
        assert_matches(tiny_org, store)
    assert len(gaps) == 2
    by_type = {g["error"].split(":")[0]: g for g in gaps}
    assert by_type["FORBIDDEN"]["pr_number"] == forbidden[1]
    assert by_type["FORBIDDEN"]["path"] == "reviews"  # the part of that PR GitHub refused
    assert "Resource not accessible by integration" in by_type["FORBIDDEN"]["error"]
    assert by_type["NOT_FOUND"]["path"].startswith("repository.pullRequests.nodes.")


@pytest.mark.parametrize("kind", ["403_secondary", "403_abuse"])
def test_4_secondary_limit_without_retry_after_waits_a_minute_then_longer(
    tiny_org: OrgModel, tmp_path: Path, kind: str
) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.add(kind, count=3, after=4)  # type: ignore[arg-type]
        result = run(server, tiny_org, store, clock=clock)
    assert result.budget.waited_seconds >= 60 + 120 + 240  # GitHub: at least a minute, longer on repeats
    assert_matches(tiny_org, store)


def test_4_a_secondary_wait_beyond_max_wait_stops_cleanly(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.add("403_abuse", count=5, after=4)
        with pytest.raises(RateLimitWaitTooLong, match="max-wait"):
            run(server, tiny_org, store, clock=clock, max_wait=100.0)
        server.faults.clear()
        run(server, tiny_org, store, clock=clock)
    assert_matches(tiny_org, store)


def test_5_fork_commits_link_only_prs_of_their_own_repository(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    fork, upstream = sorted(tiny_org.repos)[:2]
    with served(tiny_org, clock=clock) as server:
        server.fidelity.upstream_prs = {fork: upstream}
        run(server, tiny_org, store, clock=clock)
    want = {c.sha: c.pr_number for c in tiny_org.commits.values() if c.repo == fork and c.on_default_branch}
    got = dict(query(store, "SELECT sha, pr_number FROM commits WHERE repo = ?", f"{tiny_org.login}/{fork}"))
    assert got == want and any(n is None for n in want.values()) and any(want.values())
    assert_matches(tiny_org, store)  # the fork's direct pushes had their files fetched


def test_7_null_database_ids_get_stable_keys_across_runs(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    pr = tiny_org.pulls[a_pr_with(tiny_org, reviews=True, index=2)]
    review = next(r for r in tiny_org.reviews.values() if (r.repo, r.pr_number) == (pr.repo, pr.number))
    comment = next(iter(tiny_org.review_comments.values()))
    nulls = {pr.id, review.id, comment.id}
    with served(tiny_org, clock=clock) as server:
        server.fidelity.null_database_ids = nulls
        run(server, tiny_org, store, clock=clock)
        first = _keys(store)
        run(server, tiny_org, store, clock=clock, window=(0.0, 4_102_444_800.0), overlap_days=100_000)
        assert _keys(store) == first  # the same keys on every run, no duplicates
    want, got = truth(tiny_org), _keys(store)
    for table in ("pull_requests", "reviews", "review_comments"):
        real = {k for k in got[table].values() if k > 0}
        derived = [k for k in got[table].values() if k < 0]
        assert len(got[table]) == len(want[table]) and len(derived) == 1, table
        assert real == want[table] - nulls
    pr_key = got["pull_requests"][pr.node_id]
    assert query(store, "SELECT COUNT(*) FROM reviews WHERE pr_id = ?", pr_key)[0][0] > 0  # children follow


def _keys(store: Path) -> dict[str, dict[str, int]]:
    return {
        table: dict(query(store, f"SELECT node_id, id FROM {table}"))
        for table in ("pull_requests", "reviews", "review_comments")
    }


def test_8_commit_files_follow_the_link_header(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    commit = next(c for c in tiny_org.commits.values() if c.on_default_branch and c.pr_number is None)
    commit.files = [PRFile(f"src/gen/file_{i:03}.py", i % 7, 1) for i in range(250)]
    with served(tiny_org, clock=clock) as server:
        run(server, tiny_org, store, clock=clock)
        pages = [r for r in server.log if r.path.endswith(f"/commits/{commit.sha}")]
    assert len(pages) == 3 and all(r.status == 200 for r in pages)
    count = query(store, "SELECT COUNT(*) FROM commit_files WHERE sha = ?", commit.sha)[0][0]
    assert count == 250
    assert_matches(tiny_org, store)


def test_9_enterprise_server_without_a_field_is_detected_once(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock, prefix="/api/v3") as server:
        server.fidelity.missing_fields = frozenset({"fullDatabaseId"})
        run(server, tiny_org, store, clock=clock)
        refused = [r for r in server.log if r.kind == "graphql" and "doesn't exist" in str(r.body)]
        later = [r for r in server.log if r.kind == "graphql" and "fullDatabaseId" in (r.graphql_query or "")]
    assert len(refused) == 1 and len(later) == 1  # only the first query named it; every later one adapted
    want, got = truth(tiny_org), _keys(store)
    assert set(got["pull_requests"].values()) == want["pull_requests"]  # 32-bit ids: databaseId is the id
    for table in ("reviews", "review_comments"):
        # ids beyond 32 bits have a null databaseId: derived keys, one per item, nothing lost
        assert len(got[table]) == len(want[table])
        assert {k for k in got[table].values() if k > 0} == {k for k in want[table] if k < 2**31}
    assert query(store, "SELECT COUNT(*) FROM review_comments WHERE review_id IS NULL")[0][0] == 0


@pytest.mark.parametrize("kind", ["empty_200", "html_200"])
def test_10_an_empty_or_non_json_200_is_retried(tiny_org: OrgModel, tmp_path: Path, kind: str) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    with served(tiny_org, clock=clock) as server:
        server.faults.add(kind, count=1, match="graphql", after=3)  # type: ignore[arg-type]
        server.faults.add(kind, count=1, match="/commits/", after=1)  # type: ignore[arg-type]
        result = run(server, tiny_org, store, clock=clock)
        assert len(server.faults.injected) == 2
    assert result.budget.retries >= 2
    assert_matches(tiny_org, store)


def test_11_the_token_owners_pending_review_is_never_stored(tiny_org: OrgModel, tmp_path: Path) -> None:
    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    repo, number = a_pr_with(tiny_org, reviews=True, index=4)
    pr = tiny_org.pulls[(repo, number)]
    some = next(r for r in tiny_org.reviews.values() if (r.repo, r.pr_number) == (repo, number))
    pending = Review(id=2_999_000_001, repo=repo, pr_number=number, author=some.author, state="PENDING",
                     body="draft: this whole approach is wrong", submitted_at=pr.created_at + timedelta(hours=1),
                     commit_sha=some.commit_sha)
    tiny_org.reviews[pending.id] = pending
    with served(tiny_org, clock=clock) as server:
        server.fidelity.show_pending = True
        run(server, tiny_org, store, clock=clock)
        served_pending = [r for r in server.log if "PENDING" in str(r.body)]
    assert served_pending, "the fake must really have sent the pending review"
    assert query(store, "SELECT COUNT(*) FROM reviews WHERE state = 'PENDING' OR submitted_at IS NULL")[0][0] == 0
    assert pending.id not in {r[0] for r in query(store, "SELECT id FROM reviews")}
    assert_matches(tiny_org, store)
    # a store written by another tool (or an older analyzer) that holds one: frames leave it out of every score
    import sqlite3

    from analyzer.pipeline import load_frames

    conn = sqlite3.connect(store)
    with conn:
        conn.execute("INSERT INTO reviews SELECT ?, 'PENDING_NODE', pr_id, author, author_type, author_association,"
                     " 'PENDING', body, NULL, commit_sha, html_url, raw, fetched_at FROM reviews LIMIT 1",
                     (pending.id,))
    conn.close()
    assert pending.id not in set(load_frames(store).reviews["review_id"])


def test_6_one_bot_in_both_spellings_is_one_account_classified_as_a_bot(tiny_org: OrgModel, tmp_path: Path) -> None:
    from github import Auth, Github

    from analyzer.pipeline import load_frames

    clock = FakeClock()
    store = tmp_path / "s.sqlite"
    bot_commits = [c for c in tiny_org.commits.values() if c.author_email.startswith("dependabot@")]
    for commit in bot_commits:  # the address GitHub really gives dependabot's commits
        commit.author_email = "49699333+dependabot[bot]@users.noreply.github.com"
    bot_pr = next(p for p in tiny_org.pulls.values() if p.author == "dependabot[bot]")
    with served(tiny_org, clock=clock) as server:
        rest = Github(base_url=server.base_url, auth=Auth.Token(TOKEN), retry=None)
        assert rest.get_repo(f"{tiny_org.login}/{bot_pr.repo}").get_pull(bot_pr.number).user.login == "dependabot[bot]"
        run(server, tiny_org, store, clock=clock)
    assert_matches(tiny_org, store)
    assert ("dependabot", "Bot") in query(store, "SELECT login, type FROM actors")  # GraphQL's spelling
    assert bot_commits and query(store, "SELECT COUNT(*) FROM commits WHERE author_email LIKE '%dependabot[bot]%'")[0][0]
    frames = load_frames(store)
    dependabot = [login for login in frames.bots["login"] if "dependabot" in str(login)]
    assert dependabot == ["dependabot"]
    by_bot = frames.commits[frames.commits["author_email"].astype(str).str.contains("dependabot", regex=False)]
    assert len(by_bot) and by_bot["is_bot"].all() and set(by_bot["person"]) == {"dependabot"}
    prs = frames.prs[frames.prs["number"].eq(bot_pr.number) & frames.prs["repo"].str.endswith(bot_pr.repo)]
    assert list(prs["person"]) == ["dependabot"] and prs["is_bot"].all()
    assert not frames.people.index.astype(str).str.contains("dependabot").any() or frames.people.loc[
        frames.people.index.astype(str).str.contains("dependabot"), "is_bot"].all()
