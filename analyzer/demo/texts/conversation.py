"""Conversation-tab comments: people talking on a PR, and the template output of bots."""

from __future__ import annotations

AUTHOR_PINGS: tuple[str, ...] = (
    "@{who} could you take a look when you have a minute?",
    "Rebased on main to pick up the fix for the flaky test.",
    "Addressed all comments, ready for another look.",
    "@{who} PTAL",
    "Updated the PR description with the rollout plan.",
    "CI was red because of an unrelated timeout; re-ran it and it's green now.",
    "Split the migration into a separate commit so it's easier to review.",
    "I'll leave this open until the release branch is cut.",
    "Friendly ping @{who} 🙏",
    "Added screenshots to the description.",
)

REVIEWER_NOTES: tuple[str, ...] = (
    "Overall this looks good. Main question is whether we want `{ident}` to be public.",
    "I'll review the tests tomorrow morning.",
    "Can we get a second pair of eyes from someone on the {topic} side? @{who}",
    "Heads-up: this conflicts with the {topic} work in the other PR.",
    "Let's merge this after the freeze ends on Monday.",
    "Tested locally against staging, works as described.",
    "> {ident} is only used in tests\n\nNot quite - the nightly job imports it as well.",
    "Here's the repro I used:\n\n```bash\nmake test TEST=test_{ident}\n```\n\nFails on main, passes here 🎉",
    "For reference, the traceback from yesterday:\n\n```\nTraceback (most recent call last):\n"
    '  File "{path}", line {n}, in {ident}\nTimeoutError: upstream did not answer\n```',
    "> Should we also update the docs?\n\nYes, I think the {topic} page needs a short note.",
    "Numbers before and after:\n\n| case | before | after |\n|---|---|---|\n| cold | {n}.4 s | 0.9 s |\n"
    "| warm | 0.8 s | 0.3 s |",
)

THANKS: tuple[str, ...] = (
    "Thanks everyone for the reviews!",
    "Thanks for the thorough review 🙏",
    "Merging, thanks all!",
    "🎉",
    "Thanks! This was my first PR here, the feedback was super helpful.",
    "Thank you for the patience with my questions!",
)

MERGE_NOTES: tuple[str, ...] = (
    "Merged, deploying with the next release.",
    "Shipped 🚀",
    "Merging now.",
    "Released in v{n}.2.0.",
)

CLOSE_NOTES: tuple[str, ...] = (
    "Closing in favour of the other approach.",
    "Superseded by a smaller PR, closing.",
    "Closing, we decided not to do this for now.",
    "Stale, closing. Feel free to reopen.",
)

COVERAGE_TEMPLATES: tuple[str, ...] = (
    "Coverage report: {cov:.1f}% ({delta:+.1f}%)\n\nFiles changed: {files} | Lines covered: {lines}",
)

PREVIEW_TEMPLATE = "Preview deployment ready: https://preview-{pr}.docs.example.dev (commit {sha})"
RELEASE_NOTES_TEMPLATE = "Release notes draft updated: this PR will appear under **{section}** in the next release."
DEPENDABOT_RECREATE = (
    "Looks like this PR is already up-to-date with main! If you'd still like to recreate it "
    "from scratch, overwriting any edits, you can request `@dependabot recreate`."
)
