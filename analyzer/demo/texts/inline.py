"""Inline review comment templates, one list per tone. All text is written for this project."""

from __future__ import annotations

KIND: tuple[str, ...] = (
    "Could we rename `{ident}` to something that says what it holds? A reader of `{file}` has to jump "
    "to the definition to find out.",
    "I think `{ident}` can raise when `{other}` is empty. Maybe add a guard here and a small test for it?",
    "Nice approach overall! One thing: `{ident}` is called on every request, so it might be worth caching the result.",
    "Would you mind splitting this block out of `{ident}` into its own helper? It would make the happy "
    "path much easier to follow.",
    "Thanks for tackling this. I wonder if `{other}` should be passed in instead of read inside "
    "`{ident}` - that keeps the function pure.",
    "Small idea: we could return early from `{ident}` when there is nothing to do, which removes one level of nesting.",
    "Could you add a short docstring to `{ident}`? Future readers will thank you.",
    "I'd suggest logging `{other}` at debug level here - when this fails in production we'll want to "
    "know which one it was.",
    "This works, and I like how small it is. Could we also cover the case where `{ident}` is None?",
    "Maybe we can reuse `{other}` here instead of building a second one? Happy to pair on it if that helps.",
    "Have you considered moving `{ident}` next to `{other}`? They change together, so keeping them close should help.",
    "Could we give `{ident}` a timeout? I've been bitten by hanging calls in `{file}` before.",
    "Good catch on the ordering here. Would you mind adding a comment that explains why `{ident}` has to run first?",
    "I think this branch is never reached when `{other}` is set. Could you double-check with a test?",
    "Would it be clearer to use a dataclass for `{ident}` instead of a dict? Then mypy can help us.",
    "Please consider using the shared helper for `{ident}`; we fixed a couple of edge cases there already.",
    "Let's keep `{ident}` private for now (leading underscore) so we can change it without breaking callers.",
    "Could we write the test for `{ident}` first and then simplify? I suspect half of this is not needed.",
    "This is close! I would only swap the two checks in `{ident}` so the cheap one runs first.",
    "Maybe a constant for `{n}` would help here; a named value explains the intent better than the number.",
    "I'm not 100% sure, but I think `{ident}` mutates `{other}` in place. Could we copy it first?",
    "Would you be up for adding a type hint to `{ident}`? It makes the call sites in `{file}` much clearer.",
    "Thanks for the clean diff. A tiny request: can we keep the public name `{other}` as an alias for one release?",
)

RATIONALE: tuple[str, ...] = (
    " because callers in other services rely on the current behaviour",
    " since `{other}` is shared between requests",
    " so that the error message tells the user what to fix",
    " because retries without a backoff can hammer the upstream service",
    " since we want the hot path to stay allocation-free",
    " so that a failing test points straight at the cause",
    " because the next person touching `{file}` will not have this context",
    " since this runs once per row and the table can have millions of rows",
    " because we promised to keep the API stable until the next major version",
    " so that we can swap the implementation later without touching callers",
    " because mixing IO and logic here makes `{ident}` hard to test",
    " since a silent fallback would hide real configuration mistakes",
)

RATIONALE_LEADS: tuple[str, ...] = (
    "I ask",
    "I'm suggesting this",
    "I bring it up",
    "This matters here",
)

NEUTRAL: tuple[str, ...] = (
    "`{ident}` is not used anywhere after this change.",
    "This duplicates the logic in `{other}`.",
    "Should `{ident}` handle the empty case?",
    "This will change the behaviour for existing callers of `{ident}`.",
    "`{ident}` already exists in `{other}`'s module; consider importing it.",
    "The error from `{ident}` is swallowed here.",
    "Consider extracting `{ident}` into a helper.",
    "Missing test for the `{ident}` failure path.",
    "The default for `{other}` differs from the one in the config docs.",
    "`{ident}` reads the environment at import time; that makes tests order-dependent.",
    "This loop calls `{ident}` {n} times per item.",
    "`{ident}` should probably be async like `{other}`.",
    "The log line here prints `{other}`, which may contain a token.",
    "Typo in the name `{ident}`?",
    "This needs a migration for existing rows.",
    "The lock around `{ident}` is held during a network call.",
    "`{ident}` returns different types depending on `{other}`.",
    "We validate `{other}` twice now: here and in `{ident}`.",
    "This changes the wire format of `{ident}`.",
    "Can be simplified with a comprehension.",
    "This path is not covered by the tests in `{file}`.",
    "`{ident}` shadows the built-in of the same name.",
    "The retry count of {n} is hard-coded here and in `{other}`.",
    "Off-by-one: `{ident}` skips the last element.",
)

TERSE: tuple[str, ...] = (
    "Rename.",
    "Remove.",
    "Unused.",
    "Needs a test.",
    "Why?",
    "Not needed.",
    "Revert this.",
    "Same here.",
    "Use `{other}`.",
    "Drop `{ident}`.",
    "Move to `{other}`.",
    "Typo.",
    "Dead code.",
    "Inline `{ident}`.",
    "Wrong default.",
    "Magic number.",
    "See above.",
    "No.",
    "Use the constant.",
    "Sort imports.",
)

NIT: tuple[str, ...] = (
    "nit: trailing whitespace",
    "nit: `{ident}` could be a constant",
    "nit: I'd call this `{ident}s`",
    "nit: missing blank line before `{ident}`",
    "nit: we usually import `{other}` at the top of `{file}`",
    "nit: f-string instead of concatenation?",
    "nit: this comment is out of date now",
    "nit: typo in the docstring of `{ident}`",
    "nit: `{ident}` -> `{other}` for consistency",
    "nitpick: extra parentheses around the condition",
    "nit: sort these alphabetically",
    "nit: the log message should start with a lower-case letter",
    "nit: unnecessary `else` after `return`",
    "nit: double space",
    "nit: could use `{n}` as a named constant",
    "nit (non-blocking): prefer `is None` over `== None`",
)

CONVENTIONAL: tuple[str, ...] = (
    "suggestion: extract `{ident}` into a helper so `{file}` stays readable.",
    "suggestion (non-blocking): we could memoise `{ident}`; it's pure.",
    "question: is `{ident}` expected to be called before `{other}` is ready?",
    "question: what happens to in-flight requests when `{ident}` times out?",
    "issue (blocking): `{ident}` can deadlock if `{other}` is held by the caller.",
    "issue (blocking): this drops the error from `{ident}` on the floor.",
    "issue: `{ident}` is not thread-safe, but `{other}` calls it from a worker pool.",
    "thought: long term, `{ident}` probably belongs in a shared library.",
    "thought: this might be a good place for a feature flag.",
    "note: `{other}` is deprecated, `{ident}` is the replacement.",
    "todo: add a changelog entry for the `{ident}` rename.",
    "chore: please regenerate the fixtures after changing `{ident}`.",
    "nitpick: `{ident}` reads better as `{other}`.",
    "praise: the new `{ident}` is really easy to follow.",
)

PRAISE: tuple[str, ...] = (
    "Love this - `{ident}` reads so much better now.",
    "Great test, it documents the edge case nicely.",
    "Nice, this removes a whole class of bugs around `{ident}`.",
    "Very clean. Thanks for untangling `{other}`!",
    "praise: great naming here, `{ident}` says exactly what it does.",
    "Good call splitting `{ident}` out.",
    "This is much faster, nice work!",
    "Excellent error message, users will actually know what to do.",
    "Oh nice, I didn't know about `{other}`. TIL!",
    "Awesome, thanks for adding the regression test.",
    "Beautiful simplification of `{ident}`.",
    "Really nice use of `{other}` here.",
)

QUESTION: tuple[str, ...] = (
    "Why do we need `{ident}` here?",
    "What happens if `{other}` is None?",
    "Is `{ident}` covered by the integration tests?",
    "How does `{ident}` behave under concurrent calls?",
    "Did we agree on `{n}` as the limit, or is that a placeholder?",
    "Is this change backwards compatible for clients using `{other}`?",
    "Could `{ident}` be called with an empty list?",
    "Where does `{other}` get closed?",
    "Do we need to bump the schema version for `{ident}`?",
    "Is there a reason not to use `{other}` here?",
    "Should this be behind the feature flag too?",
    "Which service calls `{ident}`? I couldn't find a caller.",
)

SUGGESTION_LEADS: tuple[str, ...] = (
    "Maybe something like this?",
    "How about:",
    "Small simplification:",
    "suggestion: a slightly safer version:",
    "We can avoid the extra lookup:",
    "This reads a bit clearer to me:",
    "One option that keeps the old name working:",
    "Proposal:",
)

HARSH: tuple[str, ...] = (
    "Did you even test this?",
    "This is obviously wrong. `{ident}` can't be None here, read the code.",
    "Why would you do it like this?? We have `{other}` for exactly this.",
    "Seriously? You copy-pasted `{ident}` again.",
    "No. Just no. This is a mess.",
    "This makes no sense at all. Did you read the design doc?",
    "You clearly don't understand how `{ident}` works.",
    "Obviously this breaks `{other}`. How did this even pass CI?",
    "I've told you THREE times already: don't touch `{ident}`.",
    "Who approved the design of `{ident}`? It's garbage, honestly.",
    "This is sloppy. Redo it.",
    "Terrible name. `{ident}` means nothing.",
    "WTF is `{ident}` supposed to do?",
    "Are you serious? This is basic stuff, everyone knows you don't block in `{ident}`.",
    "Do you even know what `{other}` does? Clearly not.",
    "Please just read the docs before opening PRs.",
    "This is the worst possible way to write `{ident}`!!",
    "Great, another global variable. Just what we needed.",
    "Sure, let's add more magic numbers, why not.",
    "I'm not reviewing this until you actually run the tests.",
    "What a pointless change. Revert it.",
    "Stop adding NEW flags to `{ident}`!! It's ALREADY unreadable.",
    "How many times do we have to go over this? Simply use `{other}`.",
    "This is lazy. You obviously didn't think about errors.",
    "Ugh. This crap again?",
    "You keep making the same mistake in `{file}`.",
    "Nobody asked for this refactor.",
    "Did a junior write this? `{ident}` is a disaster.",
    "Come on, this is trivially broken. Look at `{other}`!",
    "Damn it, you broke `{other}` AGAIN.",
)

HARSH_SUFFIXES: tuple[str, ...] = ("", "", "", " 🙄", "!!", " Seriously.", " Obviously.", " 🤦")

EMOJI: tuple[str, ...] = (
    "👍",
    "🎉",
    "🚀",
    ":+1:",
    "👀",
    "🔥 nice",
    "❤️",
    "😅 oops",
    "🤔",
    "✅",
    ":tada:",
    "💯",
    "🙏 thanks",
)

# Short review bodies for approvals that carry no real review.
TRIVIAL_APPROVALS: tuple[str, ...] = (
    "",
    "",
    "",
    "LGTM",
    "lgtm",
    "+1",
    "LGTM 👍",
    "👍",
    ":shipit:",
    "ship it",
)
