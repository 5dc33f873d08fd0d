"""Synthetic ``Scores`` objects for report tests and the scale benchmark.

The factory follows the Scores contract (``analyzer.scores.pipeline.Scores``) column by column, so the
report can be built and browsed before the real pipeline exists. It is seeded and deterministic, scales
to hundreds of people and hundreds of thousands of comments, and plants hostile strings (script tags,
onerror handlers, attribute breakers, a ``javascript:`` URL and a login shaped like an attribute) in
every user-written field the report shows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from analyzer.scores.families import all_families
from analyzer.scores.options import ScoringOptions, recorded_options
from analyzer.scores.pipeline import Scores, conform_scores
from analyzer.scores.tables import TABLES

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SVG = '"><svg onload=alert(1)>'
HOSTILE_LOGIN = "x-onerror-x"
HOSTILE_STRINGS = (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_SVG)
JS_URL = "javascript:alert(1)"



def _declared_families() -> dict[str, tuple[str, bool, int]]:
    """family: (unit, higher_is_better, minimum sample), from the family registry and the default options
    (families without a minimum option are shown from n = 1)."""
    defaults = ScoringOptions()
    return {
        f.name: (f.unit, f.higher_is_better is not False, getattr(defaults, f.min_option) if f.min_option else 1)
        for f in all_families()
    }


FAMILIES = _declared_families()
RATE_FAMILIES = {name for name, (unit, _, _) in FAMILIES.items() if unit == "%"} | {"considerate"}

FIRST = [
    "ada",
    "grace",
    "linus",
    "barbara",
    "ken",
    "margaret",
    "dennis",
    "frances",
    "edsger",
    "radia",
    "donald",
    "katherine",
    "alan",
    "hedy",
    "john",
    "sophie",
    "tim",
    "annie",
    "guido",
    "karen",
]
LAST = [
    "lovelace",
    "hopper",
    "torvalds",
    "liskov",
    "thompson",
    "hamilton",
    "ritchie",
    "allen",
    "dijkstra",
    "perlman",
    "knuth",
    "johnson",
    "turing",
    "lamarr",
    "backus",
    "wilson",
    "berners",
    "easley",
    "rossum",
    "spaerck",
]
REPOS = ["acme/api", "acme/web", "acme/docs", "acme/infra"]
WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/release.yml"]
BODIES = [
    "Could we extract this into a helper? It would make the retry logic easier to test.",
    "nit: trailing whitespace here",
    "Thanks for picking this up! I think the lock needs to be held while we read the cache, otherwise "
    "two workers can race. What do you think about moving the read inside the `with` block?",
    "This is wrong. Did you even run the tests?",
    "LGTM",
    "Why do we need a second query here? The first one already returns the ids.",
    "Nice catch, @{mention}. Maybe add a regression test so this stays fixed?",
    "Please don't merge this until the migration is reviewed.",
]
MARKERS = ["please", "question", "gratitude", "hedge", "imperative", "second_person_blame", "rationale"]
KINDS = ["review_comment", "review_body", "issue_comment"]
COMMENT_TYPES = ["defect", "design", "nit", "question", "praise", "other"]


FakeScores = Scores  # the factory builds the real dataclass, so the two cannot drift apart


def typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as score table ``name``: exactly its declared columns (analyzer.scores.tables), typed the
    way the pipeline types them. A column the declaration adds and this factory does not make fails here,
    so the fake cannot fall behind the product."""
    declared = TABLES[name].columns
    assert set(frame.columns) == set(declared), (name, set(declared) ^ set(frame.columns))
    return conform_scores(frame, name)


def _empty_extras() -> dict[str, Any]:
    """Empty typed tables for score tables this factory does not model (the uplift table, for one): the
    report must read well without rows in them."""
    modelled = {"people", "comments", "episodes", "family_scores", "ci_changes", "ci_series", "doc_changes",
                "mentoring", "review_edges", "bots", "evidence", "team", "newcomer_inflow"}
    return {name: conform_scores(pd.DataFrame(), name) for name in TABLES if name not in modelled}


DEFAULT_NOW = datetime(2025, 6, 1, tzinfo=UTC)
TEST_METHODOLOGY: dict[str, Any] = {
    "formulas": {
        fam: f"{fam} = posterior mean of x / n with a team prior (test formula)" for fam in FAMILIES
    },
    "deviations": ["Test deviation: the fake factory draws scores at random."],
}


def _logins(n: int) -> tuple[list[str], list[str]]:
    logins, names = [], []
    for i in range(n):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        logins.append(f"{first}-{last}-{i:03d}")
        names.append(f"{first.title()} {last.title()} {i:03d}")
    if n >= 3:  # hostile identities: the report must show them as plain text
        names[0] = HOSTILE_SCRIPT
        names[1] = HOSTILE_IMG
        logins[2], names[2] = HOSTILE_LOGIN, HOSTILE_SVG
    return logins, names


def _times(rng: np.random.Generator, n: int, start: datetime, end: datetime) -> pd.Series:
    span = (end - start).total_seconds()
    secs = np.sort(rng.uniform(0, span, n)).astype("int64")
    rng.shuffle(secs)
    return pd.Series(pd.Timestamp(start) + pd.to_timedelta(secs, unit="s"))


def _people(rng: np.random.Generator, logins: list[str], names: list[str], start: datetime) -> pd.DataFrame:
    n = len(logins)
    newcomer = rng.random(n) < 0.25
    first = _times(rng, n, start - timedelta(days=700), start + timedelta(days=150))
    return pd.DataFrame(
        {
            "person": logins,
            "display_name": names,
            "is_newcomer": newcomer,
            "first_activity_at": first,
            "n_prs_authored": rng.integers(0, 60, n),
            "n_reviews_given": rng.integers(0, 120, n),
            "n_comments": rng.integers(0, 400, n),
        }
    )


def _comments(
    rng: np.random.Generator, logins: list[str], n: int, start: datetime, end: datetime, hostile: bool
) -> pd.DataFrame:
    weights = rng.pareto(1.5, len(logins)) + 0.2
    person_idx = rng.choice(len(logins), size=n, p=weights / weights.sum())
    author_idx = (person_idx + rng.integers(1, len(logins), n)) % len(logins)
    repo_idx = rng.integers(0, len(REPOS), n)
    pr_number = rng.integers(1, 3000, n)
    body_idx = rng.integers(0, len(BODIES), n)
    mention_idx = rng.integers(0, len(logins), n)
    bodies = [BODIES[b].replace("{mention}", logins[m]) for b, m in zip(body_idx, mention_idx, strict=True)]
    repos = [REPOS[r] for r in repo_idx]
    ids = [f"c{i}" for i in range(n)]
    urls = [
        f"https://github.com/{r}/pull/{p}#discussion_r{1000 + i}"
        for i, (r, p) in enumerate(zip(repos, pr_number, strict=True))
    ]
    if hostile and n >= 6:
        for j, text in enumerate(HOSTILE_STRINGS):
            bodies[j] = f"Hostile body {j}: {text} end"
            person_idx[j] = 2  # the hostile login owns the hostile comments
        urls[3] = JS_URL
        person_idx[3] = 2
    created = _times(rng, n, start, end)
    if hostile and n >= 6:  # newest, so they are among the evidence rows every page shows
        created.iloc[:4] = [pd.Timestamp(end) - pd.Timedelta(hours=h + 1) for h in range(4)]
    harsh_prob = rng.beta(1, 8, n)
    marker_sets = [";".join(sorted({MARKERS[k] for k in rng.integers(0, len(MARKERS), 2)})) for _ in range(n)]
    return pd.DataFrame(
        {
            "comment_id": ids,
            "kind": [KINDS[k] for k in rng.integers(0, 3, n)],
            "person": [logins[i] for i in person_idx],
            "pr_id": repo_idx * 10_000 + pr_number,  # one id per (repository, number), as GitHub's database ids
            "repo": repos,
            "pr_number": pr_number,
            "pr_author": [logins[i] for i in author_idx],
            "created_at": created,
            "body": bodies,
            "url": urls,
            "considerate": rng.random(n) < 0.6,
            "harsh": harsh_prob > 0.35,
            "harsh_prob": harsh_prob,
            "useful_prob": rng.random(n),
            "comment_type": [COMMENT_TYPES[k] for k in rng.integers(0, 6, n)],
            "markers": marker_sets,
            "is_trivial": body_idx == 4,
            "lang_en": rng.random(n) > 0.03,
            "to_newcomer": rng.random(n) < 0.2,
        }
    )


def _episodes(rng: np.random.Generator, comments: pd.DataFrame) -> pd.DataFrame:
    ep = comments.drop_duplicates(["person", "pr_id"]).head(max(1, len(comments) // 4)).reset_index(drop=True)
    n = len(ep)
    return pd.DataFrame(
        {
            "person": ep["person"],
            "pr_id": ep["pr_id"],
            "repo": ep["repo"],
            "pr_number": ep["pr_number"],
            "pr_author": ep["pr_author"],
            "size": rng.integers(1, 2000, n),
            "changed_files": rng.integers(1, 40, n),
            "n_subst": rng.integers(0, 8, n),
            "density": rng.random(n),
            "q_density": rng.random(n),
            "file_cov": rng.random(n),
            "specificity": rng.random(n),
            "rationale": rng.random(n),
            "change_trigger": rng.random(n),
            "nit_share": rng.random(n),
            "blocking": rng.random(n) < 0.2,
            "rubber_stamp": rng.random(n) < 0.1,
            "eligible_approval": rng.random(n) < 0.5,
            "T": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
            "url": [
                f"https://github.com/{r}/pull/{p}" for r, p in zip(ep["repo"], ep["pr_number"], strict=True)
            ],
            "title": [f"Fix flaky cache test in {r}" for r in ep["repo"]],
            "last_at": ep["created_at"],
        }
    )


def _family_scores(rng: np.random.Generator, logins: list[str]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for login in logins:
        for fam, (unit, hib, min_n) in FAMILIES.items():
            n = int(rng.integers(0, 4 * min_n + 5))
            centre = float(rng.beta(3, 5)) if fam in RATE_FAMILIES else float(rng.gamma(2.0, 2.0))
            half = (0.3 if fam in RATE_FAMILIES else 3.0) / np.sqrt(n + 1)
            status = "ok" if n >= min_n else "insufficient"
            if fam == "mentee_retention" and n % 7 == 0:
                status = "exploratory"
            if fam == "ci_hours_saved" and n == 0:
                status = "not_measurable"
            lo = max(0.0, centre - half)
            hi = min(1.0, centre + half) if fam in RATE_FAMILIES else centre + half
            rows.append(
                {
                    "person": login,
                    "family": fam,
                    "estimate": centre,
                    "lo": lo,
                    "hi": hi,
                    "raw": centre,
                    "n": n,
                    "min_n": min_n,
                    "status": status,
                    "unit": unit,
                    "higher_is_better": hib,
                }
            )
    return pd.DataFrame(rows)


def _ci(
    rng: np.random.Generator, logins: list[str], runs_per_workflow: int, start: datetime, end: datetime
) -> tuple[pd.DataFrame, pd.DataFrame]:
    series, changes = [], []
    run_id = 1
    changers = logins[2 :: max(2, len(logins) // 6)] or logins[:1]
    for r_i, repo in enumerate(REPOS):
        for w_i, wf in enumerate(WORKFLOWS):
            times = _times(rng, runs_per_workflow, start, end).sort_values().reset_index(drop=True)
            change_at = times.iloc[len(times) // 2]
            base = 600.0 + 100 * r_i
            dur = np.where(times < change_at, base, base * 0.7) + rng.normal(0, 30, len(times))
            series.append(
                pd.DataFrame(
                    {
                        "repo": repo,
                        "workflow_path": wf,
                        "run_id": np.arange(run_id, run_id + len(times)),
                        "created_at": times,
                        "duration_s": dur.clip(30),
                        "conclusion": np.where(rng.random(len(times)) < 0.9, "success", "failure"),
                        "run_attempt": 1,
                        "url": [
                            f"https://github.com/{repo}/actions/runs/{i}"
                            for i in range(run_id, run_id + len(times))
                        ],
                    }
                )
            )
            run_id += len(times)
            who = changers[(r_i * len(WORKFLOWS) + w_i) % len(changers)]
            hours = float(rng.uniform(1, 20))
            changes.append(
                {
                    "person": who,
                    "repo": repo,
                    "sha": f"{r_i}{w_i}abcdef1234",
                    "pr_number": 10 + r_i,
                    "workflow_path": wf,
                    "changed_at": change_at,
                    "runs_before": runs_per_workflow // 2,
                    "runs_after": runs_per_workflow // 2,
                    "median_before_s": base,
                    "median_after_s": base * 0.7,
                    "shift_s": -base * 0.3,
                    "shift_lo_s": -base * 0.35,
                    "shift_hi_s": -base * 0.25,
                    "fail_rate_before": 0.1,
                    "fail_rate_after": 0.08,
                    "flaky_before": 0.05,
                    "flaky_after": 0.04,
                    "hours_saved_month": hours,
                    "hours_lo": hours * 0.6,
                    "hours_hi": hours * 1.4,
                    "credited": True,
                    "status": "ok",
                    "change_type": "speed",
                    "url": f"https://github.com/{repo}/pull/{10 + r_i}",
                }
            )
    return pd.DataFrame(changes), pd.concat(series, ignore_index=True)


def _evidence(comments: pd.DataFrame, per_person: int) -> pd.DataFrame:
    fam_cycle = ["considerate", "harsh_rate", "useful_rate", "thoroughness"]
    picked = comments.groupby("person", sort=True).head(per_person)
    fams = [fam_cycle[i % len(fam_cycle)] for i in range(len(picked))]
    fams = ["harsh_rate" if b.startswith("Hostile") else f for b, f in zip(picked["body"], fams, strict=True)]
    return pd.DataFrame(
        {
            "person": picked["person"].to_numpy(),
            "family": fams,
            "kind": "comment",
            "ref": picked["comment_id"].to_numpy(),
            "url": picked["url"].to_numpy(),
            "excerpt": picked["body"].str.slice(0, 300).to_numpy(),
            "markers": picked["markers"].to_numpy(),
            "at": picked["created_at"].to_numpy(),
            "title": None,
        }
    )


def _pr_evidence(episodes: pd.DataFrame, hostile: bool) -> pd.DataFrame:
    """Episode evidence as the scorer writes it: the scorer's words in the excerpt, the PR's title
    (untrusted text) in ``title``."""
    ep = episodes.groupby("person", sort=True).head(2)
    titles = list(ep["title"])
    if hostile and len(titles) >= 3:
        titles[:3] = [f"PR title {t}" for t in HOSTILE_STRINGS]
    return pd.DataFrame(
        {
            "person": ep["person"].to_numpy(),
            "family": "thoroughness",
            "kind": "episode",
            "ref": (ep["repo"] + "#" + ep["pr_number"].astype(str)).to_numpy(),
            "url": ep["url"].to_numpy(),
            "excerpt": "T = " + ep["T"].round(2).astype(str) + ", " + ep["n_subst"].astype(str) + " substantive comments",
            "markers": "",
            "at": pd.NaT,
            "title": titles,
        }
    )


def make_scores(
    n_people: int = 24,
    n_comments: int = 1500,
    *,
    seed: int = 0,
    hostile: bool = True,
    n_bots: int = 3,
    runs_per_workflow: int = 120,
    evidence_per_person: int = 24,
    now: datetime = DEFAULT_NOW,
) -> FakeScores:
    """Build a realistic fake Scores object (deterministic for a given seed and size)."""
    rng = np.random.default_rng(seed)
    end, start = now, now - timedelta(days=180)
    logins, names = _logins(n_people)
    people = _people(rng, logins, names, start)
    comments = _comments(rng, logins, n_comments, start, end, hostile)
    episodes = _episodes(rng, comments)
    ci_changes, ci_series = _ci(rng, logins, runs_per_workflow, start, end)
    newcomers = set(people.loc[people["is_newcomer"], "person"])
    edges = (
        episodes.groupby(["person", "pr_author"], sort=True)
        .size()
        .reset_index(name="n_episodes")
        .rename(columns={"person": "reviewer", "pr_author": "author"})
    )
    edges["author_is_newcomer"] = edges["author"].isin(newcomers)
    mentoring = edges[edges["author_is_newcomer"]].rename(
        columns={"reviewer": "mentor", "author": "mentee", "n_episodes": "n_interactions"}
    )
    mentoring = mentoring.drop(columns="author_is_newcomer").assign(first_at=start, last_at=end, pr_ids="")
    n_docs = max(4, n_people)
    doc_people = [logins[i] for i in rng.integers(0, n_people, n_docs)]
    doc_changes = pd.DataFrame(
        {
            "person": doc_people,
            "repo": [REPOS[i] for i in rng.integers(0, len(REPOS), n_docs)],
            "kind": "pr",
            "ref": [f"#{i}" for i in range(n_docs)],
            "at": _times(rng, n_docs, start, end),
            "doc_lines": rng.integers(1, 300, n_docs),
            "weighted_lines": rng.uniform(1, 200, n_docs),
            "onboarding": rng.random(n_docs) < 0.3,
            "with_code": rng.random(n_docs) < 0.5,
            "url": [f"https://github.com/acme/docs/pull/{i}" for i in range(n_docs)],
        }
    )
    bots = pd.DataFrame(
        {
            "login": [f"helper-bot-{i}[bot]" for i in range(n_bots)],
            "reason": ["login ends in [bot]"] * n_bots,
            "n_prs": np.arange(n_bots) * 7,
            "n_comments": np.arange(n_bots) * 40,
            "n_reviews": np.arange(n_bots) * 3,
        }
    )
    evidence = pd.concat(
        [_evidence(comments, evidence_per_person), _pr_evidence(episodes, hostile)], ignore_index=True
    )
    months = pd.period_range(start.strftime("%Y-%m"), end.strftime("%Y-%m"), freq="M")
    inflow = pd.DataFrame(
        {
            "month": [str(m) for m in months],
            "n_newcomers": rng.integers(0, 8, len(months)),
            "n_helped": rng.integers(0, 6, len(months)),
        }
    )
    team = pd.DataFrame(
        [
            {
                "harsh_rate": 0.08,
                "harsh_lo": 0.06,
                "harsh_hi": 0.1,
                "rubber_stamp_rate": 0.12,
                "rs_lo": 0.09,
                "rs_hi": 0.15,
                "sharing_index": 0.62,
                "n_people": n_people,
                "n_newcomers": len(newcomers),
                "ci_hours_saved": float(ci_changes["hours_saved_month"].sum()),
                "ci_lo": float(ci_changes["hours_lo"].sum()),
                "ci_hi": float(ci_changes["hours_hi"].sum()),
                "window_start": pd.Timestamp(start),
                "window_end": pd.Timestamp(end),
            }
        ]
    )
    meta = {  # as scores.pipeline writes it; the options are those of a run over this window
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "now": now.isoformat(),
        "options": recorded_options(ScoringOptions(now=now, window_days=(end - start).days)),
        "excluded": {
            "bot_comments": n_bots,
            "non_english_comments": int((~comments["lang_en"]).sum()),
            "trivial_comments": int(comments["is_trivial"].sum()),
        },
    }
    tables = {
        "people": people,
        "comments": comments,
        "episodes": episodes,
        "family_scores": _family_scores(rng, logins),
        "ci_changes": ci_changes,
        "ci_series": ci_series,
        "doc_changes": doc_changes,
        "mentoring": mentoring.reset_index(drop=True),
        "review_edges": edges,
        "bots": bots,
        "evidence": evidence,
        "team": team,
        "newcomer_inflow": inflow,
    }
    return Scores(**{name: typed(name, frame) for name, frame in tables.items()}, **_empty_extras(), meta=meta)
