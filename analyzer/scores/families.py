"""The score families, each declared once: what computes it, what shows its evidence, and what it means.

A ``FamilyModule`` is one computation step (usually one module of ``analyzer.scores``) and the families
its rows carry: one call of ``scores`` returns the ``family_scores`` rows of all of them, one call of
``evidence`` their evidence rows. Everything else is derived from these declarations: the pipeline's
family loop (``analyzer.scores.pipeline``), the multiplier profile's groups (``analyzer.scores.profile``),
the report's labels, units and directions (``analyzer.report.labels``), the formulas the scoring run
records (``analyzer.scores.methodology``) and the families section of docs/methodology.md.

Adding a family: write its module (a function returning ``stats.family_rows`` and, optionally, one
returning evidence rows), then declare it with one ``FamilyModule`` in ``MODULES`` below (or, from a
plugin or a test, ``register``). docs/ARCHITECTURE.md, "Adding a score family", walks through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from analyzer.frames.model import Frames
from analyzer.scores import ci_credit, docs_credit, empathy, episodes, mentee_outcomes, mentoring, newcomer_merge
from analyzer.scores.options import ScoringOptions


@dataclass(frozen=True)
class FamilyInputs:
    """What a family's computation may read: the frames, the options and the shared intermediate tables
    the pipeline builds once per run (each computation only reads them)."""

    frames: Frames
    options: ScoringOptions
    start: datetime
    end: datetime
    comments: pd.DataFrame  # the ``comments`` score table (per-comment scores)
    episodes: pd.DataFrame  # the ``episodes`` score table (one reviewer on one PR)
    teaching: pd.DataFrame  # comments with a teaching cue to a newcomer (mentoring.teaching_comments)
    pairs: pd.DataFrame  # the ``mentoring`` score table (mentor, mentee pairs)
    outcomes: pd.DataFrame  # mentees' first and later PRs (mentee_outcomes.mentee_outcomes)
    doc_changes: pd.DataFrame  # the ``doc_changes`` score table
    code_prs: pd.DataFrame  # merged code-changing PRs, for docs upkeep
    ci: pd.DataFrame  # measured CI change groups (ci_credit.ci_changes)


Compute = Callable[[FamilyInputs], pd.DataFrame]


@dataclass(frozen=True)
class Family:
    """One score family: one kind of row in ``family_scores``."""

    name: str  # the ``family`` value in family_scores and evidence
    label: str  # what a reader calls it
    what: str  # one plain sentence: what the number measures
    unit: str  # the unit a reader sees ("%", "doc lines", "hours / month", ...)
    higher_is_better: bool | None  # None: neither direction is better (shown, never marked)
    # how it is computed, for the methodology; ``{field}`` is filled with the value of that
    # ScoringOptions field in the scoring run (see analyzer.scores.methodology.fill)
    formula: str = ""
    n_unit: str = ""  # what n counts ("comments", "reviews", ...)
    min_option: str | None = None  # the ScoringOptions field holding the minimum n to be shown
    group: str | None = None  # the multiplier profile group it belongs to (its weight: options.weights)
    log1p: bool = False  # stored as log1p(value): shown as the value itself
    for_others: bool = True  # part of "what they did for others" (the multiplier chart)
    exploratory: bool = False

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is: the sign of its z-score in the profile."""
        return -1 if self.higher_is_better is False else 1


@dataclass(frozen=True)
class FamilyModule:
    """One computation step and the families its rows carry."""

    name: str
    families: tuple[Family, ...]
    scores: Compute  # -> family_scores rows (analyzer.scores.stats.family_rows) of ``families``
    evidence: Compute | None = None  # -> evidence rows (stats.EVIDENCE_COLUMNS)


def _mentoring_evidence(x: FamilyInputs) -> pd.DataFrame:
    return pd.concat(
        [
            mentoring.mentoring_evidence(x.teaching, x.options),
            mentee_outcomes.mentee_rounds_evidence(x.outcomes, x.options),
        ],
        ignore_index=True,
    )


PERCENT = "%"
EMPATHY = FamilyModule(
    "empathy",
    scores=lambda x: empathy.empathy_scores(x.comments, x.options),
    evidence=lambda x: empathy.empathy_evidence(x.comments, x.options),
    families=(
        Family(
            "considerate",
            "Considerate comments",
            "How kind and constructive their review comments read, from -1 (harsh) to +1 (considerate).",
            "score from -1 to +1",
            True,
            "Shrunk mean of the per-comment considerate score (-1..1) over the person's non-trivial English "
            "comments (inline, review bodies, conversation comments on others' PRs). Shown at n >= "
            "{min_considerate}.",
            n_unit="comments",
            min_option="min_considerate",
            group="empathy",
        ),
        Family(
            "harsh_rate",
            "Harsh comments",
            "Share of their review comments that read as harsh or dismissive.",
            PERCENT,
            False,
            "Shrunk rate of harsh comments over the same population. Shown at n >= {min_harsh}.",
            n_unit="comments",
            min_option="min_harsh",
            group="empathy",
        ),
    ),
)
THOROUGHNESS = FamilyModule(
    "thoroughness",
    scores=lambda x: episodes.thoroughness_scores(x.episodes, x.comments, x.options),
    evidence=lambda x: episodes.episode_evidence(x.episodes, x.comments, x.options),
    families=(
        Family(
            "thoroughness",
            "Review thoroughness",
            "How closely they review: specific comments on the changed files, with reasons, that lead to "
            "changes (0 = a glance, 1 = very thorough).",
            "score from 0 to 1",
            True,
            "Shrunk mean of T over episodes (shown at >= {min_thoroughness} episodes).",
            n_unit="reviews",
            min_option="min_thoroughness",
            group="thoroughness",
        ),
        Family(
            "rubber_stamp_rate",
            "Rubber-stamp approvals",
            "Share of their approvals of large changes given quickly and without a single comment.",
            PERCENT,
            False,
            "Shrunk rate of rubber stamps over eligible approvals (first approvals meeting the size rule; "
            "shown at >= {min_rubber_stamp}).",
            n_unit="approvals",
            min_option="min_rubber_stamp",
            group="thoroughness",
        ),
        Family(
            "useful_rate",
            "Comments that led to a change",
            "Share of their inline review comments after which the author changed the code or resolved "
            "the thread.",
            PERCENT,
            True,
            "Shrunk rate of landed feedback over non-trivial inline comments as a reviewer (shown at >= "
            "{min_useful}).",
            n_unit="inline comments",
            min_option="min_useful",
        ),
    ),
)
MENTORING = FamilyModule(
    "mentoring",
    scores=lambda x: mentoring.mentoring_scores(
        x.episodes, x.pairs, x.frames, x.options, x.start, x.end, x.outcomes
    ),
    evidence=_mentoring_evidence,
    families=(
        Family(
            "mentoring_reach",
            "Newcomers mentored",
            "Newcomers who got at least two teaching reviews from them (comments with a reason, a link or a "
            "suggestion).",
            "newcomers",
            True,
            "Distinct newcomers with >= {mentoring_min_interactions} mentoring interactions from the person "
            "(a count; shown next to the team's newcomer inflow).",
            n_unit="teaching reviews",
            group="mentoring",
        ),
        Family(
            "breadth",
            "Review breadth",
            "How evenly their reviews spread over the colleagues who open pull requests (0 = always the same "
            "person, 1 = everyone equally).",
            "evenness from 0 to 1",
            True,
            "Normalised entropy of the authors the person reviewed: H / ln(K), K = number of PR authors in "
            "the window other than the person (at least 2); raw = distinct authors reviewed.",
            n_unit="reviews",
            group="mentoring",
        ),
        Family(
            "knowledge_spreading",
            "Reviews of code few people know",
            "Share of their reviews touching files that at most one other person has recently changed.",
            PERCENT,
            True,
            "Shrunk share of the person's episodes touching >= 1 file at risk: a file whose recent human "
            "authors (PRs and default-branch commits in the window), other than the reviewer, number at "
            "most one.",
            n_unit="reviews",
        ),
        Family(
            "mentee_retention",
            "Mentees who came back",
            "Share of the newcomers they mentored who opened another pull request within 90 days.",
            PERCENT,
            True,
            "Exploratory: shrunk share of the person's mentees (>= 1 mentoring interaction) who open another "
            "PR within {retention_days} days of their first mentored interaction, over mentees whose "
            "{retention_days} days have elapsed; shown at >= {min_mentees} mentees, never ranked.",
            n_unit="mentees",
            min_option="min_mentees",
            exploratory=True,
        ),
        Family(
            "mentee_rounds_change",
            "Mentees' review rounds, later vs first",
            "Change in review rounds per pull request for the newcomers they mentored: later pull requests "
            "minus the first mentored one (negative = fewer rounds later).",
            "review rounds per pull request",
            False,
            "Exploratory, never ranked (lower = fewer rounds later). Review rounds of a PR = "
            "CHANGES_REQUESTED reviews by humans other than the author + the author's commits (a proxy for "
            "pushes) committed after the first human review. Per mentee of the person: d = mean rounds over "
            "the mentee's later newcomer PRs (created after the PR of the person's first teaching comment to "
            "the mentee, in the window) - rounds of that first mentored PR; estimate = mean of d over "
            "mentees with >= 1 later PR (no shrinkage); 90 % interval = seeded percentile bootstrap over "
            "mentees. Status 'insufficient' below {min_mentees} such mentees or {min_mentee_prs} later "
            "mentee PRs, else 'exploratory'. A simple before/after contrast, not the mixed-effects design: "
            "the generic learning curve is not removed, so a negative value is not evidence of a mentoring "
            "effect.",
            n_unit="mentees",
            min_option="min_mentees",
            exploratory=True,
        ),
    ),
)
NEWCOMER_MERGE = FamilyModule(
    "newcomer_merge",
    scores=lambda x: newcomer_merge.newcomer_merge_scores(x.pairs, x.frames, x.options, x.episodes),
    evidence=lambda x: newcomer_merge.newcomer_merge_evidence(x.pairs, x.frames, x.options),
    families=(
        Family(
            "mentee_first_clean_merge",
            "Mentees' first clean merge",
            "Share of the newcomers they mentored whose first pull request merged with no changes requested "
            "came within 90 days of their first pull request.",
            PERCENT,
            True,
            "Exploratory, never ranked; descriptive, not a causal claim. Per mentee of the person (the "
            "mentoring pairs, as for the two families above): days from the mentee's first PR opened to the "
            "merge of their first PR merged with no CHANGES_REQUESTED review by a human other than its author "
            "(bots and the author's own reviews do not count). A mentee counts only once their first PR is "
            "{clean_merge_days} days old by the end of the data (younger ones are left out, not counted as "
            "failures); estimate = shrunk share (beta-binomial, 90 % interval) of those mentees with a clean "
            "merge within {clean_merge_days} days; evidence lists each mentee's days and links the PR. Status "
            "'insufficient' below {min_clean_merge_mentees} such mentees, else 'exploratory'.",
            n_unit="mentees",
            min_option="min_clean_merge_mentees",
            exploratory=True,
        ),
    ),
)
DOCS = FamilyModule(
    "docs",
    scores=lambda x: docs_credit.docs_scores(x.doc_changes, x.code_prs, x.options),
    evidence=lambda x: docs_credit.docs_evidence(x.doc_changes, x.options),
    families=(
        Family(
            "docs_volume",
            "Documentation written",
            "Lines of documentation they added in merged work (onboarding docs count double, two-line "
            "touch-ups count 0.3).",
            "doc lines",
            True,
            "log1p(sum of weighted doc lines), per merged PR / direct commit: added lines of doc files x "
            "{onboarding_weight:g} for onboarding docs x {small_doc_edit_weight:g} for edits of <= "
            "{small_doc_edit_lines} lines, each change capped at the team's 95th percentile.",
            n_unit="doc changes",
            group="docs",
            log1p=True,
        ),
        Family(
            "docs_upkeep",
            "Docs kept up to date",
            "Share of their merged code changes that also update the documentation.",
            PERCENT,
            True,
            "Shrunk share of the person's merged code-changing PRs that also change docs (shown at >= "
            "{min_upkeep}).",
            n_unit="code changes",
            min_option="min_upkeep",
            group="docs",
        ),
        Family(
            "onboarding_docs",
            "Onboarding docs",
            "Merged pull requests and commits of theirs that touch onboarding docs (README, CONTRIBUTING, "
            "setup guides).",
            "changes",
            True,
            "Count of merged PRs / direct commits touching onboarding docs (README, CONTRIBUTING, getting "
            "started, install/setup/development guides).",
            n_unit="doc changes",
        ),
    ),
)
CI = FamilyModule(
    "ci",
    scores=lambda x: ci_credit.ci_scores(x.ci),
    evidence=lambda x: ci_credit.ci_evidence(x.ci),
    families=(
        Family(
            "ci_hours_saved",
            "CI time saved for everyone",
            "Hours of waiting for CI that their workflow changes save the team each month.",
            "hours / month",
            True,
            "hours/month = (-shift * runs per month after + (-delta flaky share) * SHAs per month after * "
            "median duration after) / 3600, with the interval from the component intervals summed; credited "
            "only when the duration, flaky or failure interval excludes 0 in the improving direction (never "
            "for new quality gates), counting only the components whose own interval does; split equally "
            "across the group's authors and co-authors; a person's score is the sum of credited shares with "
            "summed interval.",
            n_unit="CI changes",
            group="ci",
        ),
    ),
)
# Computed from the other families' rows (analyzer.scores.profile.multiplier_scores), so not a module.
MULTIPLIER = Family(
    "multiplier",
    "Overall multiplier",
    "All families above combined: how far they are from the team's typical person, in units of how much "
    "people in the team differ (0 = typical, +1 = one spread above).",
    "team spreads (0 = typical)",
    True,
    "Per family, the mean of its components' team z-scores (status ok only; sign flipped for harsh and "
    "rubber-stamp rates): {profile_groups}. Composite = weighted mean of available families (default "
    "weights 1 each), only with >= {min_families_for_multiplier} families; interval = estimate +/- 1.645 "
    "* sqrt(sum w^2 se^2)/sum w, se from each component's interval.",
    n_unit="families",
    min_option="min_families_for_multiplier",
    for_others=False,
)

# The registry, in the order families are computed and shown.
MODULES: list[FamilyModule] = [EMPATHY, THOROUGHNESS, MENTORING, NEWCOMER_MERGE, DOCS, CI]


def modules() -> tuple[FamilyModule, ...]:
    """Every registered family module, in order (read live: modules registered later are included)."""
    return tuple(MODULES)


def all_families() -> tuple[Family, ...]:
    """Every family, in the order the report shows them; the multiplier (built from the others) last."""
    return (*(f for m in MODULES for f in m.families), MULTIPLIER)


def find(name: str) -> Family | None:
    return next((f for f in all_families() if f.name == name), None)


def register(module: FamilyModule) -> None:
    """Add a family module (after the built-in ones); its family names must be new."""
    taken = {f.name for f in all_families()}
    clash = sorted(taken & {f.name for f in module.families})
    if clash or any(m.name == module.name for m in MODULES):
        raise ValueError(f"score family already registered: {', '.join(clash) or module.name}")
    unknown = [f.min_option for f in module.families if f.min_option and f.min_option not in OPTION_NAMES]
    if unknown:
        raise ValueError(f"min_option is not a ScoringOptions field: {', '.join(unknown)}")
    MODULES.append(module)


def unregister(name: str) -> None:
    MODULES[:] = [m for m in MODULES if m.name != name]


@contextmanager
def registered(module: FamilyModule) -> Iterator[FamilyModule]:
    """``module`` registered for the duration of a ``with`` block (plugins trying a family, tests)."""
    register(module)
    try:
        yield module
    finally:
        unregister(module.name)


def profile_groups() -> dict[str, tuple[tuple[str, int], ...]]:
    """Multiplier profile group -> its components (family, sign), in registry order."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for fam in all_families():
        if fam.group is not None:
            groups.setdefault(fam.group, []).append((fam.name, fam.sign))
    return {group: tuple(members) for group, members in groups.items()}


def minimums(values: Mapping[str, Any]) -> dict[str, Any]:
    """Family -> the minimum n it is shown at, read from option ``values`` (ScoringOptions field names)."""
    return {f.name: values[f.min_option] for f in all_families() if f.min_option and f.min_option in values}


OPTION_NAMES = frozenset(ScoringOptions.__dataclass_fields__)
