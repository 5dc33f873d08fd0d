"""One typed declaration per stored score table: its columns, in order, and each column's dtype.

Everything that makes, stores, caches or reads a score table takes its columns from here: the producers
(their column tuples, e.g. ``stats.FAMILY_COLUMNS``), ``scores.pipeline.conform_scores`` (so
``write_scores``/``read_scores`` and the store), the incremental cache (the dtypes of the columns its rows
share with the stored tables), the report (``report.inputs.FRAME_COLUMNS``, which refuses a table that
lacks a declared column) and the report's test fixtures. A column added here is a column everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from analyzer.errors import StoreError
from analyzer.frames.model import STR, TS

B = "bool"
F = "float64"
I64 = "int64"
NI64 = "Int64"  # nullable: ids and numbers that can be missing
CAT = "category"


@dataclass(frozen=True)
class Table:
    """A stored score table: ``dtypes`` maps each column, in order, to its pandas dtype."""

    name: str
    dtypes: Mapping[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.dtypes)

    def pick(self, *columns: str) -> dict[str, str]:
        """The dtypes of ``columns`` (each must be declared): for tables that share columns with this one."""
        return {c: self.dtypes[c] for c in columns}


def _table(name: str, dtypes: dict[str, str]) -> Table:
    return Table(name, MappingProxyType(dtypes))


PEOPLE = _table("people", {
    "person": STR, "display_name": STR, "is_newcomer": B, "first_activity_at": TS, "n_prs_authored": I64,
    "n_reviews_given": I64, "n_comments": I64,
})
COMMENTS = _table("comments", {
    "comment_id": STR, "kind": STR, "person": STR, "pr_id": NI64, "repo": STR, "pr_number": NI64,
    "pr_author": STR, "created_at": TS, "body": STR, "url": STR, "considerate": F, "harsh": B, "harsh_prob": F,
    "useful_prob": F, "comment_type": CAT, "markers": STR, "is_trivial": B, "lang_en": B, "to_newcomer": B,
})
EPISODES = _table("episodes", {
    "person": STR, "pr_id": NI64, "repo": STR, "pr_number": NI64, "pr_author": STR, "size": I64,
    "changed_files": I64, "n_subst": I64, "density": F, "q_density": F, "file_cov": F, "specificity": F,
    "rationale": F, "change_trigger": F, "nit_share": F, "blocking": B, "rubber_stamp": B,
    "eligible_approval": B, "T": F, "url": STR,
    "title": STR,  # the PR's title: untrusted text, escaped by the report
    "last_at": TS,  # the reviewer's newest review or comment on the PR
})
FAMILY_SCORES = _table("family_scores", {
    "person": STR, "family": STR, "estimate": F, "lo": F, "hi": F, "raw": F, "n": I64, "min_n": I64,
    "status": STR, "unit": STR, "higher_is_better": B,
})
CI_CHANGES = _table("ci_changes", {
    "person": STR, "repo": STR, "sha": STR, "pr_number": NI64, "workflow_path": STR, "changed_at": TS,
    "runs_before": I64, "runs_after": I64, "median_before_s": F, "median_after_s": F, "shift_s": F,
    "shift_lo_s": F, "shift_hi_s": F, "fail_rate_before": F, "fail_rate_after": F, "flaky_before": F,
    "flaky_after": F, "hours_saved_month": F, "hours_lo": F, "hours_hi": F, "credited": B, "status": STR,
    "change_type": STR, "url": STR,
})
CI_SERIES = _table("ci_series", {
    "repo": STR, "workflow_path": STR, "run_id": NI64, "created_at": TS, "duration_s": F, "conclusion": STR,
    "run_attempt": NI64, "url": STR,
})
DOC_CHANGES = _table("doc_changes", {
    "person": STR, "repo": STR, "kind": STR, "ref": STR, "at": TS, "doc_lines": I64, "weighted_lines": F,
    "onboarding": B, "with_code": B, "url": STR,
})
MENTORING = _table("mentoring", {
    "mentor": STR, "mentee": STR, "n_interactions": I64, "first_at": TS, "last_at": TS, "pr_ids": STR,
})
REVIEW_EDGES = _table("review_edges", {"reviewer": STR, "author": STR, "n_episodes": I64, "author_is_newcomer": B})
BOTS = _table("bots", {"login": STR, "reason": STR, "n_prs": I64, "n_comments": I64, "n_reviews": I64})
EVIDENCE = _table("evidence", {
    "person": STR, "family": STR, "kind": STR, "ref": STR, "url": STR, "excerpt": STR, "markers": STR, "at": TS,
    "title": STR,  # the PR's title where the row is about a PR (shown above the excerpt); else empty
})
TEAM = _table("team", {
    "harsh_rate": F, "harsh_lo": F, "harsh_hi": F, "rubber_stamp_rate": F, "rs_lo": F, "rs_hi": F,
    "sharing_index": F, "n_people": I64, "n_newcomers": I64, "ci_hours_saved": F, "ci_lo": F, "ci_hi": F,
    "window_start": TS, "window_end": TS,
})
NEWCOMER_INFLOW = _table("newcomer_inflow", {"month": STR, "n_newcomers": I64, "n_helped": I64})
UPLIFT = _table("uplift", {  # the multiplier effect per person and outcome (docs/methodology.md)
    "person": STR, "outcome": STR, "estimate": F, "lo": F, "hi": F, "raw": F, "raw_lo": F, "raw_hi": F,
    "n_authors": I64, "n_prs": I64, "min_n": I64, "status": STR, "credited": B, "baseline": F, "naive": F,
    "naive_lo": F, "naive_hi": F,
})

# every stored table, in the order they are written (scores.pipeline.Scores has one field per table)
TABLES: Mapping[str, Table] = MappingProxyType({
    t.name: t
    for t in (
        PEOPLE, COMMENTS, EPISODES, FAMILY_SCORES, CI_CHANGES, CI_SERIES, DOC_CHANGES, MENTORING, REVIEW_EDGES,
        BOTS, EVIDENCE, TEAM, NEWCOMER_INFLOW, UPLIFT,
    )
})
RESCORE = "run `analyzer score` again with this version of analyzer, then `analyzer report`"


def require_columns(name: str, columns: Iterable[object], source: str) -> None:
    """``StoreError`` (one line: what is missing, what to run) unless ``columns`` hold every declared column
    of table ``name``: scores from another version are refused, never filled with blanks."""
    present = set(columns)
    missing = [col for col in TABLES[name].columns if col not in present]
    if missing:
        raise StoreError(f"{source}: score table {name} lacks column(s) {', '.join(missing)}; {RESCORE}")
