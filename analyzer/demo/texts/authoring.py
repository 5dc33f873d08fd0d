"""PR titles and bodies, commit messages and docs prose for the demo's diffs."""

from __future__ import annotations

TITLES: dict[str, tuple[str, ...]] = {
    "feature": (
        "feat({scope}): add {topic} support to `{ident}`",
        "Add {topic} to {scope}",
        "feat: expose `{ident}` in the public API",
        "{scope}: support batching in `{ident}`",
        "Introduce `{ident}` for {topic}",
        "feat({scope}): configurable {topic}",
    ),
    "bugfix": (
        "fix({scope}): handle empty `{ident}`",
        "Fix race in `{ident}`",
        "fix: {topic} timeout not applied",
        "Fix off-by-one in `{ident}`",
        "{scope}: stop leaking connections in `{ident}`",
        "fix: retry `{ident}` on 503",
    ),
    "refactor": (
        "refactor({scope}): split `{ident}`",
        "Extract {topic} helpers",
        "Simplify `{ident}`",
        "refactor: remove dead {topic} code",
    ),
    "tests": (
        "test: cover `{ident}` edge cases",
        "Add regression test for {topic}",
        "tests: speed up {scope} suite",
    ),
    "docs": (
        "docs: explain {topic}",
        "docs({scope}): update `{ident}` examples",
        "Improve README quick start",
        "docs: fix broken links",
        "docs: add troubleshooting section for {topic}",
    ),
    "onboarding": (
        "docs: rewrite getting-started guide",
        "docs: add local development setup for newcomers",
        "CONTRIBUTING: describe the review process",
        "docs: onboarding checklist for new engineers",
    ),
    "ci": (
        "ci: bump actions/checkout",
        "ci: split lint into its own job",
        "ci: pin action versions",
        "ci: update runner labels",
    ),
    "chore": ("chore: bump version", "chore: update .gitignore", "chore({scope}): tidy imports"),
    "deps": ("Bump {dep} from {v1} to {v2}", "build(deps): bump {dep} from {v1} to {v2}"),
}

BODIES: tuple[str, ...] = (
    "## Summary\n\nThis changes `{ident}` so that {topic} works for large accounts.\n\n"
    "## Testing\n\n- [x] unit tests\n- [ ] staging",
    "Fixes a bug reported by support: `{ident}` returned stale data after a cache miss.\n\nCloses #{n}.",
    "Small cleanup while working on {topic}. No behaviour change.",
    "## Why\n\nWe were doing {topic} in three places.\n\n"
    "## What\n\n- one helper: `{ident}`\n- callers updated\n- docs updated",
    "",
    "See the design doc for {topic}. Follow-up PRs will remove the old path.",
    "Part of the {topic} epic.\n\n> Note: needs the config change to be deployed first.",
)

NEWCOMER_BODIES: tuple[str, ...] = (
    "Hi! This is my first contribution. I tried to follow CONTRIBUTING.md - please let me know if I missed "
    "anything.\n\nIt fixes `{ident}` for {topic}.",
    "First PR here 👋 I wasn't sure where tests for `{ident}` should go, so I put them next to the module.",
)

DEPENDABOT_BODY = (
    "Bumps [{dep}](https://example.dev/{dep}) from {v1} to {v2}.\n\n<details>\n<summary>Release "
    "notes</summary>\n\n- bug fixes\n</details>\n\nDependabot will resolve any conflicts with this PR."
)

COMMIT_FIRST: tuple[str, ...] = (
    "{kind}: {topic} in `{ident}`",
    "Add {topic} handling",
    "WIP {topic}",
    "Implement `{ident}`",
    "Initial {topic} changes",
    "Update {file}",
    "{kind}({scope}): {topic}",
)
COMMIT_MORE: tuple[str, ...] = (
    "Add tests",
    "Fix lint",
    "Update docs",
    "Handle edge case in `{ident}`",
    "wip",
    "More {topic} work",
    "Fix tests",
    "Cleanup",
)
COMMIT_FEEDBACK: tuple[str, ...] = (
    "Address review feedback",
    "Apply suggestions from code review",
    "Rename `{ident}` per review",
    "Handle None in `{ident}` (review)",
    "Review: add test for `{ident}`",
    "fixup! {topic}",
)
DIRECT_PUSHES: tuple[str, ...] = (
    "Fix typo in README",
    "Hotfix: revert bad config",
    "Bump version to {n}.{n}.0",
    "Update CHANGELOG",
    "docs: fix install command",
    "ci: pin runner image",
    "Fix broken link in docs",
)

DOC_PROSE: tuple[str, ...] = (
    "To run the service locally, start the dependencies with `make up` and then run `make dev`.",
    "The `{ident}` setting controls how long we wait before retrying a failed call.",
    "New engineers should read this page first; it links to everything else.",
    "If the tests fail with a timeout, check that the local database is running.",
    "We use squash merges, so keep the PR title meaningful: it becomes the commit message.",
    "Every pull request needs one approving review from a code owner.",
    "Configuration is read from environment variables; see the table below.",
    "The {topic} flow has three steps: validate, enqueue and confirm.",
    "Ask questions in the #dev-help channel - there are no silly questions.",
    "Use `{ident}` when you need a client that already has retries configured.",
    "When in doubt, write the test first and open a draft PR early.",
    "Release notes are generated from PR titles, so write them for users.",
)

SCOPES: tuple[str, ...] = ("api", "billing", "ui", "pipeline", "auth", "sync", "infra", "docs", "core")
TOPICS: tuple[str, ...] = (
    "retries",
    "pagination",
    "rate limiting",
    "caching",
    "webhooks",
    "invoices",
    "token refresh",
    "schema migration",
    "batch export",
    "audit log",
    "feature flags",
    "timeouts",
    "dark mode",
    "search",
)
DEPENDENCIES: tuple[str, ...] = (
    "requests",
    "urllib3",
    "pydantic",
    "lodash",
    "axios",
    "golang.org/x/net",
    "actions/checkout",
    "pytest",
    "eslint",
    "react-dom",
    "sqlalchemy",
    "cryptography",
)
