"""Everything the pages and figures need, prepared once from a Scores object.

Preparing once matters at scale: 200,000 comments are grouped by person and month a single time instead
of being filtered again for each of 500 person pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analyzer.frames.model import TS
from analyzer.report.inputs import FRAME_COLUMNS, flag, frame, meta, number, text, utc
from analyzer.report.pseudonym import Pseudonymizer, configured_aliases, configured_bots
from analyzer.scores.options import ScoringOptions
from analyzer.scores.tables import TABLES

FRAME_NAMES = tuple(FRAME_COLUMNS)  # every declared score table (analyzer.scores.tables)
# timestamp columns, read as tz-aware UTC whatever a caller's frame holds
TIME_COLUMNS = {name: tuple(c for c, dtype in t.dtypes.items() if dtype == TS) for name, t in TABLES.items()}
_SLUG_BAD = re.compile(r"[^a-z0-9-]+")
_NOT_A_LETTER = re.compile(r"[\W_]+")


def name_key(name: str, login: str = "") -> tuple[str, str, str]:
    """Sort key for people by name: letters and digits only, case-folded, so a name that starts with
    punctuation or markup ('"><svg ...', '(contractor) Bo') sorts under its first letter, not first."""
    return (_NOT_A_LETTER.sub("", name).casefold() or name.casefold(), name.casefold(), login)


@dataclass(frozen=True)
class ReportData:
    frames: dict[str, pd.DataFrame]
    meta: dict[str, Any]
    pseudo: Pseudonymizer
    slugs: dict[str, str]  # login -> URL-safe slug (from the pseudonym when pseudonymized)
    min_group_size: int
    github_url: str
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)  # per person and month activity
    # login -> [(other login, "reviewed" | "reviewed by", episodes)], built once for all network charts
    edges: dict[str, list[tuple[str, str, float]]] = field(default_factory=dict)
    # People who were newcomers at some point in the window (see newcomer_rule): one definition for the
    # badge, the network's stars, the directory and the team's count.
    newcomers: frozenset[str] = frozenset()
    # family -> the team reference: the typical person's estimate (median over people with a point
    # estimate), used by every page and chart that compares a person with the team.
    references: dict[str, float] = field(default_factory=dict)

    def f(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    @property
    def newcomer_rule(self) -> str:
        return newcomer_rule(self.meta)

    @property
    def logins(self) -> list[str]:
        return sorted(self.slugs, key=self.by_name)

    def by_name(self, login: str) -> tuple[str, str, str]:
        return name_key(self.pseudo.name(login), login)

    @property
    def n_people(self) -> int:
        return len(self.slugs)

    def team_ok(self) -> bool:
        return self.n_people >= self.min_group_size


def newcomer_rule(meta: dict[str, Any]) -> str:
    """What a newcomer is, in the limits the scoring run recorded (the scorer's defaults for scores
    written before runs recorded them)."""
    recorded = meta.get("options")
    if not isinstance(recorded, dict):
        recorded = {}
    days = recorded.get("newcomer_days", ScoringOptions.newcomer_days)
    merged = recorded.get("newcomer_max_merged", ScoringOptions.newcomer_max_merged)
    return (
        f"A newcomer is someone in their first {days} days or first {merged} merged pull requests (whichever "
        "ends later); here it means anyone who was a newcomer at some point in the report's window."
    )


def _newcomers(frames: dict[str, pd.DataFrame]) -> frozenset[str]:
    """Everyone who was a newcomer at some time in the window: authors of a PR opened as a newcomer
    (review edges and mentoring carry that flag per PR), plus people still newcomers at report time."""
    people = frames["people"]
    edges = frames["review_edges"]
    out = {text(p) for p, new in zip(people["person"], people["is_newcomer"], strict=True) if flag(new)}
    out |= {text(a) for a, new in zip(edges["author"], edges["author_is_newcomer"], strict=True) if flag(new)}
    out |= {text(m) for m in frames["mentoring"]["mentee"]}
    return frozenset(p for p in out if p)


def _references(frames: dict[str, pd.DataFrame], people: set[str], min_group_size: int) -> dict[str, float]:
    """The typical person's estimate per family (median over people with status ok), only where at least
    ``min_group_size`` people have one: below that a team reference would describe a few individuals."""
    fs = frames["family_scores"]
    ok = fs[(fs["status"] == "ok") & fs["person"].isin(people)]
    out: dict[str, float] = {}
    for fam, grp in ok.groupby("family", sort=True):
        est = pd.to_numeric(grp["estimate"], errors="coerce").dropna()
        if len(est) >= min_group_size and len(people) >= min_group_size:
            out[text(fam)] = float(est.median())
    return out


def window_of(meta: dict[str, Any]) -> dict[str, str]:
    """The scoring window as {"start", "end"}: the scorer writes ``window_start``/``window_end``; an older
    ``window`` dict is accepted too."""
    raw = meta.get("window")
    window = {str(k): text(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    for key in ("start", "end"):
        flat = text(meta.get(f"window_{key}"))
        if flat and not window.get(key):
            window[key] = flat
    return {k: v for k, v in sorted(window.items()) if v}


def _slugs(logins: list[str], pseudo: Pseudonymizer) -> dict[str, str]:
    out: dict[str, str] = {}
    taken: set[str] = set()
    for login in sorted(logins):
        base = _SLUG_BAD.sub("-", pseudo.login(login).lower()).strip("-") or "person"
        slug, i = base, 2
        while slug in taken:
            slug, i = f"{base}-{i}", i + 1
        out[login] = slug
        taken.add(slug)
    return out


def _monthly(comments: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    c = comments.assign(month=comments["created_at"].dt.strftime("%Y-%m"))
    trivial = c["is_trivial"].map(lambda v: flag(v) if text(v) else False).astype(bool)
    english = c["lang_en"].map(lambda v: flag(v) if text(v) else True).astype(bool)
    tone = c[~trivial & english]
    counts = c.groupby(["person", "month"]).size().rename("comments")
    considerate = tone.groupby(["person", "month"])["considerate"].mean().rename("considerate_share")
    harsh = tone.groupby(["person", "month"])["harsh"].mean().rename("harsh_share")
    d = docs.assign(month=docs["at"].dt.strftime("%Y-%m"))
    doc_lines = d.groupby(["person", "month"])["weighted_lines"].sum().rename("doc_lines")
    return pd.concat([counts, considerate, harsh, doc_lines], axis=1).sort_index()


def _edges(review_edges: pd.DataFrame) -> dict[str, list[tuple[str, str, float]]]:
    out: dict[str, list[tuple[str, str, float]]] = {}
    for rev, auth, n in zip(
        review_edges["reviewer"].map(text),
        review_edges["author"].map(text),
        review_edges["n_episodes"],
        strict=True,
    ):
        if rev and auth and rev != auth:
            episodes = number(n) or 0.0
            out.setdefault(rev, []).append((auth, "reviewed", episodes))
            out.setdefault(auth, []).append((rev, "reviewed by", episodes))
    return out


def _normalise(scores: Any) -> dict[str, pd.DataFrame]:
    frames = {name: frame(scores, name) for name in FRAME_NAMES}
    for name, cols in TIME_COLUMNS.items():
        for col in cols:
            frames[name][col] = utc(frames[name][col])
    for col in ("considerate", "harsh"):
        frames["comments"][col] = frames["comments"][col].astype("float64")
    frames["doc_changes"]["weighted_lines"] = pd.to_numeric(
        frames["doc_changes"]["weighted_lines"], errors="coerce"
    )
    frames["people"] = frames["people"].drop_duplicates("person").sort_values("person", kind="stable")
    return frames


def prepare(
    scores: Any,
    *,
    pseudonymize: bool,
    min_group_size: int,
    github_url: str,
    pseudonym_key: bytes | str | None = None,
) -> ReportData:
    frames = _normalise(scores)
    people = frames["people"]
    names = {
        text(p): text(n) for p, n in zip(people["person"], people["display_name"], strict=True) if text(p)
    }
    bots = frames["bots"]
    # Service accounts can carry human-looking logins; app bots ("…[bot]") are named by their app.
    for login in bots["login"].map(text):
        if login and not login.endswith("[bot]"):
            names.setdefault(login, "")
    # Alias logins and configured bot logins name people too (issue 10): they get pseudonyms.
    pseudo = Pseudonymizer(
        names,
        key=pseudonym_key,
        enabled=pseudonymize,
        aliases=configured_aliases(meta(scores)),
        hidden=configured_bots(meta(scores)),
    )
    slugs = _slugs([text(p) for p in people["person"] if text(p)], pseudo)
    return ReportData(
        frames=frames,
        meta=meta(scores),
        pseudo=pseudo,
        slugs=slugs,
        min_group_size=min_group_size,
        github_url=github_url.rstrip("/"),
        monthly=_monthly(frames["comments"], frames["doc_changes"]),
        edges=_edges(frames["review_edges"]),
        newcomers=_newcomers(frames),
        references=_references(frames, set(slugs), min_group_size),
    )
