"""The GraphQL documents the collector sends; each is validated against GitHub's schema in the tests.

Point cost (GitHub's formula: one "request" per parent instance of every connection, /100) of a repo
page with 50 PRs is 1 + 50 x 7 + 50 x 30 (thread comments) + 1 (history) + 100 x 2 (each commit's
PRs and parents) = 2,052 -> 21 points, and it carries up to 100 default-branch commits along.

When a PR was marked ready for review: ``timelineItems(last: 1, itemTypes: [READY_FOR_REVIEW_EVENT])``
(``ReadyFields``). A PR can go back to draft and be marked ready again, several times; the outcome
"time from ready-for-review to merge" (docs/methodology.md) starts at the LAST ready-for-review, the
start of the review that ended in the merge (a PR cannot be merged while it is a draft, so the last one
precedes the merge; time spent back in draft is the author's, not the reviewers'). ``last: 1`` hands
over exactly that event on the PR's own page: one more connection per PR (+50 requests, half a point
per page), never a follow-up page, and ``totalCount`` still counts every ready-for-review. Both
github.com and Enterprise Server 3.16 have this field, union member and enum value.
"""

from __future__ import annotations

from functools import cache

ACTOR = "__typename login ... on User { name }"

READY_FIELDS = """
fragment ReadyFields on PullRequest {
  timelineItems(last: 1, itemTypes: [READY_FOR_REVIEW_EVENT]) {
    totalCount nodes { ... on ReadyForReviewEvent { createdAt } }
  }
}
"""

PR_FIELDS = f"""
fragment PrFields on PullRequest {{
  id fullDatabaseId number title body url state isDraft
  createdAt updatedAt closedAt mergedAt
  mergedBy {{ {ACTOR} }}
  author {{ {ACTOR} }}
  authorAssociation additions deletions changedFiles baseRefName headRefName
  labels(first: 20) {{ nodes {{ name }} }}
  files(first: 100) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ ...FileFields }} }}
  commits(first: 100) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ ...PrCommitFields }} }}
  reviews(first: 50) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ ...ReviewFields }} }}
  comments(first: 50) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ ...IssueCommentFields }} }}
  reviewThreads(first: 30) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...ThreadFields }}
  }}
  ...ReadyFields
}}
fragment FileFields on PullRequestChangedFile {{ path additions deletions changeType }}
fragment PrCommitFields on PullRequestCommit {{
  commit {{
    oid messageHeadline authoredDate committedDate additions deletions
    author {{ name email user {{ login }} }}
  }}
}}
fragment ReviewFields on PullRequestReview {{
  id fullDatabaseId state body submittedAt url
  author {{ {ACTOR} }}
  authorAssociation
  commit {{ oid }}
}}
fragment IssueCommentFields on IssueComment {{
  id fullDatabaseId body createdAt updatedAt url
  author {{ {ACTOR} }}
  authorAssociation
}}
fragment ThreadFields on PullRequestReviewThread {{
  id path line originalLine diffSide isResolved isOutdated
  resolvedBy {{ login }}
  comments(first: 10) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ ...ReviewCommentFields }} }}
}}
fragment ReviewCommentFields on PullRequestReviewComment {{
  id fullDatabaseId body path line originalLine diffHunk createdAt updatedAt url
  author {{ {ACTOR} }}
  authorAssociation
  commit {{ oid }}
  originalCommit {{ oid }}
  replyTo {{ id fullDatabaseId }}
  pullRequestReview {{ id fullDatabaseId state }}
}}
""" + READY_FIELDS

HISTORY_FIELDS = """
fragment HistoryFields on Commit {
  oid message committedDate authoredDate url
  author { name email user { login } }
  committer { user { login } }
  associatedPullRequests(first: 5) { nodes { number baseRepository { nameWithOwner } } }
  parents(first: 2) { totalCount }
}
"""

RATE = "rateLimit { cost limit remaining resetAt }"

REPO_FIELDS = """
fragment RepoFields on Repository {
  id databaseId name nameWithOwner url isArchived pushedAt updatedAt
  defaultBranchRef { name }
  pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { updatedAt } }
}
"""

ORG_REPOS = (
    """
query OrgRepos($login: String!, $after: String) {
  %s
  organization(login: $login) {
    repositories(first: 100, after: $after, orderBy: {field: NAME, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes { ...RepoFields }
    }
  }
}
""".replace("%s", RATE)
    + REPO_FIELDS
)


def named_repos_query(full_names: list[str]) -> str:
    """One query for explicitly configured repositories, one alias each."""
    parts = []
    for index, full_name in enumerate(full_names):
        owner, name = full_name.split("/", 1)
        parts.append(f'  r{index}: repository(owner: "{owner}", name: "{name}") {{ ...RepoFields }}')
    return "query NamedRepos {\n  " + RATE + "\n" + "\n".join(parts) + "\n}\n" + REPO_FIELDS


REPO_PAGE = (
    """
query RepoPage($owner: String!, $name: String!, $prFirst: Int!, $prAfter: String,
               $withPulls: Boolean!, $histAfter: String, $since: GitTimestamp, $withHistory: Boolean!) {
  %s
  repository(owner: $owner, name: $name) {
    pullRequests(first: $prFirst, after: $prAfter, orderBy: {field: UPDATED_AT, direction: DESC})
      @include(if: $withPulls) {
      pageInfo { hasNextPage endCursor }
      nodes { ...PrFields }
    }
    defaultBranchRef @include(if: $withHistory) {
      target {
        ... on Commit {
          history(first: 100, after: $histAfter, since: $since) {
            pageInfo { hasNextPage endCursor }
            nodes { ...HistoryFields }
          }
        }
      }
    }
  }
}
""".replace("%s", RATE)
    + PR_FIELDS
    + HISTORY_FIELDS
)

# PRs stored before the ready-for-review moment was collected (store schema 3): that moment alone, up to
# 100 PRs a query (100 requests: 1 point).
READY_BACKFILL = (
    """
query ReadyAt($ids: [ID!]!) {
  %s
  nodes(ids: $ids) { ... on PullRequest { id ...ReadyFields } }
}
""".replace("%s", RATE)
    + READY_FIELDS
)
READY_BACKFILL_BATCH = 100

# After GitHub timed out on a page of one PR: that PR's number and the cursor past it, nothing heavy.
PR_CURSOR = (
    """
query PrCursor($owner: String!, $name: String!, $after: String) {
  %s
  repository(owner: $owner, name: $name) {
    pullRequests(first: 1, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes { number updatedAt }
    }
  }
}
""".replace("%s", RATE)
)

# One PR alone: a gap of an earlier run fetched again.
GAP_PR = (
    """
query GapPr($owner: String!, $name: String!, $number: Int!) {
  %s
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { ...PrFields }
  }
}
""".replace("%s", RATE)
    + PR_FIELDS
)

# Follow-ups for nested connections that overflowed their first page (rare: very large PRs).
PR_CONNECTION = {
    "files": ("files", "...FileFields"),
    "commits": ("commits", "...PrCommitFields"),
    "reviews": ("reviews", "...ReviewFields"),
    "comments": ("comments", "...IssueCommentFields"),
    "reviewThreads": ("reviewThreads", "...ThreadFields"),
}


@cache  # asked for every PR of every page (the text is needed only when a connection overflowed)
def pr_overflow_query(connection: str) -> str:
    name, spread = PR_CONNECTION[connection]
    return (
        f"""
query PrMore($id: ID!, $after: String) {{
  {RATE}
  node(id: $id) {{
    ... on PullRequest {{
      {name}(first: 100, after: $after) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {spread} }} }}
    }}
  }}
}}
"""
        + _fragments_for(spread)
    )


THREAD_MORE = (
    """
query ThreadMore($id: ID!, $after: String) {
  %s
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...ReviewCommentFields } }
    }
  }
}
""".replace("%s", RATE)
)


@cache
def thread_overflow_query() -> str:
    return THREAD_MORE + _fragments_for("...ReviewCommentFields")


def _fragments_for(spread: str) -> str:
    """The fragment definitions a spread needs (and the ones those need), nothing unused."""
    blocks = {}
    for block in PR_FIELDS.split("fragment ")[1:]:
        blocks[block.split(" ", 1)[0]] = "fragment " + block
    needed: list[str] = []
    pending = [spread.removeprefix("...")]
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needed.append(name)
        pending.extend(
            other for other in blocks if other != name and f"...{other}" in blocks[name]
        )
    return "".join(blocks[name] for name in sorted(needed))
