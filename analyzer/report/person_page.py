"""One hidden section per person: profile, charts (drawn lazily) and the evidence behind each number."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyzer.report import person_figures, uplift_section
from analyzer.report.blocks import chart_div, newcomer_badge
from analyzer.report.compare import comparison, comparison_words
from analyzer.report.figures import Spec
from analyzer.report.fmt import count
from analyzer.report.html import Markup, el, link
from analyzer.report.inputs import flag, number, text
from analyzer.report.labels import direction, family, family_label, fmt, fmt_interval, ordered_families
from analyzer.report.model import ReportData
from analyzer.report.summary import summary
from analyzer.report.team_page import person_link, short_name
from analyzer.report.wording import ID_REF, KIND_WORDS, MENTORED_AT, marker_words, tidy, where_from_url

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
        ok = data.f("family_scores")
        ok = ok[(ok["status"] == "ok") & ok["person"].isin(data.slugs)]
        # how much people in the team differ per family: places unlike units on one chart
        self.spreads: dict[str, float] = {}
        for fam, grp in ok.groupby("family", sort=True):
            est = pd.to_numeric(grp["estimate"], errors="coerce").dropna()
            if len(est) >= 2 and float(est.std()) > 0:
                self.spreads[text(fam)] = float(est.std())
        self.recent_comments = _records_by(_newest(data.f("comments"), "created_at"), "person")
        self.recent_reviews = _records_by(_newest(data.f("episodes"), "last_at"), "person")
        self.series = person_figures.ci_series_table(data)
        self.months = person_figures._window_months(data)
        people = data.f("people")
        self.people = {
            text(p): {str(k): v for k, v in row.items()}
            for p, row in zip(people["person"], people.to_dict("records"), strict=True)
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


def _measure_cell(fam: str) -> Markup:
    spec = family(fam)
    return el(
        "th",
        {"scope": "row"},
        el("div", None, spec.label, el("span", {"class": "badge"}, "exploratory") if spec.exploratory else None),
        el("div", {"class": "what"}, spec.what) if spec.what else None,
        el("div", {"class": "what"}, f"Unit: {spec.unit}" + (f"; {direction(fam)}." if direction(fam) else ".")),
    )


def _value_cell(fam: str, row: dict[str, Any]) -> Markup:
    status, n = text(row.get("status")), count(row.get("n"))
    if status not in ("ok", "exploratory"):
        if status == "not_measurable":
            return el("td", {"class": "muted"}, "not measurable from this data")
        return el("td", {"class": "muted"}, f"insufficient data (n = {n}, needs {count(row.get('min_n'))})")
    interval = fmt_interval(fam, row.get("lo"), row.get("hi"))
    return el(
        "td",
        None,
        el("strong", None, fmt(fam, row.get("estimate"))),
        el("div", {"class": "ci90"}, f"90 % interval {interval}" if interval else "no interval for this number"),
    )


def _compare_cell(ctx: PersonContext, fam: str, row: dict[str, Any]) -> Markup:
    ref = ctx.data.references.get(fam)
    if text(row.get("status")) != "ok" or ref is None:
        return el("td", {"class": "muted"}, "not compared" if ref is None else "")
    mark = comparison(fam, row, ref)
    return el(
        "td",
        {"class": f"cmp {mark}".strip()},
        el("div", None, f"team typical {fmt(fam, ref)}"),
        el("div", {"class": "cmp-words"}, comparison_words(fam, mark)) if mark else None,
    )


def _profile_row(ctx: PersonContext, slug: str, row: dict[str, Any], n_evidence: int) -> Markup:
    fam = text(row["family"])
    ev = (
        el("a", {"href": f"#person/{slug}/{fam}", "class": "evlink"}, f"evidence ({n_evidence})")
        if n_evidence
        else el("span", {"class": "muted"}, "no examples")
    )
    n_unit = family(fam).n_unit
    return el(
        "tr",
        {"data-family": fam},
        _measure_cell(fam),
        _value_cell(fam, row),
        _compare_cell(ctx, fam, row),
        el("td", {"class": "num"}, f"{count(row.get('n'))} {n_unit}".strip()),
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
    heads = ("what it measures", "their value", "compared with the team", "based on", "")
    head = el("tr", None, [el("th", {"scope": "col"}, h) for h in heads])
    return el("table", {"class": "profile stack"}, el("thead", None, head), el("tbody", None, rows))


def _evidence_item(data: ReportData, row: dict[str, Any]) -> Markup:
    excerpt = data.pseudo.text(text(row.get("excerpt")))
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[:EXCERPT_CHARS].rstrip() + "…"
    markers = [m for m in sorted(set(text(row.get("markers")).split(";"))) if m.strip()]
    url = data.pseudo.url(text(row.get("url")))
    when = text(row.get("_day"))
    kind = text(row.get("kind"))
    raw_ref = text(row.get("ref"))
    ref = where_from_url(url or "") or ("" if ID_REF.match(raw_ref) else data.pseudo.text(raw_ref))
    if kind != "comment":  # text the scorer wrote about a PR, episode or commit, not a person's words
        excerpt = tidy(excerpt)
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
            el("span", {"class": "kind"}, KIND_WORDS.get(kind, kind)),
            " ",
            when,
            " ",
            el("span", {"class": "where"}, ref) if ref else None,
            " ",
            target,
        ),
        el("div", {"class": "evtitle"}, title) if title else None,
        el("blockquote", None, excerpt) if excerpt else None,
        el("div", {"class": "markers"}, [el("span", {"class": "marker"}, marker_words(m)) for m in markers])
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
                    f"showing {len(shown)} of {len(by_family[fam])}, most recent first",
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
        el("div", {"class": "evmeta"}, el("span", {"class": "kind"}, KIND_WORDS.get(text(row.get("kind")),
           text(row.get("kind")))), " ", when, " ", el("span", {"class": "where"}, where), " ",
           link(url, "open on GitHub") if url else None),
        el("blockquote", None, body) if body else None,
    )


def _recent_review(data: ReportData, row: dict[str, Any]) -> Markup:
    url = data.pseudo.url(text(row.get("url")))
    where = data.pseudo.text(f"{text(row.get('repo'))}#{text(row.get('pr_number'))}")
    title = data.pseudo.text(text(row.get("title")))
    return el(
        "li",
        {"class": "evidence"},
        el("div", {"class": "evmeta"}, el("span", {"class": "where"}, where), " ",
           link(url, "open on GitHub") if url else None),
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
                el("td", None, text(r.get("change_type")).replace("_", " ")),
                el("td", {"class": "num"}, fmt("ci_hours_saved", r.get("hours_saved_month"))),
                el("td", None, fmt_interval("ci_hours_saved", r.get("hours_lo"), r.get("hours_hi"))),
                el("td", None, "yes" if flag(r.get("credited")) else "no (no clear improvement)"),
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
                "changed on",
                "repository",
                "workflow file",
                "kind of change",
                "hours saved per month",
                "90 % interval",
                "credited to them",
                "CI runs compared (before / after)",
                "",
            )
        ],
    )
    return el("table", {"class": "data"}, el("thead", None, head), el("tbody", None, rows))


def mentees(ctx: PersonContext, login: str) -> Markup:
    """Every newcomer this person gave a teaching review, with how many; the 'Newcomers mentored' number
    counts only those with two or more, and the page says so next to the list."""
    rows = ctx.mentees.get(login, [])
    if not rows:
        return el("p", {"class": "muted"}, "No teaching reviews for newcomers in the window.")
    times: dict[str, float] = {}
    for r in rows:
        times[text(r["mentee"])] = times.get(text(r["mentee"]), 0.0) + (number(r.get("n_interactions")) or 0.0)
    names = sorted(times, key=ctx.data.by_name)
    reached = sum(1 for m in names if times[m] >= MENTORED_AT)
    items = [
        el("li", None, person_link(ctx.data, m), f" - {int(times[m])} teaching review{'s' if times[m] != 1 else ''}")
        for m in names
    ]
    return el(
        "div",
        None,
        el(
            "p",
            {"class": "intro"},
            f"{len(names)} newcomer{'s' if len(names) != 1 else ''} got a teaching review from them; "
            f"{reached} got {MENTORED_AT} or more, which is what 'Newcomers mentored' counts. {ctx.data.newcomer_rule}",
        ),
        el("ul", {"class": "columns"}, items),
    )


def _header(ctx: PersonContext, login: str) -> Markup:
    data = ctx.data
    name, full = short_name(data.pseudo.name(login))
    return el(
        "header",
        None,
        el(
            "p",
            {"class": "crumbs"},
            el("a", {"href": "#team"}, "← team view"),
            " · ",
            el("a", {"href": "#people"}, "people index"),
        ),
        el(
            "h1",
            None,
            el("span", {"title": full}, name),
            newcomer_badge(data, login),
        ),
    )


def _facts(ctx: PersonContext, login: str) -> Markup:
    data = ctx.data
    person = ctx.people.get(login, {})
    profile_link = (
        None
        if data.pseudo.enabled
        else el("span", None, " · ", link(f"{data.github_url}/{login}", f"@{login} on GitHub"))
    )
    facts = (
        f"{count(person.get('n_prs_authored'))} pull requests authored · "
        f"{count(person.get('n_reviews_given'))} pull requests reviewed · "
        f"{count(person.get('n_comments'))} comments"
    )
    return el("p", {"class": "muted"}, facts, profile_link)


def person_page(ctx: PersonContext, login: str) -> tuple[Markup, Charts]:
    """The inner HTML of one person's page (already escaped) and its chart specs.

    Order matters: a plain-language summary first, then one chart of what the person does for others,
    then the uplift section (issue 13: do the people they work with get better?), and only then the
    tables."""
    data, slug = ctx.data, ctx.data.slugs[login]
    records = {text(r["family"]): r for r in ctx.scores.get(login, [])}
    charts: Charts = []
    others_spec = person_figures.for_others(data, login, records, ctx.spreads)
    if others_spec is not None:
        charts.append((f"chart-{slug}-others", others_spec))
    uplift_html, uplift_charts = uplift_section.person_uplift(data, login, slug)
    charts += uplift_charts
    charts += [
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
        summary(data, login, records, ctx.people.get(login, {})),
        chart_div(f"chart-{slug}-others")
        if others_spec is not None
        else el("p", {"class": "muted"}, "Not enough data to compare their work for others with the team."),
        uplift_html,  # the uplift section's slot: right after the summary and the chart ("" without data)
        _facts(ctx, login),
        el("h2", None, "All their numbers"),
        el(
            "p",
            {"class": "intro"},
            "Each number is pulled toward the team typical when it rests on little data, and comes with "
            "its 90 % interval (the range the true value very likely lies in) and what it is based on. "
            "▲ and ▼ appear only when the whole interval is on one side of the team typical; "
            "below the minimum sample the report says 'insufficient data' instead of guessing.",
        ),
        profile(ctx, login, slug),
        el("h2", None, "Who they review"),
        chart_div(f"chart-{slug}-network"),
        el("h2", None, "Month by month"),
        chart_div(f"chart-{slug}-trends"),
        el("h2", None, "CI time saved"),
        ci_block,
        el("h2", None, "Newcomers they helped"),
        mentees(ctx, login),
        el("h2", {"id": f"evidence-{slug}"}, "Evidence"),
        el(
            "p",
            {"class": "intro"},
            "The comments, pull requests and CI runs behind each number, what was noticed in them, and "
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
