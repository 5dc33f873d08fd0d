"""SQLite schema of the store, with its version and forward-only migrations.

Every collected entity has typed columns for what the pipeline reads plus ``raw``: the JSON payload
exactly as GitHub returned it (workflow runs: minus their embedded repositories, see store.py), so
re-scoring never needs the network. Keys are GitHub's own ids
(``fullDatabaseId`` for PRs, reviews and review comments) so upserts are idempotent. Timestamps are
ISO-8601 UTC strings ("2026-01-02T03:04:05Z"), which sort and compare correctly as text.
"""

from __future__ import annotations

# Each migration brings the store from version i to i + 1; MIGRATIONS[0] creates version 1.
MIGRATIONS: list[str] = [
    """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- one row per collector invocation
CREATE TABLE IF NOT EXISTS collection_runs (
    run_id            INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at        TEXT NOT NULL,
    ended_at          TEXT,
    status            TEXT NOT NULL,          -- running | ok | stopped | failed
    target            TEXT NOT NULL,          -- org or repo list being collected
    base_url          TEXT NOT NULL,
    requests_rest     INTEGER NOT NULL DEFAULT 0,
    requests_graphql  INTEGER NOT NULL DEFAULT 0,
    graphql_points    INTEGER NOT NULL DEFAULT 0,
    retries           INTEGER NOT NULL DEFAULT 0,
    errors            INTEGER NOT NULL DEFAULT 0,
    message           TEXT
);

-- per repository and stream: how far a finished pass got, and where an unfinished pass stopped
CREATE TABLE IF NOT EXISTS sync_state (
    repo            TEXT NOT NULL,            -- owner/name
    stream          TEXT NOT NULL,            -- pulls | commits | workflow_runs
    watermark       TEXT,                     -- newest updated/created time fully synced
    pass_started_at TEXT,                     -- set while a pass is in progress
    pass_high_water TEXT,                     -- newest item seen in the unfinished pass
    cursor          TEXT,                     -- resume point inside the unfinished pass
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (repo, stream)
);

CREATE TABLE IF NOT EXISTS repos (
    id              INTEGER PRIMARY KEY,
    node_id         TEXT NOT NULL,
    owner           TEXT NOT NULL,
    name            TEXT NOT NULL,
    full_name       TEXT NOT NULL UNIQUE,
    default_branch  TEXT,
    archived        INTEGER NOT NULL DEFAULT 0,
    html_url        TEXT,
    raw             TEXT NOT NULL,
    fetched_at      TEXT NOT NULL
);

-- every account seen as an author anywhere (people and bots alike; classification happens later)
CREATE TABLE IF NOT EXISTS actors (
    login       TEXT PRIMARY KEY,
    node_id     TEXT,
    type        TEXT,                         -- User | Bot | Organization | Mannequin | NULL (unknown)
    name        TEXT,
    raw         TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS pull_requests (
    id                  INTEGER PRIMARY KEY,  -- fullDatabaseId
    node_id             TEXT NOT NULL UNIQUE,
    repo                TEXT NOT NULL,        -- owner/name
    number              INTEGER NOT NULL,
    title               TEXT NOT NULL,
    body                TEXT,
    author              TEXT,                 -- login, NULL for deleted accounts
    author_type         TEXT,                 -- __typename of the author (User, Bot, ...)
    author_association  TEXT,
    state               TEXT NOT NULL,        -- OPEN | CLOSED | MERGED
    draft               INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    closed_at           TEXT,
    merged_at           TEXT,
    merged_by           TEXT,
    additions           INTEGER NOT NULL,
    deletions           INTEGER NOT NULL,
    changed_files       INTEGER NOT NULL,
    base_ref            TEXT,
    head_ref            TEXT,
    html_url            TEXT,
    raw                 TEXT NOT NULL,
    fetched_at          TEXT NOT NULL,
    UNIQUE (repo, number)
);
CREATE INDEX IF NOT EXISTS pull_requests_updated ON pull_requests (repo, updated_at);

CREATE TABLE IF NOT EXISTS pr_files (
    pr_id        INTEGER NOT NULL REFERENCES pull_requests (id),
    path         TEXT NOT NULL,
    additions    INTEGER NOT NULL,
    deletions    INTEGER NOT NULL,
    change_type  TEXT,                        -- ADDED | DELETED | MODIFIED | RENAMED | ...
    PRIMARY KEY (pr_id, path)
);

CREATE TABLE IF NOT EXISTS pr_commits (
    pr_id         INTEGER NOT NULL REFERENCES pull_requests (id),
    sha           TEXT NOT NULL,
    author_login  TEXT,
    author_name   TEXT,
    author_email  TEXT,
    authored_at   TEXT,
    committed_at  TEXT,
    message       TEXT,
    additions     INTEGER,
    deletions     INTEGER,
    PRIMARY KEY (pr_id, sha)
);

CREATE TABLE IF NOT EXISTS reviews (
    id                  INTEGER PRIMARY KEY,
    node_id             TEXT NOT NULL UNIQUE,
    pr_id               INTEGER NOT NULL REFERENCES pull_requests (id),
    author              TEXT,
    author_type         TEXT,
    author_association  TEXT,
    state               TEXT NOT NULL,
    body                TEXT,
    submitted_at        TEXT,
    commit_sha          TEXT,
    html_url            TEXT,
    raw                 TEXT NOT NULL,
    fetched_at          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_pr ON reviews (pr_id);

CREATE TABLE IF NOT EXISTS review_threads (
    node_id       TEXT PRIMARY KEY,
    pr_id         INTEGER NOT NULL REFERENCES pull_requests (id),
    path          TEXT,
    line          INTEGER,
    original_line INTEGER,
    is_resolved   INTEGER NOT NULL,
    is_outdated   INTEGER NOT NULL,
    resolved_by   TEXT,
    raw           TEXT NOT NULL,
    fetched_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_threads_pr ON review_threads (pr_id);

CREATE TABLE IF NOT EXISTS review_comments (
    id                   INTEGER PRIMARY KEY,
    node_id              TEXT NOT NULL UNIQUE,
    pr_id                INTEGER NOT NULL REFERENCES pull_requests (id),
    review_id            INTEGER,               -- fullDatabaseId of the review it was submitted with
    thread_id            TEXT,                  -- review_threads.node_id
    in_reply_to_id       INTEGER,
    author               TEXT,
    author_type          TEXT,
    author_association   TEXT,
    body                 TEXT NOT NULL,
    path                 TEXT,
    line                 INTEGER,
    original_line        INTEGER,
    diff_hunk            TEXT,
    commit_sha           TEXT,
    original_commit_sha  TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    html_url             TEXT,
    raw                  TEXT NOT NULL,
    fetched_at           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_comments_pr ON review_comments (pr_id);

CREATE TABLE IF NOT EXISTS issue_comments (
    id                  INTEGER PRIMARY KEY,
    node_id             TEXT NOT NULL UNIQUE,
    pr_id               INTEGER NOT NULL REFERENCES pull_requests (id),
    author              TEXT,
    author_type         TEXT,
    author_association  TEXT,
    body                TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    html_url            TEXT,
    raw                 TEXT NOT NULL,
    fetched_at          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issue_comments_pr ON issue_comments (pr_id);

-- default-branch history; pr_number is the PR that brought the commit in (NULL: pushed directly)
CREATE TABLE IF NOT EXISTS commits (
    repo            TEXT NOT NULL,
    sha             TEXT NOT NULL,
    author_login    TEXT,
    author_name     TEXT,
    author_email    TEXT,
    committer_login TEXT,
    message         TEXT,
    authored_at     TEXT,
    committed_at    TEXT NOT NULL,
    pr_number       INTEGER,
    files_fetched   INTEGER NOT NULL DEFAULT 0, -- 1 once commit_files holds this commit's paths
    html_url        TEXT,
    raw             TEXT NOT NULL,
    fetched_at      TEXT NOT NULL,
    PRIMARY KEY (repo, sha)
);

CREATE TABLE IF NOT EXISTS commit_files (
    repo       TEXT NOT NULL,
    sha        TEXT NOT NULL,
    path       TEXT NOT NULL,
    additions  INTEGER NOT NULL,
    deletions  INTEGER NOT NULL,
    status     TEXT,
    PRIMARY KEY (repo, sha, path)
);

CREATE TABLE IF NOT EXISTS workflow_runs (
    id              INTEGER PRIMARY KEY,
    repo            TEXT NOT NULL,
    workflow_id     INTEGER NOT NULL,
    name            TEXT,
    path            TEXT,
    event           TEXT,
    head_branch     TEXT,
    head_sha        TEXT,
    status          TEXT,
    conclusion      TEXT,
    created_at      TEXT NOT NULL,
    run_started_at  TEXT,
    updated_at      TEXT NOT NULL,
    run_attempt     INTEGER NOT NULL DEFAULT 1,
    actor           TEXT,
    html_url        TEXT,
    raw             TEXT NOT NULL,
    fetched_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS workflow_runs_repo ON workflow_runs (repo, workflow_id, created_at);
""",
    """
-- what a collection could not fetch (issue 9): a PR GitHub kept failing on, a part of a page GitHub
-- refused (partial GraphQL errors, with their path); reported after the run and in the report
CREATE TABLE IF NOT EXISTS collection_gaps (
    gap_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id       INTEGER,                       -- collection_runs.run_id that recorded it
    repo         TEXT NOT NULL,                 -- owner/name
    pr_number    INTEGER,                       -- NULL when the gap is not one PR's
    path         TEXT,                          -- GraphQL error path (dotted), or the stream
    error        TEXT NOT NULL,                 -- GitHub's error type and message
    recorded_at  TEXT NOT NULL,
    resolved_at  TEXT                           -- set once a later run fetched it after all
);
CREATE INDEX IF NOT EXISTS collection_gaps_repo ON collection_gaps (repo, pr_number);
""",
    """
-- when each PR was last marked ready for review (GitHub's last ReadyForReviewEvent; the start of the
-- outcome "time from ready-for-review to merge") and how many times it was. ready_at is NULL for a PR
-- never marked ready; ready_events is NULL while GitHub has not been asked: every PR stored before this
-- version, until the next `analyzer collect` fetches the moment for them (collector/streams.py)
ALTER TABLE pull_requests ADD COLUMN ready_at TEXT;
ALTER TABLE pull_requests ADD COLUMN ready_events INTEGER;
""",
]
SCHEMA_VERSION = len(MIGRATIONS)
