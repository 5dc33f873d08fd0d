"""One hidden section per person: profile, charts (drawn lazily) and the evidence behind each number."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyzer.report import person_figures
from analyzer.report.figures import Spec
from analyzer.report.fmt import count, interval, value
from analyzer.report.html import Markup, el, link
from analyzer.report.inputs import flag, number, text
from analyzer.report.labels import family_label, ordered_families
from analyzer.report.model import ReportData
from analyzer.report.team_page import chart_div, person_link

EVIDENCE_PER_FAMILY = 5
RECENT_ITEMS = 5
EXCERPT_CHARS = 300
Charts = list[tuple[str, Spec]]


class PersonContext:
    """Lookups shared by every person page, built once: per-person pandas filtering of 200,000 rows
    500 times is what makes a naive report slow."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.scores = _records_by(data.f("family_scores"), "person")
        self.evidence = _records_by(_evidence_rows(data.f("evidence")), "person")
        self.mentees = _records_by(data.f("mentoring"), "mentor")
        self.ci = {k: g for k, g in data.f("ci_changes").groupby("person", sort=True)}
        ok = data.f("family_scores")[data.f("family_scores")["status"] == "ok"]
        self.medians: dict[str, float] = {}
        self.ranges: dict[str, tuple[float, float]] = {}
        for fam, grp in ok.groupby("family", sort=True):
            est = pd.to_numeric(grp["estimate"], errors="coerce").dropna()
            lo = pd.to_numeric(grp["lo"], errors="coerce").dropna()
            hi = pd.to_numeric(grp["hi"], errors="coerce").dropna()
            if len(est) >= data.min_group_size and data.team_ok():
                self.medians[text(fam)] = float(est.median())
            if len(lo) and len(hi):
                self.ranges[text(fam)] = (float(lo.min()), float(hi.max()))
        self.recent_comments = _records_by(_newest(data.f("comments"), "created_at"), "person")
        self.recent_reviews = _records_by(_newest(data.f("episodes"), "last_at"), "person")
        self.series = person_figures.ci_series_table(data)
        self.months = person_figures._window_months(data)
        people = data.f("people")
        self.people = {
            text(p): row for p, row in zip(people["person"], people.to_dict("records"), strict=True)
        }


def _evidence_rows(ev: pd.DataFrame) -> pd.DataFrame:
    """Evidence sorted newest first (undated last, then by ref) with the date as display text.

    The scorer writes one row per marker that fired; rows for the same item are merged here so each
    comment or PR is listed once, with all its markers."""
    at = ev["at"]
    ev = ev.assign(
        _day=at.dt.strftime("%Y-%m-%d").fillna(""),
        _ts=at.fillna(pd.Timestamp("1970-01-01", tz="UTC")),
        **{col: ev[col].map(text) for col in ("person", "family", "kind", "ref", "markers")},
    )
    ev = ev.sort_values(["_ts", "ref", "markers"], ascending=[False, True, True], kind="stable")
    key = ["person", "family", "kind", "ref"]
    markers = ev.groupby(key, sort=False)["markers"].agg(lambda ms: ";".join(m for m in ms if m))
    firsts = ev.drop_duplicates(key).set_index(key)
    firsts["markers"] = markers.reindex(firsts.index)
    return firsts.reset_index()


def _newest(df: pd.DataFrame, time_column: str) -> pd.DataFrame:
    """Each person's RECENT_ITEMS newest rows (ties broken by url, so the choice is stable)."""
    if df.empty or "person" not in df:
        return df
    sort_by = [c for c in (time_column, "url") if c in df]
    ordered = df.sort_values(sort_by, ascending=False, kind="stable") if sort_by else df
    return ordered.groupby("person", sort=False).head(RECENT_ITEMS)


def _records_by(df: pd.DataFrame, col: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in df.to_dict("records"):
        out.setdefault(text(row[col]), []).append({str(k): v for k, v in row.items()})
    return out


def _typical(ctx: PersonContext, fam: str, row: dict[str, Any]) -> str:
    median = ctx.medians.get(fam)
    lo, hi = number(row.get("lo")), number(row.get("hi"))
    if median is None or lo is None or hi is None:
        return ""
    if lo > median:
        return "higher than team typical"
    if hi < median:
        return "lower than team typical"
    return "typical"


def _interval_bar(ctx: PersonContext, fam: str, row: dict[str, Any]) -> Markup | None:
    span = ctx.ranges.get(fam)
    lo, hi, est = number(row.get("lo")), number(row.get("hi")), number(row.get("estimate"))
    if span is None or lo is None or hi is None or est is None or span[1] <= span[0]:
        return None
    width = span[1] - span[0]

    def pct(x: float) -> float:
        return round(100 * min(1.0, max(0.0, (x - span[0]) / width)), 1)

    return el(
        "span",
        {"class": "ivbar", "title": "interval on the team's range"},
        el("span", {"class": "iv", "style": f"left:{pct(lo)}%;width:{max(0.5, pct(hi) - pct(lo))}%"}),
        el("span", {"class": "est", "style": f"left:{pct(est)}%"}),
    )


def _profile_row(ctx: PersonContext, slug: str, row: dict[str, Any], n_evidence: int) -> Markup:
    fam, unit, status = text(row["family"]), text(row.get("unit")), text(row.get("status"))
    n = count(row.get("n"))
    if status == "ok" or status == "exploratory":
        shown = [
            el("strong", None, value(row.get("estimate"), unit)),
            " ",
            el("span", {"class": "ci90"}, interval(row.get("lo"), row.get("hi"), unit)),
        ]
        if status == "exploratory":
            shown.append(el("span", {"class": "badge"}, "exploratory"))
    elif status == "not_measurable":
        shown = [el("span", {"class": "muted"}, "not measurable from this data")]
    else:
        shown = [el("span", {"class": "muted"}, f"insufficient data (n = {n})")]
    ev = (
        el("a", {"href": f"#person/{slug}/{fam}", "class": "evlink"}, f"evidence ({n_evidence})")
        if n_evidence
        else el("span", {"class": "muted"}, "no evidence rows")
    )
    return el(
        "tr",
        {"data-family": fam},
        el("th", None, family_label(fam)),
        el("td", None, shown),
        el("td", {"class": "num"}, n),
        el("td", None, unit),
        el("td", None, _typical(ctx, fam, row) if status == "ok" else ""),
        el("td", {"class": "barcell"}, _interval_bar(ctx, fam, row) if status == "ok" else None),
        el("td", None, ev),
    )


def profile(ctx: PersonContext, login: str, slug: str) -> Markup:
    scores = ctx.scores.get(login, [])
    if not scores:
        return el("p", {"class": "muted"}, "No scores for this person.")
    ev_counts: dict[str, int] = {}
    for row in ctx.evidence.get(login, []):
        ev_counts[row["family"]] = ev_counts.get(row["family"], 0) + 1
    records = {text(r["family"]): r for r in scores}
    rows = [_profile_row(ctx, slug, records[f], ev_counts.get(f, 0)) for f in ordered_families(set(records))]
    head = el(
        "tr",
        None,
        [
            el("th", None, h)
            for h in (
                "score",
                "estimate [90 % interval]",
                "n",
                "unit",
                "vs team",
                "interval on team range",
                "",
            )
        ],
    )
    return el("table", {"class": "profile"}, el("thead", None, head), el("tbody", None, rows))


def _evidence_item(data: ReportData, row: dict[str, Any]) -> Markup:
    excerpt = data.pseudo.text(text(row.get("excerpt")))
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[:EXCERPT_CHARS].rstrip() + "…"
    markers = [m for m in sorted(set(text(row.get("markers")).split(";"))) if m.strip()]
    url = data.pseudo.url(text(row.get("url")))
    when = text(row.get("_day"))
    ref = data.pseudo.text(text(row.get("ref")))
    title = data.pseudo.text(text(row.get("title")))
    target = (
        link(url, "open on GitHub")
        if url
        else el("span", {"class": "nolink"}, "link hidden (it contains a login)")
    )
    return el(
        "li",
        {"class": "evidence"},
        el(
            "div",
            {"class": "evmeta"},
            el("span", {"class": "kind"}, text(row.get("kind"))),
            " ",
            when,
            " ",
            el("code", None, ref),
            " ",
            target,
        ),
        el("div", {"class": "evtitle"}, title) if title else None,
        el("blockquote", None, excerpt) if excerpt else None,
        el("div", {"class": "markers"}, [el("span", {"class": "marker"}, m) for m in markers])
        if markers
        else None,
    )


def evidence_panel(ctx: PersonContext, login: str, slug: str) -> Markup:
    rows = ctx.evidence.get(login, [])
    if not rows:
        return el("p", {"class": "muted"}, "No evidence rows for this person.")
    by_family: dict[str, list[dict[str, Any]]] = {}
    for row in rows:  # already newest first
        by_family.setdefault(row["family"], []).append(row)
    blocks = []
    for fam in ordered_families(set(by_family)):
        shown = by_family[fam][:EVIDENCE_PER_FAMILY]
        blocks.append(
            el(
                "div",
                {"class": "evfamily", "id": f"ev-{slug}-{fam}"},
                el("h3", None, family_label(fam)),
                el(
                    "p",
                    {"class": "note"},
                    f"showing {len(shown)} of {len(by_family[fam])} (most recent first)",
                ),
                el("ul", None, [_evidence_item(ctx.data, r) for r in shown]),
            )
        )
    return el("div", None, blocks)


def _recent_comment(data: ReportData, row: dict[str, Any]) -> Markup:
    body = data.pseudo.text(text(row.get("body")))
    if len(body) > EXCERPT_CHARS:
        body = body[:EXCERPT_CHARS].rstrip() + "…"
    url = data.pseudo.url(text(row.get("url")))
    at = row.get("created_at")
    when = at.strftime("%Y-%m-%d") if isinstance(at, pd.Timestamp) and not pd.isna(at) else ""
    where = data.pseudo.text(f"{text(row.get('repo'))}#{text(row.get('pr_number'))}")
    return el(
        "li",
        {"class": "evidence"},
        el("div", {"class": "evmeta"}, el("span", {"class": "kind"}, text(row.get("kind"))), " ", when, " ",
           el("code", None, where), " ", link(url, "open on GitHub") if url else None),
        el("blockquote", None, body) if body else None,
    )


def _recent_review(data: ReportData, row: dict[str, Any]) -> Markup:
    url = data.pseudo.url(text(row.get("url")))
    where = data.pseudo.text(f"{text(row.get('repo'))}#{text(row.get('pr_number'))}")
    title = data.pseudo.text(text(row.get("title")))
    return el(
        "li",
        {"class": "evidence"},
        el("div", {"class": "evmeta"}, el("code", None, where), " ", link(url, "open on GitHub") if url else None),
        el("div", {"class": "evtitle"}, title) if title else None,
    )


def recent_activity(ctx: PersonContext, login: str) -> Markup:
    """The newest comments and reviews, whatever they scored: what a reader checks first."""
    comments = ctx.recent_comments.get(login, [])
    reviews = ctx.recent_reviews.get(login, [])
    return el(
        "div",
        {"class": "recent"},
        el("h3", None, f"Latest {len(comments)} comments"),
        el("ul", None, [_recent_comment(ctx.data, r) for r in comments])
        if comments
        else el("p", {"class": "muted"}, "No comments in the window."),
        el("h3", None, f"Latest {len(reviews)} pull requests reviewed"),
        el("ul", None, [_recent_review(ctx.data, r) for r in reviews])
        if reviews
        else el("p", {"class": "muted"}, "No reviews in the window."),
    )


def ci_table(ctx: PersonContext, login: str) -> Markup | None:
    ch = ctx.ci.get(login)
    if ch is None or ch.empty:
        return None
    rows = []
    for r in ch.sort_values(["changed_at", "repo", "workflow_path"], kind="stable").to_dict("records"):
        url = ctx.data.pseudo.url(text(r.get("url")))
        when = pd.Timestamp(r["changed_at"]).strftime("%Y-%m-%d") if not pd.isna(r["changed_at"]) else ""
        rows.append(
            el(
                "tr",
                None,
                el("td", None, when),
                el("td", None, ctx.data.pseudo.text(text(r.get("repo")))),
                el("td", None, el("code", None, ctx.data.pseudo.text(text(r.get("workflow_path"))))),
                el("td", None, text(r.get("change_type"))),
                el("td", {"class": "num"}, value(r.get("hours_saved_month"), "hours")),
                el("td", None, interval(r.get("hours_lo"), r.get("hours_hi"), "hours")),
                el("td", None, "yes" if flag(r.get("credited")) else "no"),
                el("td", {"class": "num"}, f"{count(r.get('runs_before'))} / {count(r.get('runs_after'))}"),
                el("td", None, link(url, "change") if url else "link hidden"),
            )
        )
    head = el(
        "tr",
        None,
        [
            el("th", None, h)
            for h in (
                "changed",
                "repo",
                "workflow",
                "type",
                "h/month saved",
                "90 %",
                "credited",
                "runs before / after",
                "",
            )
        ],
    )
    return el("table", {"class": "data"}, el("thead", None, head), el("tbody", None, rows))


def mentees(ctx: PersonContext, login: str) -> Markup:
    rows = ctx.mentees.get(login, [])
    if not rows:
        return el("p", {"class": "muted"}, "No newcomer interactions in the window.")
    names = sorted({text(r["mentee"]) for r in rows}, key=lambda m: (ctx.data.pseudo.name(m).lower(), m))
    return el("ul", {"class": "columns"}, [el("li", None, person_link(ctx.data, m)) for m in names])


def _header(ctx: PersonContext, login: str) -> Markup:
    data = ctx.data
    person = ctx.people.get(login, {})
    profile_link = (
        None
        if data.pseudo.enabled
        else el("span", None, " · ", link(f"{data.github_url}/{login}", f"@{login} on GitHub"))
    )
    facts = (
        f"{count(person.get('n_prs_authored'))} PRs authored · "
        f"{count(person.get('n_reviews_given'))} reviews "
        f"given · {count(person.get('n_comments'))} comments"
    )
    return el(
        "header",
        None,
        el("p", None, el("a", {"href": "#team"}, "← team view")),
        el(
            "h1",
            None,
            data.pseudo.name(login),
            el("span", {"class": "badge"}, "newcomer") if flag(person.get("is_newcomer")) else None,
        ),
        el("p", {"class": "muted"}, facts, profile_link),
    )


def person_page(ctx: PersonContext, login: str) -> tuple[Markup, Charts]:
    """The inner HTML of one person's page (already escaped) and its chart specs."""
    data, slug = ctx.data, ctx.data.slugs[login]
    charts: Charts = [
        (f"chart-{slug}-network", person_figures.network(data, login)),
        (f"chart-{slug}-trends", person_figures.trends(data, login, ctx.months)),
    ]
    ci_spec = person_figures.ci_impact(data, login, ctx.series)
    if ci_spec is not None:
        charts.append((f"chart-{slug}-ci", ci_spec))
    ci_block: list[Any] = (
        [chart_div(f"chart-{slug}-ci"), ci_table(ctx, login)]
        if ci_spec is not None
        else [el("p", {"class": "muted"}, "No CI changes by this person in the window.")]
    )
    body = [
        _header(ctx, login),
        el("h2", None, "Multiplier profile"),
        el(
            "p",
            {"class": "intro"},
            "Each score is shrunk toward the team and shown with its 90 % interval and "
            "sample size n; below the minimum sample it says so instead of guessing.",
        ),
        profile(ctx, login, slug),
        el("h2", None, "Review network"),
        chart_div(f"chart-{slug}-network"),
        el("h2", None, "Trends"),
        chart_div(f"chart-{slug}-trends"),
        el("h2", None, "CI impact"),
        ci_block,
        el("h2", None, "Newcomers helped"),
        mentees(ctx, login),
        el("h2", {"id": f"evidence-{slug}"}, "Evidence"),
        el(
            "p",
            {"class": "intro"},
            "The comments, PRs and runs behind each number, the markers that fired, and "
            "links to them on GitHub.",
        ),
        evidence_panel(ctx, login, slug),
        el("h2", None, "Recent activity"),
        recent_activity(ctx, login),
    ]
    return el("div", {"class": "person-body"}, body), charts


def person_shell(slug: str, n_charts: int) -> Markup:
    """The empty section a person's page is unpacked into when it is first opened."""
    return el(
        "section",
        {
            "class": "page",
            "id": f"page-person-{slug}",
            "data-page": f"person/{slug}",
            "data-expected-charts": n_charts,
            "hidden": True,
        },
    )
