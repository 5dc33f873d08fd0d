"""Thread replies: authors answering feedback, newcomers asking, mentors explaining."""

from __future__ import annotations

DONE: tuple[str, ...] = (
    "Done.",
    "Fixed in {sha}.",
    "Good catch, updated in {sha}.",
    "Done, thanks!",
    "Changed to `{other}`.",
    "Addressed in {sha}.",
    "Renamed, thanks for spotting it.",
    "Added a test for this in {sha}.",
    "Makes sense, done.",
    "Updated 👍",
    "Fixed.",
    "Agreed, moved it into `{other}`.",
    "Applied your suggestion, thanks!",
    "Oops, yes. Fixed in {sha}.",
)

PUSHBACK: tuple[str, ...] = (
    "I'd rather keep `{ident}` as is, because `{other}` depends on the current order. Happy to add a comment.",
    "I tried that first, but it made the tests in `{file}` much slower. Can we leave it for a follow-up?",
    "Not sure I agree - `{ident}` is only called from one place. Let's discuss in standup?",
    "This is intentional: `{ident}` must not retry, the caller handles that.",
    "Good point, but it's out of scope for this PR. I opened a follow-up issue.",
    "I think the current version is easier to read, but I don't feel strongly.",
)

AFTER_HARSH: tuple[str, ...] = (
    "Ok, changed.",
    "Sorry, fixed.",
    "I did run the tests locally, they pass. Which case do you mean?",
    "Changed it.",
    "Fine, reverted.",
    "Could you explain what you'd prefer instead?",
    "Ok.",
)

NEWCOMER_QUESTIONS: tuple[str, ...] = (
    "Thanks! Could you explain why `{ident}` should not raise here? I'm still learning the error "
    "conventions in this repo.",
    "Sorry, I'm new here - where would be the right place for `{other}`?",
    "Should I also update the docs for `{ident}`, or is that done separately?",
    "I wasn't sure how to test `{ident}` without hitting the network. Is there a fixture for that?",
    "question: is it ok that `{ident}` is synchronous? I saw `{other}` is async.",
    "Thanks for the review! What's the convention for naming helpers like `{ident}`?",
    "I'm not sure I understand the suggestion. Do you mean moving `{ident}` into `{other}`?",
    "Is there a guide for how we structure tests in `{file}`?",
)

MENTOR_ANSWERS: tuple[str, ...] = (
    "Good question! `{ident}` should not raise here because the caller already turns a missing value into "
    "a clear error for the user; raising twice would hide the original cause. The conventions are written "
    "up at {doc}",
    "No need to apologise, this is a great question. `{other}` lives next to the other adapters, "
    "because that's where people look for it. The layout is explained in {doc}",
    "Yes please, docs go in the same PR, so that they never drift from the code. The checklist is at {doc}",
    "There is! Use the `fake_{ident}` fixture; it records calls instead of sending them. See {doc} for an example.",
    "Great catch. It can stay synchronous for now, since it only touches memory. If it ever does IO we "
    "should switch it to async like `{other}`.",
    "We usually name helpers after what they return, so something like `{other}` would fit. The "
    "style guide has a short section on it: {doc}",
    "Exactly, moving it into `{other}` is what I meant. Thanks for asking instead of guessing - "
    "that's exactly the right instinct.",
    "The testing guide covers this: {doc} - in short, one test file per module, and fixtures in "
    "conftest. You're doing great so far!",
)

REVIEWER_FOLLOWUPS: tuple[str, ...] = (
    "Thanks, looks good now.",
    "Perfect 👍",
    "Great, resolving.",
    "Thanks for the quick fix!",
    "Works for me.",
    "Fair enough, let's keep it.",
    "Ok, a follow-up is fine.",
    "👍",
    "Ah, I missed that. Thanks for explaining.",
    "Sounds good.",
)

NEWCOMER_THANKS: tuple[str, ...] = (
    "That makes sense, thank you for the explanation!",
    "Thanks a lot, this helps. I'll read the guide.",
    "Got it, updated. Thanks for your patience!",
    "Thank you! I learned something today.",
)
