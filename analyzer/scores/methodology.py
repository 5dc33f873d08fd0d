"""The methodology a scoring run records: every formula, minimum and deviation, filled with its options.

Formulas are templates: ``{field}`` is the value of ScoringOptions.<field> in the run (``fill``), so the
report's methodology page states the minimums and limits the scores were computed with. Score families
bring their own formulas (``analyzer.scores.families``); the building blocks they share are ``BLOCKS``.
docs/methodology.md carries the same text between its ``families`` markers (``families_markdown``; a test
keeps it current).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from analyzer.scores import families
from analyzer.scores.options import DEFAULT_WINDOW_MONTHS, OPTION, ScoringOptions, recorded_options

# What a reader calls each building block (the report's methodology page and docs/methodology.md).
TITLES: dict[str, str] = {
    "window": "The time window",
    "bots": "Bots",
    "identity": "Who is who",
    "newcomer": "Newcomers",
    "rate_shrinkage": "How rates are estimated",
    "mean_shrinkage": "How averages are estimated",
    "episode": "A review",
    "size": "Size of a pull request",
    "n_subst": "Substantive comments",
    "density": "Comment density",
    "q_density": "Comment density compared with similar pull requests",
    "file_cov": "Files covered",
    "specificity": "Specific comments",
    "rationale": "Comments with a reason",
    "change_trigger": "Comments that led to a change",
    "nit_share": "Nits",
    "T": "Thoroughness of one review",
    "rubber_stamp": "A rubber stamp",
    "mentoring_interaction": "A teaching review",
    "sharing_index": "Sharing index (team)",
    "ci_effect": "CI changes and their effect",
    "display": "When a number is shown",
}
EXCLUSIONS = (
    "Bots are excluded from every score and listed on the bots page; non-English comments are excluded from "
    "tone scores (not from counts); trivial comments ('LGTM', '+1') count as rubber-stamp evidence but not "
    "toward tone."
)
BLOCKS: dict[str, str] = {
    "window": (
        "Scores use activity in the configured window ([window] since/until, else the last `months` "
        "(default {default_window_months}) before now: the window the collector used); now is the newest "
        "timestamp in the store unless configured, so re-running on the same store gives the same numbers."
    ),
    "bots": (
        "An account is a bot when its type is Bot, its login ends in [bot], it posts via a GitHub "
        "App, it is on the configured list, or >= 90 % of its >= {template_bot_min_comments} comments are "
        "near-duplicates after masking numbers, hashes and URLs. Bot comments, reviews and PRs are removed from every "
        "person's numerator and denominator and reported separately."
    ),
    "identity": (
        "Logins map to people through the alias table; commits without a linked login map through "
        "ID+login@users.noreply.github.com emails or an email seen with a login elsewhere."
    ),
    "newcomer": (
        "A PR author is a newcomer until the later of (first PR + {newcomer_days} days) and the merge of their "
        "{newcomer_max_merged_nth}"
        " PR; a comment or episode is 'to a newcomer' when the PR's author was a newcomer when it was"
        " opened. Left censoring: an author whose first PR in the data falls within {newcomer_days} days of the "
        "data's first PR and carries author_association OWNER/MEMBER/COLLABORATOR/CONTRIBUTOR was "
        "already active before the data starts and is not a newcomer."
    ),
    "rate_shrinkage": (
        "Rates: team prior Beta(a, b) by method of moments over people with n >= {prior_min_n} (a + b = "
        "m(1 - m)/v - 1, capped at {prior_strength_cap:g}); estimate = (x + a)/(n + a + b); 90 % interval from "
        "Beta(x + a, n - x + b). Raw rate and Wilson interval kept alongside."
    ),
    "mean_shrinkage": (
        "Means: estimate = w*xbar + (1 - w)*mu, w = tau2/(tau2 + sigma2/n), mu = mean of person "
        "means, sigma2 = own within-person variance (pooled when n < {prior_min_n}), tau2 = var(person means) - "
        "mean(sigma2/n) truncated at 0; interval = estimate +/- 1.645*sqrt(w*sigma2/n)."
    ),
    "episode": ("One reviewer on one PR: all their reviews, inline and conversation comments (reviewer != author)."),
    "size": (
        "size = additions + deletions over non-generated files (lockfiles, vendored, snapshots, "
        "minified, generated, migrations); changed_files = number of such files."
    ),
    "n_subst": ("Inline comments with >= 3 prose tokens that are not pure replies ('done', 'thanks', ...)."),
    "density": ("density = n_subst / max(size/100, 1)."),
    "q_density": (
        "Mid-rank percentile (below + 0.5*equal)/count of density among team episodes in the same "
        "size decile (episodes with size >= {min_episode_size}); 0 when density is 0."
    ),
    "file_cov": ("Share of the PR's non-generated files with >= 1 inline comment by the reviewer."),
    "specificity": (
        "Share of the reviewer's non-trivial comments that are specific (code token, identifier "
        "shared with the diff hunk, suggestion block) or anchored to a line."
    ),
    "rationale": ("Share of the reviewer's non-trivial comments with a rationale (because/since/so that) or a link."),
    "change_trigger": (
        "Share of the reviewer's non-trivial inline comments whose feedback landed: before the merge "
        "the author committed a change to the commented path, or the thread was resolved, or the "
        "thread became outdated after a later author commit, or a suggestion was applied."
    ),
    "nit_share": ("Share of the reviewer's non-trivial comments that are nits."),
    "T": (
        "T = {t_weights[q_density]:.2f}*q_density + {t_weights[file_cov]:.2f}*file_cov + "
        "{t_weights[specificity]:.2f}*specificity + {t_weights[change_trigger]:.2f}*change_trigger + "
        "{t_weights[rationale]:.2f}*rationale; T *= (1 - {nit_discount:g}*nit_share); T = 0 for a rubber "
        "stamp; episodes with size < {min_episode_size} "
        "get no T."
    ),
    "rubber_stamp": (
        "The reviewer's first approval on the PR, with no inline comments up to it, an empty/trivial "
        "body and no earlier substantive comment by them (re-review exemption), on a PR with size >= "
        "{rs_min_size} or >= {rs_min_files} files, given within size/{rs_loc_per_hour:g} hours of the author's "
        "last commit before it. PRs "
        "whose body says they were paired on are exempt."
    ),
    "mentoring_interaction": (
        "An episode on a newcomer's PR where the reviewer wrote >= 1 non-trivial, non-harsh comment "
        "with a teaching cue: rationale, link, suggestion block, thought:/note: label, or a reply in "
        "a thread to the newcomer."
    ),
    "sharing_index": (
        "Team Sharing index = 1 - G, G = sum|xi - xj| / (2 n^2 mean) * n/(n - 1) over episodes per "
        "active person (0 = one person does every review, 1 = perfectly even)."
    ),
    "ci_effect": (
        "CI changes are merged human PRs touching CI files (at merged_at, credited to the PR author and"
        " Co-authored-by people) and direct pushes (commits not from a collected PR). For each change "
        "group (changes to one workflow within {ci_group_days} days): runs in the {ci_window_days} days before"
        " the first and after the last change (extended to >= {ci_min_runs} runs each side, else 'not yet "
        "measurable'); duration shift = Hodges-Lehmann (median of pairwise after - before "
        "differences; difference of medians above 40,000 pairs) with a seeded 90 % bootstrap "
        "interval on green runs, after removing the least-squares steps of other change groups that "
        "fall inside the windows; failure and flaky-SHA rates (a SHA with a failure and a success, or "
        "a green re-run) compared with Newcombe's hybrid score interval."
    ),
    "uplift": (
        "Multiplier effect (observational evidence, not proof). Per merged human PR in the window, outcomes: "
        "review rounds (as for mentee outcomes), hours from the last ready-for-review (the opening, for a PR "
        "never a draft) to merge, CI failure on the first push "
        "and rework (a fix or revert touching its files within 14 days). Exposure of the PR to person r = 1 "
        "when the author worked with r in the {uplift_decay_days:g} days before it, else 0: r reviewed one of "
        "the author's PRs (first review per PR; history before the window counts), or r wrote, in a merged "
        "PR, a doc file this PR changes (the docs channel; only the docs the PR itself changes; the author's "
        "own docs and bots excluded). Model per outcome: log E[y] = author effect + "
        "repository x month effect + log1p(size) + log1p(author's earlier PRs) + [PR changes a doc file] + "
        "sum_r beta_r exposure_r + sum_r c_r [r reviews this PR]: Poisson quasi-likelihood for counts and "
        "0/1 outcomes, OLS of log "
        "hours for time; fixed effects absorbed by (weighted) alternating demeaning, statsmodels WLS/OLS; "
        "standard error the larger of the author-clustered (CR1) and the conventional quasi-likelihood one "
        "(t(G-1), absorbed levels counted). Effect = "
        "exp(beta_r) - 1 on the PRs of the {uplift_decay_days:g} days after working with r. Empirical Bayes "
        "towards no effect on the log scale: tau2 by moments over the other people (floored), estimate w x, "
        "w = tau2/(tau2 + se^2), 90 % FAB interval (Yu & Hoff), which covers each person's own effect 90 % of "
        "the time and excludes 0 exactly when |x|/se > 1.645. Credited only when the interval excludes 0; "
        "'insufficient data' below {min_uplift_authors} exposed authors. Assumes no unmeasured time-varying "
        "differences between authors who did and did not work with r at that time, and that outcomes of one "
        "PR do not change who reviews the next."
    ),
    "display": (
        "Below a family's minimum sample the status is 'insufficient' and the UI shows 'insufficient "
        "data (n = k)'. Minimums: considerate {min_considerate}, harsh {min_harsh}, thoroughness {min_thoroughness}, "
        "rubber stamp {min_rubber_stamp}, useful {min_useful}, mentee outcomes {min_mentees} mentees, upkeep "
        "{min_upkeep} code PRs, CI {ci_min_runs} runs each side."
    ),
}

DEVIATIONS: list[str] = [
    (
        "Windowing: one fixed window (the configured collection window, {default_window_months} months by "
        "default), not a rolling 180-day series recomputed monthly; trend arrows are left to the report."
    ),
    (
        "Newcomer status is evaluated at PR creation time (first PR + {newcomer_days} days, or fewer than "
        "{newcomer_max_merged} merged PRs at that time), from the store's own history; author_association is "
        "used only against left censoring at the start of the data. A person "
        "with no authored PR is never a newcomer."
    ),
    (
        "PRs authored by bots are excluded from review episodes, mentoring and review edges (a bot is"
        " not a person 'around' the reviewer); human comments on bot PRs still count for empathy."
    ),
    (
        "change_trigger is path-level, not within +/-10 lines: the store keeps per-commit file lists "
        "but no line ranges. To compensate, a thread GitHub marks outdated after a later author "
        "commit also counts as landed. Commits whose file lists were not collected can only land "
        "through resolved/outdated threads or applied suggestions, which biases change_trigger down "
        "equally for everyone in that repository."
    ),
    ("The pure-reply filter for n_subst uses a short list of acknowledgement phrases on replies only."),
    (
        "Rubber stamp: 'last author push' is approximated by the author's latest commit time "
        "(committed date) at or before the approval, or the PR's creation time when there is none; "
        "pairing exemption via PR-body markers only ('paired with @', 'pair-programmed', ...), labels"
        " are not collected."
    ),
    ("Familiarity split (T on previously touched vs. first-time files) is not computed yet."),
    (
        "Knowledge spreading is episode-level: an episode counts as 'at risk' when any of its files "
        "has at most one recent author other than the reviewer; recent = the scoring window."
    ),
    (
        "Mentee outcomes: only retention is computed; the mixed-effects improvement model (review "
        "rounds, time to approval) is not implemented; the {min_mentee_prs}-later-PRs minimum "
        "therefore does not apply."
    ),
    (
        "Docs: the store has no patches, so doc_lines are added lines of doc files; typo fixes are "
        "approximated as edits of <= {small_doc_edit_lines} added lines (weight {small_doc_edit_weight:g}); "
        "whitespace/link-only edits, docstrings and the readability guard are not computed; renames without "
        "added lines count 0. Doc review (comments on others' doc PRs) is not a separate family."
    ),
    (
        "CI: runs of all events and branches of a workflow are pooled (not split by default branch "
        "vs. PR); non-workflow CI files (actions, tool configs) are assumed to affect every workflow "
        "of the repository; no segmented regression or difference-in-differences control; "
        "failure-rate improvements alone can credit a change but are not converted to hours; new "
        "quality gates are never credited hours (their adoption is listed by change type). Change "
        "types come from commit messages and paths (no patches)."
    ),
    ("Hodges-Lehmann falls back to the difference of medians above 40,000 pairwise differences (speed)."),
    (
        "Beta-binomial prior: when fewer than two people reach n >= {prior_min_n} the prior mean is the "
        "pooled team rate and the prior strength is the cap ({prior_strength_cap:g}); the prior mean is kept "
        "inside [0.001, 0.999]."
    ),
    (
        "Normal-normal shrinkage uses the unweighted mean of person means as mu; with a single person"
        " no shrinkage is applied."
    ),
    (
        "The composite's interval propagates each component's 90 % interval as a normal standard "
        "error instead of re-running a person-level bootstrap over raw episodes/comments/runs (same "
        "target, far cheaper)."
    ),
    ("Mentoring reach and breadth are counts without intervals (lo/hi are empty)."),
    (
        "Multiplier effect: a PR whose ready-for-review moment is unknown (GitHub refused its timeline; "
        "`ready_events` NULL in the store) has no time to merge: it is left out of that outcome, not timed "
        "from its opening; "
        "newcomer milestones (first clean merge, still active 90 days later) are not modelled yet."
    ),
]


def _nth(n: Any) -> str:
    """'5th', '1st', '2nd', '3rd', '11th'."""
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def option_values(recorded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The options a scoring run used (meta["options"], ScoringOptions field names), completed with the
    ScoringOptions defaults for fields a store scored by an older version did not record."""
    values = {**recorded_options(ScoringOptions()), **dict(recorded or {})}
    groups = families.profile_groups()
    values["profile_groups"] = "; ".join(
        f"{group} = {', '.join(name for name, _ in members)}" for group, members in groups.items()
    )
    values["newcomer_max_merged_nth"] = _nth(values["newcomer_max_merged"])
    values["default_window_months"] = DEFAULT_WINDOW_MONTHS  # config.toml's [window] months
    return values


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each ``{field}`` replaced by its value; a value a template cannot format (a
    store written with odd options) falls back to the installed default rather than failing the report."""
    try:
        return string.Formatter().vformat(template, (), values)
    except (KeyError, IndexError, ValueError, TypeError):
        return string.Formatter().vformat(template, (), option_values())


def formulas(values: Mapping[str, Any]) -> dict[str, str]:
    """Every formula, filled: the building blocks, then each family's (see ``option_values``)."""
    templates = {**BLOCKS, **{f.name: f.formula for f in families.all_families() if f.formula}}
    return {key: fill(template, values) for key, template in templates.items()}


def deviations(values: Mapping[str, Any]) -> list[str]:
    return [fill(template, values) for template in DEVIATIONS]


def recorded(options: ScoringOptions) -> dict[str, Any]:
    """The methodology a scoring run with ``options`` records in its meta: formulas and deviations."""
    values = option_values(recorded_options(options))
    return {"formulas": formulas(values), "deviations": deviations(values)}


BEGIN = "<!-- families:begin"
END = "<!-- families:end -->"
GENERATED_BY = (
    "generated from analyzer/scores/families.py and analyzer/scores/methodology.py by "
    "`python -m analyzer.scores.methodology docs/methodology.md`; tests/scores/test_families.py checks it"
)


def title(key: str) -> str:
    """What a reader calls a formula's subject: a building block's title or a family's label."""
    found = families.find(key)
    return TITLES.get(key) or (found.label if found else key.replace("_", " ").capitalize())


def _family_line(fam: families.Family, values: Mapping[str, Any]) -> str:
    direction = {True: "higher is better", False: "lower is better", None: "neither direction is better"}
    parts = [f"`{fam.name}`", f"unit: {fam.unit}", direction[fam.higher_is_better]]
    if fam.group:
        parts.append(f"profile group: {fam.group} (weight `[scores.weights] {fam.group}`)")
    if fam.min_option:
        parts.append(f"shown from {values[fam.min_option]} {fam.n_unit} (`{fam.min_option}`)".replace("  ", " "))
    if fam.exploratory:
        parts.append("exploratory, never ranked")
    return " · ".join(parts)


def config_keys() -> dict[str, str]:
    """ScoringOptions field -> the config.toml key bound to it (``analyzer.config.option_key``)."""
    from dataclasses import fields, is_dataclass

    from analyzer.config import Config  # the config sits above the options layer: imported on use

    config, keys = Config(), {}
    for section in fields(config):
        value = getattr(config, section.name)
        if is_dataclass(value):
            for key in fields(value):
                if OPTION in key.metadata:
                    keys[key.metadata[OPTION]] = f"`[{section.name}] {key.name}`"
    return keys


def families_markdown(values: Mapping[str, Any] | None = None) -> str:
    """The generated part of docs/methodology.md, markers included: families, building blocks,
    minimums, exclusions and deviations, filled with ``values`` (default: ScoringOptions())."""
    filled = dict(values or option_values())
    text = formulas(filled)
    fams = families.all_families()
    keys = config_keys()
    lines = [
        f"{BEGIN}: {GENERATED_BY} -->",
        "",
        "## Score families",
        "",
        "Each family is declared once, in `analyzer/scores/families.py` (see docs/ARCHITECTURE.md, \"Adding a "
        "score family\"). The values below are the defaults (`ScoringOptions()`); the report's methodology page "
        "prints the values of the scoring run it shows (`meta[\"options\"]`).",
        "",
        "### Minimum samples",
        "",
        "Below its minimum a family's status is 'insufficient' and the report says 'insufficient data (n = k)'.",
        "",
        "| family | shown from | option | config.toml |",
        "|---|---|---|---|",
        *(
            f"| {f.label} (`{f.name}`) | {filled[f.min_option]} {f.n_unit} | `{f.min_option}` | "
            f"{keys.get(f.min_option, 'not configurable')} |"
            for f in fams
            if f.min_option
        ),
        "",
    ]
    for fam in fams:
        lines += [f"### {fam.label}", "", _family_line(fam, filled), "", fam.what, "", text[fam.name], ""]
    lines += ["## Building blocks", ""]
    for key in BLOCKS:
        lines += [f"### {title(key)}", "", text[key], ""]
    lines += ["## Exclusions", "", EXCLUSIONS, "", "## Deviations from the original specification", ""]
    lines += [f"- {d}" for d in deviations(filled)]
    return "\n".join([*lines, "", END])


def with_families_section(document: str, section: str) -> str:
    """``document`` with the text between its families markers replaced by ``section``."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no {BEGIN} ... {END} markers in the document")
    return document[:start] + section + document[end + len(END) :]


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/methodology.md")
    target.write_text(with_families_section(target.read_text(encoding="utf-8"), families_markdown()), encoding="utf-8")
