"""Every formula, weight and deviation from docs/metrics.md, printed on the report's methodology page."""

from __future__ import annotations

FORMULAS: dict[str, str] = {
    "window": (
        "Scores use activity in the configured window ([window] since/until, else the last `months` "
        "(default 18) before now: the window the collector used); now is the newest timestamp in the "
        "store unless configured, so re-running on the same store gives the same numbers. The library "
        "default without a config is 180 days."
    ),
    "bots": (
        "An account is a bot when its type is Bot, its login ends in [bot], it posts via a GitHub "
        "App, it is on the configured list, or >= 90 % of its >= 5 comments are near-duplicates after"
        " masking numbers, hashes and URLs. Bot comments, reviews and PRs are removed from every "
        "person's numerator and denominator and reported separately."
    ),
    "identity": (
        "Logins map to people through the alias table; commits without a linked login map through "
        "ID+login@users.noreply.github.com emails or an email seen with a login elsewhere."
    ),
    "newcomer": (
        "A PR author is a newcomer until the later of (first PR + 90 days) and the merge of their 5th"
        " PR; a comment or episode is 'to a newcomer' when the PR's author was a newcomer when it was"
        " opened. Left censoring: an author whose first PR in the data falls within 90 days of the "
        "data's first PR and carries author_association OWNER/MEMBER/COLLABORATOR/CONTRIBUTOR was "
        "already active before the data starts and is not a newcomer."
    ),
    "rate_shrinkage": (
        "Rates: team prior Beta(a, b) by method of moments over people with n >= 10 (a + b = m(1 - "
        "m)/v - 1, capped at 50); estimate = (x + a)/(n + a + b); 90 % interval from Beta(x + a, n - "
        "x + b). Raw rate and Wilson interval kept alongside."
    ),
    "mean_shrinkage": (
        "Means: estimate = w*xbar + (1 - w)*mu, w = tau2/(tau2 + sigma2/n), mu = mean of person "
        "means, sigma2 = own within-person variance (pooled when n < 10), tau2 = var(person means) - "
        "mean(sigma2/n) truncated at 0; interval = estimate +/- 1.645*sqrt(w*sigma2/n)."
    ),
    "considerate": (
        "Shrunk mean of the per-comment considerate score (-1..1) over the person's non-trivial "
        "English comments (inline, review bodies, conversation comments on others' PRs). Shown at n "
        ">= 20."
    ),
    "harsh_rate": ("Shrunk rate of harsh comments over the same population. Shown at n >= 30."),
    "episode": ("One reviewer on one PR: all their reviews, inline and conversation comments (reviewer != author)."),
    "size": (
        "size = additions + deletions over non-generated files (lockfiles, vendored, snapshots, "
        "minified, generated, migrations); changed_files = number of such files."
    ),
    "n_subst": ("Inline comments with >= 3 prose tokens that are not pure replies ('done', 'thanks', ...)."),
    "density": ("density = n_subst / max(size/100, 1)."),
    "q_density": (
        "Mid-rank percentile (below + 0.5*equal)/count of density among team episodes in the same "
        "size decile (episodes with size >= 20); 0 when density is 0."
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
        "T = 0.30*q_density + 0.15*file_cov + 0.20*specificity + 0.20*change_trigger + "
        "0.15*rationale; T *= (1 - 0.5*nit_share); T = 0 for a rubber stamp; episodes with size < 20 "
        "get no T."
    ),
    "rubber_stamp": (
        "The reviewer's first approval on the PR, with no inline comments up to it, an empty/trivial "
        "body and no earlier substantive comment by them (re-review exemption), on a PR with size >= "
        "200 or >= 10 files, given within size/500 hours of the author's last commit before it. PRs "
        "whose body says they were paired on are exempt."
    ),
    "thoroughness": ("Shrunk mean of T over episodes (shown at >= 10 episodes)."),
    "rubber_stamp_rate": (
        "Shrunk rate of rubber stamps over eligible approvals (first approvals meeting the size rule; shown at >= 10)."
    ),
    "useful_rate": ("Shrunk rate of landed feedback over non-trivial inline comments as a reviewer (shown at >= 30)."),
    "mentoring_interaction": (
        "An episode on a newcomer's PR where the reviewer wrote >= 1 non-trivial, non-harsh comment "
        "with a teaching cue: rationale, link, suggestion block, thought:/note: label, or a reply in "
        "a thread to the newcomer."
    ),
    "mentoring_reach": (
        "Distinct newcomers with >= 2 mentoring interactions from the person (a count; shown next to "
        "the team's newcomer inflow)."
    ),
    "breadth": (
        "Normalised entropy of the authors the person reviewed: H / ln(K), K = number of PR authors "
        "in the window other than the person (at least 2); raw = distinct authors reviewed."
    ),
    "sharing_index": (
        "Team Sharing index = 1 - G, G = sum|xi - xj| / (2 n^2 mean) * n/(n - 1) over episodes per "
        "active person (0 = one person does every review, 1 = perfectly even)."
    ),
    "knowledge_spreading": (
        "Shrunk share of the person's episodes touching >= 1 file at risk: a file whose recent human "
        "authors (PRs and default-branch commits in the window), other than the reviewer, number at "
        "most one."
    ),
    "mentee_retention": (
        "Exploratory: shrunk share of the person's mentees (>= 1 mentoring interaction) who open "
        "another PR within 90 days of their first mentored interaction, over mentees whose 90 days "
        "have elapsed; shown at >= 8 mentees, never ranked."
    ),
    "mentee_rounds_change": (
        "Exploratory, never ranked (lower = fewer rounds later). Review rounds of a PR = "
        "CHANGES_REQUESTED reviews by humans other than the author + the author's commits (a proxy "
        "for pushes) committed after the first human review. Per mentee of the person: d = mean rounds"
        " over the mentee's later newcomer PRs (created after the PR of the person's first teaching "
        "comment to the mentee, in the window) - rounds of that first mentored PR; estimate = mean "
        "of d over mentees with >= 1 later PR (no shrinkage); 90 % interval = seeded percentile "
        "bootstrap over mentees. Status 'insufficient' below 8 such mentees or 30 later mentee PRs, "
        "else 'exploratory'. A simple before/after contrast, not the mixed-effects design of section "
        "3.4: the generic learning curve is not removed, so a negative value is not evidence of a "
        "mentoring effect."
    ),
    "docs_volume": (
        "log1p(sum of weighted doc lines), per merged PR / direct commit: added lines of doc files x "
        "2 for onboarding docs x 0.3 for edits of <= 2 lines, each change capped at the team's 95th "
        "percentile."
    ),
    "docs_upkeep": ("Shrunk share of the person's merged code-changing PRs that also change docs (shown at >= 10)."),
    "onboarding_docs": (
        "Count of merged PRs / direct commits touching onboarding docs (README, CONTRIBUTING, getting"
        " started, install/setup/development guides)."
    ),
    "ci_effect": (
        "CI changes are merged human PRs touching CI files (at merged_at, credited to the PR author and"
        " Co-authored-by people) and direct pushes (commits not from a collected PR). For each change "
        "group (changes to one workflow within 3 days): runs in the 28 days before"
        " the first and after the last change (extended to >= 30 runs each side, else 'not yet "
        "measurable'); duration shift = Hodges-Lehmann (median of pairwise after - before "
        "differences; difference of medians above 40,000 pairs) with a seeded 90 % bootstrap "
        "interval on green runs, after removing the least-squares steps of other change groups that "
        "fall inside the windows; failure and flaky-SHA rates (a SHA with a failure and a success, or "
        "a green re-run) compared with Newcombe's hybrid score interval."
    ),
    "ci_hours_saved": (
        "hours/month = (-shift * runs per month after + (-delta flaky share) * SHAs per month after *"
        " median duration after) / 3600, with the interval from the component intervals summed; "
        "credited only when the duration, flaky or failure interval excludes 0 in the improving "
        "direction (never for new quality gates), counting only the components whose own interval "
        "does; split equally across the group's authors and "
        "co-authors; a person's score is the sum of credited shares with summed interval."
    ),
    "multiplier": (
        "Per family, the mean of its components' team z-scores (status ok only; sign flipped for "
        "harsh and rubber-stamp rates): empathy = considerate, harsh_rate; thoroughness = "
        "thoroughness, rubber_stamp_rate; mentoring = mentoring_reach, breadth; docs = docs_volume, "
        "docs_upkeep; ci = ci_hours_saved. Composite = weighted mean of available families (default "
        "weights 1 each), only with >= 3 families; interval = estimate +/- 1.645 * sqrt(sum w^2 "
        "se^2)/sum w, se from each component's interval."
    ),
    "uplift": (
        "Multiplier effect (observational evidence, not proof). Per merged human PR in the window, outcomes: "
        "review rounds (as for mentee outcomes) and log hours from opening to merge. Exposure of the PR to "
        "person r = 1 - exp(-sum exp(-age/90 days)) over r's earlier reviews of the PR's author (first review "
        "per PR; history before the window counts). Model per outcome: y = author effect + repository x month "
        "effect + log1p(size) + log1p(author's earlier PRs) + sum_r beta_r exposure_r + sum_r c_r [r reviews "
        "this PR], fixed effects absorbed by alternating demeaning, OLS (statsmodels) with errors clustered by"
        " author (CR1, t(G-1), absorbed repository-month levels counted). Effect at full exposure = beta_r / "
        "counterfactual mean (rounds) or exp(beta_r) - 1 (time). Empirical Bayes towards no effect: tau2 by "
        "moments (floored), w = tau2/(tau2 + se^2), robust 90 % interval (Armstrong, Kolesar & "
        "Plagborg-Moller). Credited only when the interval excludes 0; 'insufficient data' below 8 exposed "
        "authors. Assumes no unmeasured time-varying differences between authors who did and did not work "
        "with r at that time, and that outcomes of one PR do not change who reviews the next."
    ),
    "display": (
        "Below a family's minimum sample the status is 'insufficient' and the UI shows 'insufficient "
        "data (n = k)'. Minimums: considerate 20, harsh 30, thoroughness 10, rubber stamp 10, useful "
        "30, mentee outcomes 8 mentees, upkeep 10 code PRs, CI 30 runs each side."
    ),
}

DEVIATIONS: list[str] = [
    (
        "Windowing: one fixed window (the configured collection window, 18 months by default), not a "
        "rolling 180-day series recomputed monthly; trend arrows are left to the report."
    ),
    (
        "Newcomer status is evaluated at PR creation time (first PR + 90 days, or fewer than 5 merged"
        " PRs at that time), from the store's own history; author_association is used only against "
        "left censoring at the start of the data. A person "
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
        "rounds, time to approval) of section 3.4 is not implemented; the 30-later-PRs minimum "
        "therefore does not apply."
    ),
    (
        "Docs: the store has no patches, so doc_lines are added lines of doc files; typo fixes are "
        "approximated as edits of <= 2 added lines (weight 0.3); whitespace/link-only edits, "
        "docstrings and the readability guard are not computed; renames without added lines count 0. "
        "Doc review (comments on others' doc PRs) is not a separate family."
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
        "Beta-binomial prior: when fewer than two people reach n >= 10 the prior mean is the pooled "
        "team rate and the prior strength is the cap (50); the prior mean is kept inside [0.001, "
        "0.999]."
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
        "Multiplier effect: ready-for-review is not collected, so time to merge runs from the PR's opening; "
        "CI failure on the first push, rework within 14 days and newcomer milestones are not modelled yet; "
        "docs the person wrote that a PR touches are not part of the exposure yet."
    ),
]
