"""score_all: frames -> every score table (the contract the report codes against), plus write/read.

All times derive from ``frames.now`` / the window resolved from ``ScoringOptions`` (never the clock).
Per-comment scores are computed once per run, vectorised, and optionally cached (``options.cache``)
so a re-run only scores new or edited comments.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from analyzer.errors import StoreError
from analyzer.frames.model import STR, TS, Frames, cast, has_dtype
from analyzer.scores import (
    ci_credit,
    docs_credit,
    empathy,
    episodes,
    incremental,
    mentee_outcomes,
    mentoring,
    methodology,
    profile,
    schedule,
    uplift,
    uplift_cache,
)
from analyzer.scores.comment_table import CommentScorer
from analyzer.scores.families import FamilyInputs
from analyzer.scores.families import modules as family_modules
from analyzer.scores.memory import release_memory
from analyzer.scores.options import ScoringOptions, recorded_options
from analyzer.scores.per_pr import PerPrStage, canonical_order, per_pr_stage, team_columns
from analyzer.scores.stats import FAMILY_COLUMNS, sharing_codes, sharing_index, wilson_interval
from analyzer.scores.tables import I64, TABLES, B, require_columns

# threads for the team-level steps (0: one after another); benchmarks/score_speed.py decides, see
# docs/ARCHITECTURE.md
TEAM_STEP_THREADS = 2
# columns and dtypes of every stored table: the declarations in scores.tables, by table name
SCORE_SCHEMAS: dict[str, dict[str, str]] = {name: dict(table.dtypes) for name, table in TABLES.items()}


@dataclass(frozen=True)
class Scores:
    """Every score table (see SCORE_SCHEMAS for columns and dtypes) and run metadata."""

    people: pd.DataFrame
    comments: pd.DataFrame
    episodes: pd.DataFrame
    family_scores: pd.DataFrame
    ci_changes: pd.DataFrame
    ci_series: pd.DataFrame
    doc_changes: pd.DataFrame
    mentoring: pd.DataFrame
    review_edges: pd.DataFrame
    bots: pd.DataFrame
    evidence: pd.DataFrame
    team: pd.DataFrame
    newcomer_inflow: pd.DataFrame
    uplift: pd.DataFrame
    meta: dict[str, object]


def conform_scores(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Exactly the declared columns of score table ``name``, in order, with their dtypes."""
    out: dict[str, pd.Series] = {}
    for col, dtype in SCORE_SCHEMAS[name].items():
        series = frame[col] if col in frame else pd.Series(np.nan, index=frame.index, dtype=object)
        if dtype != "category" and has_dtype(series, dtype):
            out[col] = series  # already typed (the common case for the large tables): no copy
            continue
        if dtype == TS:
            series = (
                pd.to_datetime(series, utc=True, format="ISO8601")
                if series.dtype == object or str(series.dtype).startswith(("string", "str"))
                else pd.to_datetime(series, utc=True)
            )
        elif dtype in (B, I64):
            series = pd.to_numeric(series, errors="coerce").fillna(0) if dtype == I64 else series.fillna(False)
        elif dtype == STR:
            series = series.astype(object).where(series.notna(), None)
        out[col] = cast(series, dtype)
    return pd.DataFrame(out, index=frame.index, copy=False).reset_index(drop=True)


def _default_scorer() -> CommentScorer:
    from analyzer.scores.comments import score_comments

    return score_comments


def score_all(
    frames: Frames,
    options: ScoringOptions,
    scorer: CommentScorer | None = None,
    stage: PerPrStage | None = None,
) -> Scores:
    """Compute every score table for ``frames``; ``scorer`` defaults to analyzer.scores.comments.
    ``stage`` runs the per-PR stage (default: in this process; ``analyzer.scores.distributed`` runs it
    partitioned on a Dask cluster); the team-level steps and the tables are the same either way.

    With ``options.cache`` (a directory) the per-PR stage is incremental: only PRs whose items changed
    since the cached run are recomputed (see ``analyzer.scores.incremental``); the tables are the same."""
    held = [frames]  # handed over, not kept here: _score_all lets the comment tables go when it can
    del frames
    with sharing_codes():  # the families group the same person columns: factorise each once
        return _score_all(held, options, scorer, stage or per_pr_stage)


def _score_all(
    held: list[Frames], options: ScoringOptions, scorer: CommentScorer | None, stage: PerPrStage
) -> Scores:
    frames = held.pop()
    start, end = frames.window_start, frames.window_end
    clock = time.perf_counter()  # durations only (meta["timings_s"]); no score depends on the clock
    score_with = scorer or _default_scorer()
    # independent team-level steps are started where their inputs are ready (analyzer.scores.schedule)
    with schedule.steps(TEAM_STEP_THREADS, "score") as later:
        docs_job = later(docs_credit.doc_changes, frames, options, start, end)  # frames only
        ci_job = later(ci_credit.ci_changes, frames, options, start, end)
        series_job = later(ci_credit.ci_series, frames)
        # frames only, and the longest team-level step on a big corpus: started first, so it overlaps the
        # per-PR stage on the main thread
        uplift_job = later(uplift_cache.cached_uplift, frames, start, end, uplift.settings_from(options), options.cache)
        # a stage that runs on other processes (a Dask cluster: distributed.ClusterStage) leaves this one idle
        # until it hands its rows back, which it does once the fit is done: the client never holds both
        if (waiting_for := getattr(stage, "waiting_for", None)) is not None:
            stage = waiting_for(uplift_job.result)
        if options.cache is not None:
            per_pr = incremental.cached_per_pr_stage(frames, options, start, end, score_with, options.cache, stage)
            comments, base = per_pr.comments, per_pr.episodes
        else:
            per_pr = stage(frames, options, start, end, score_with, None, False)
            comments, base = canonical_order(per_pr.comments, per_pr.episodes)
            comments = team_columns(comments)
        marks = {"per_pr": time.perf_counter() - clock}
        bot_comments = _bot_comments(frames)
        # the comment tables' only use after the per-PR stage is that count: this run lets them go (1 GB
        # of a 5M-comment client; freed when the caller keeps no reference either, as ``analyzer score``)
        frames = replace(
            frames, review_comments=frames.review_comments.iloc[:0], issue_comments=frames.issue_comments.iloc[:0]
        )
        release_memory()
        eps_job = later(episodes.finish_episodes, base, frames, options)
        comments["to_newcomer"] = episodes.to_newcomer(comments["pr_id"], frames)
        teaching = mentoring.teaching_comments(comments, base)  # needs only the episode keys
        pairs = mentoring.mentoring_pairs(teaching)
        outcomes = mentee_outcomes.mentee_outcomes(pairs, frames, start, end)
        eps = eps_job.result()
        marks["episodes"] = time.perf_counter() - clock
        (changes, code_prs), ci = docs_job.result(), ci_job.result()
        # every registered score family (analyzer.scores.families), combined in the registry's order
        inputs = FamilyInputs(
            frames, options, start, end, comments, eps, teaching, pairs, outcomes, changes, code_prs, ci
        )
        family_jobs = [later(module.scores, inputs) for module in family_modules()]
        evidence_jobs = [later(module.evidence, inputs) for module in family_modules() if module.evidence]
        edges_job = later(mentoring.review_edges, eps)
        people = _people(frames, comments, eps, start, end)
        inflow = mentoring.newcomer_inflow(frames, pairs, start, end)
        families = pd.concat([job.result() for job in family_jobs], ignore_index=True)
        families = families[families["person"].notna()]
        families = pd.concat([families, profile.multiplier_scores(families, options)], ignore_index=True)
        marks["families"] = time.perf_counter() - clock
        evidence = pd.concat([job.result() for job in evidence_jobs], ignore_index=True)
        marks["evidence"] = time.perf_counter() - clock
        tables = {
            "people": people,
            "comments": comments,
            "episodes": eps,
            "family_scores": families,
            "ci_changes": ci_credit.ci_change_rows(ci),
            "ci_series": series_job.result(),
            "doc_changes": changes,
            "mentoring": pairs,
            "review_edges": edges_job.result(),
            "bots": frames.bots,
            "evidence": evidence,
            "newcomer_inflow": inflow,
            "uplift": uplift_job.result(),
            "team": _team(frames, comments, eps, people, ci, int(inflow["n_newcomers"].sum())),
        }
    marks["tables"] = time.perf_counter() - clock
    typed = {name: conform_scores(frame, name) for name, frame in tables.items()}
    meta = _meta(frames, options, comments, per_pr.stats, bot_comments)
    marks["total"] = time.perf_counter() - clock
    # cumulative seconds at the end of each stage (durations only; excluded from comparisons)
    meta["timings_s"] = {k: round(v, 3) for k, v in marks.items()}
    return Scores(**typed, meta=meta)


def _people(frames: Frames, comments: pd.DataFrame, eps: pd.DataFrame, start: datetime, end: datetime) -> pd.DataFrame:
    humans = frames.people[~frames.people["is_bot"].fillna(False).astype(bool)].set_index("person")
    prs = frames.prs[
        (frames.prs["created_at"] >= pd.Timestamp(start)) & (frames.prs["created_at"] <= pd.Timestamp(end))
    ]
    authored = prs["person"].value_counts()
    reviews = eps["person"].value_counts()
    n_comments = comments["person"].value_counts()
    commits = frames.commits[(frames.commits["committed_at"] >= pd.Timestamp(start))]
    active = set(authored.index) | set(reviews.index) | set(n_comments.index) | set(commits["person"].dropna())
    people = humans[humans.index.isin(active)].copy()
    people["n_prs_authored"] = authored.reindex(people.index).fillna(0)
    people["n_reviews_given"] = reviews.reindex(people.index).fillna(0)
    people["n_comments"] = n_comments.reindex(people.index).fillna(0)
    people["is_newcomer"] = people["is_newcomer"].fillna(False)
    return people.reset_index().sort_values("person")


def _team(
    frames: Frames,
    comments: pd.DataFrame,
    eps: pd.DataFrame,
    people: pd.DataFrame,
    ci: pd.DataFrame,
    n_newcomers: int,
) -> pd.DataFrame:
    hx, hn = empathy.team_harsh(comments)
    rx, rn = episodes.team_rubber_stamp(eps)
    (h_lo,), (h_hi,) = wilson_interval([hx], [hn])
    (r_lo,), (r_hi,) = wilson_interval([rx], [rn])
    counts = eps["person"].value_counts().reindex(people["person"]).fillna(0)
    groups = ci.drop_duplicates("group") if not ci.empty else ci
    credited = groups[groups["credited"].astype(bool)] if not groups.empty else groups
    return pd.DataFrame(
        [
            {
                "harsh_rate": hx / hn if hn else np.nan,
                "harsh_lo": h_lo,
                "harsh_hi": h_hi,
                "rubber_stamp_rate": rx / rn if rn else np.nan,
                "rs_lo": r_lo,
                "rs_hi": r_hi,
                "sharing_index": sharing_index(counts.to_numpy()) if len(counts) else np.nan,
                "n_people": len(people),
                "n_newcomers": n_newcomers,  # newcomers who arrived in the window
                "ci_hours_saved": float(credited["hours_saved_month"].sum()) if len(credited) else 0.0,
                "ci_lo": float(credited["hours_lo"].sum()) if len(credited) else 0.0,
                "ci_hi": float(credited["hours_hi"].sum()) if len(credited) else 0.0,
                "window_start": pd.Timestamp(frames.window_start),
                "window_end": pd.Timestamp(frames.window_end),
            }
        ]
    )


def _bot_comments(frames: Frames) -> int:
    """Bots' review and conversation comments in the window (left out of every score)."""
    start, end = pd.Timestamp(frames.window_start), pd.Timestamp(frames.window_end)
    count = 0
    for table in (frames.review_comments, frames.issue_comments):
        in_window = (table["created_at"] >= start) & (table["created_at"] <= end)
        count += int((table["is_bot"].fillna(False).astype(bool) & in_window).sum())
    return count


def _meta(
    frames: Frames, options: ScoringOptions, comments: pd.DataFrame, cache_stats: dict[str, int], bot_comments: int
) -> dict[str, object]:
    start, end = pd.Timestamp(frames.window_start), pd.Timestamp(frames.window_end)
    return {
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "now": pd.Timestamp(frames.now).isoformat(),
        "options": recorded_options(options),  # every option by field name: what the report prints
        "excluded": {
            "bot_comments": bot_comments,
            "non_english_comments": int((~comments["lang_en"]).sum()),
            "trivial_comments": int(comments["is_trivial"].sum()),
        },
        "n_comments_scored": len(comments),
        "cache": cache_stats,
        **methodology.recorded(options),  # formulas and deviations, filled with the options used
    }


PARQUET_FLAG = "--parquet-dir (or store.parquet_dir)"
GENERATION_KEY = b"analyzer.generation"  # Parquet schema metadata: the score generation of the file


def write_scores(scores: Scores, store_path: str | Path, parquet_dir: str | Path) -> list[Path]:
    """Write every table into the store as ``score_<name>`` and as ``<dir>/<name>.parquet``; metadata
    goes to ``score_meta`` and ``meta.json``. Returns the files written.

    All or nothing: the store's score tables are replaced in one transaction, stamped with a new
    generation (``analyzer.store.generations``); the Parquet files and meta.json (which carry the same
    generation) are written aside first and moved into place only after the commit. A failure or a kill
    at any moment leaves the previous generation readable (at worst, a kill in the instant between the
    commit and the last rename leaves some Parquet files of the previous generation, each whole and
    labelled with its generation, meta.json last)."""
    from analyzer.outputs import AtomicFiles, make_folder
    from analyzer.store.generations import new_generation

    out_dir = make_folder(Path(parquet_dir).expanduser(), "the Parquet folder", PARQUET_FLAG)
    with AtomicFiles("the Parquet files", PARQUET_FLAG) as files:
        with new_generation(store_path) as generation:
            meta = {**scores.meta, "generation": generation.label}
            for name in SCORE_SCHEMAS:
                frame: pd.DataFrame = getattr(scores, name)
                files.write(out_dir / f"{name}.parquet", _parquet_writer(frame, generation.label))
            text = json.dumps(meta, indent=2, default=str)
            files.write(out_dir / "meta.json", lambda temp: temp.write_text(text, encoding="utf-8"))
            for name in SCORE_SCHEMAS:
                generation.write_frame(name, getattr(scores, name))
            generation.write_meta(meta)
        return files.publish()


def _parquet_writer(frame: pd.DataFrame, label: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        metadata = {**(table.schema.metadata or {}), GENERATION_KEY: label.encode()}
        pq.write_table(table.replace_schema_metadata(metadata), path)

    return write


def read_scores(store_path: str | Path) -> Scores:
    """Read the ``score_*`` tables written by ``write_scores`` back into a typed ``Scores``: all of one
    generation, read in one snapshot (``StoreError`` for a store whose tables mix score runs)."""
    from analyzer.store.generations import read_score_generation

    path = Path(store_path).expanduser()
    if not path.is_file():
        raise StoreError(f"store not found: {path} (run `analyzer collect` and `analyzer score` first)")
    stored = read_score_generation(path, list(SCORE_SCHEMAS))
    for name in SCORE_SCHEMAS:  # scores of another version are refused, not filled with blanks
        require_columns(name, stored.tables[name].columns, str(path))
    tables = {name: conform_scores(stored.tables[name], name) for name in SCORE_SCHEMAS}
    return Scores(**tables, meta={**stored.meta, "generation": stored.label})


__all__ = ["SCORE_SCHEMAS", "FAMILY_COLUMNS", "Scores", "read_scores", "score_all", "write_scores"]
