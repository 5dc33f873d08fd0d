"""The landing page: team aggregates first, per-person distributions never ranked."""

from __future__ import annotations

from typing import Any

from analyzer.report import figures, uplift_section
from analyzer.report.blocks import chart_div, newcomer_badge, too_small
from analyzer.report.figures import Spec
from analyzer.report.fmt import count, interval, value
from analyzer.report.html import Markup, el
from analyzer.report.inputs import text
from analyzer.report.labels import family_label, fmt, ordered_families
from analyzer.report.model import ReportData

Charts = list[tuple[str, Spec]]


NAME_CHARS = 80  # longer display names are cut on the page; the title (tooltip) keeps the whole name


def short_name(name: str) -> tuple[str, str | None]:
    """The name as shown (cut to NAME_CHARS with '…') and, when it was cut, the whole name for a title:
    a 5,000-character name must not make a page wider than the window or push everything else away."""
    if len(name) <= NAME_CHARS:
        return name, None
    return name[: NAME_CHARS - 1] + "…", name


def person_link(data: ReportData, login: str) -> Markup:
    slug = data.slugs.get(login)
    name, full = short_name(data.pseudo.name(login))
    if slug is None:
        return el("span", {"class": "person", "title": full}, name)
    return el("a", {"class": "person", "href": f"#person/{slug}", "data-person": slug, "title": full}, name)


def _card(label: str, main: str, sub: str = "") -> Markup:
    return el(
        "div",
        {"class": "card"},
        el("div", {"class": "card-label"}, label),
        el("div", {"class": "card-value"}, main),
        el("div", {"class": "card-sub"}, sub),
    )


def summary_cards(data: ReportData) -> Markup:
    team = data.f("team")
    row: dict[str, Any] = {str(k): v for k, v in team.iloc[0].items()} if not team.empty else {}
    cards = [_card("People", count(data.n_people), f"{len(data.newcomers)} of them newcomers in the window")]
    if data.team_ok() and row:
        cards += [
            _card(
                "Harsh comments",
                value(row.get("harsh_rate"), "share"),
                "of all the team's comments; 90 % "
                + interval(row.get("harsh_lo"), row.get("harsh_hi"), "share")
                + _typical_person(data, "harsh_rate"),
            ),
            _card(
                "Rubber-stamp approvals",
                value(row.get("rubber_stamp_rate"), "share"),
                "of all the team's eligible approvals; 90 % "
                + interval(row.get("rs_lo"), row.get("rs_hi"), "share")
                + _typical_person(data, "rubber_stamp_rate"),
            ),
            _card("Sharing index", value(row.get("sharing_index"), "index"), "0 = one reviewer, 1 = even"),
            _card(
                "CI hours saved / month",
                value(row.get("ci_hours_saved"), "hours"),
                "90 % " + interval(row.get("ci_lo"), row.get("ci_hi"), "hours"),
            ),
        ]
    else:
        cards.append(el("div", {"class": "card"}, too_small(data)))
    return el("div", {"class": "cards"}, cards)


def _typical_person(data: ReportData, fam: str) -> str:
    """The team reference person pages compare with, named on the card so the two never seem to disagree."""
    ref = data.references.get(fam)
    return "" if ref is None else f"; the typical person: {fmt(fam, ref)} (what person pages compare with)"


def _section(title: str, intro: str, *body: Any) -> Markup:
    return el("section", {"class": "block"}, el("h2", None, title), el("p", {"class": "intro"}, intro), body)


def _chart_or_note(charts: Charts, div_id: str, spec: Spec | None, note: Markup) -> Markup:
    if spec is None:
        return note
    charts.append((div_id, spec))
    return chart_div(div_id)


def distributions(data: ReportData, charts: Charts) -> Markup:
    fs = data.f("family_scores")
    blocks = []
    for fam in ordered_families({text(f) for f in fs["family"] if text(f)}):
        rows = fs[fs["family"] == fam]
        n_other = int(((rows["status"] != "ok") & rows["person"].isin(data.slugs)).sum())
        spec = figures.family_distribution(data, fam)
        note = el(
            "p",
            {"class": "small-group"},
            f"{family_label(fam)}: group too small to show "
            f"(n < {data.min_group_size} people with enough data)",
        )
        blocks.append(
            el(
                "div",
                {"class": "family"},
                _chart_or_note(charts, f"chart-dist-{fam}", spec, note),
                el(
                    "p",
                    {"class": "note"},
                    f"{n_other} {'person' if n_other == 1 else 'people'} without a point estimate "
                    "(insufficient data, exploratory or not measurable) not drawn.",
                )
                if n_other
                else None,
            )
        )
    return _section(
        "Score families across the team",
        "Each dot is one person's estimate with its 90 % interval (grey line); the dotted line is the team "
        "typical, the same reference every person page compares with. People are ordered by name, "
        "never by score: this is not a leaderboard. Click a dot to open that person's page. In teams of "
        f"more than {figures.ROWS_BY_NAME_MAX} people each family is a histogram of estimates instead, "
        "without names.",
        blocks,
    )


def sharing(data: ReportData, charts: Charts) -> Markup:
    lorenz = _chart_or_note(charts, "chart-sharing", figures.review_sharing(data), too_small(data))
    heat_spec = figures.review_heatmap(data)
    heat = _chart_or_note(
        charts,
        "chart-heatmap",
        heat_spec,
        el(
            "p",
            {"class": "note"},
            "The reviewer → author heatmap is drawn for teams of up to "
            f"{figures.HEATMAP_MAX_PEOPLE} people; open a person to see their network.",
        ),
    )
    return _section(
        "How evenly review work is shared",
        "The closer the curve is to the diagonal, the more evenly reviews are spread.",
        lorenz,
        heat,
    )


def helpers_of_newcomers(data: ReportData) -> Markup:
    men = data.f("mentoring")
    helped: dict[str, set[str]] = {}
    for mentor, mentee in zip(men["mentor"], men["mentee"], strict=True):
        if text(mentor) in data.slugs:
            helped.setdefault(text(mentor), set()).add(text(mentee))
    items = [
        el("li", None, person_link(data, m), f" helped {len(helped[m])} newcomer{'s' if len(helped[m]) != 1 else ''}")
        for m in sorted(helped, key=data.by_name)
    ]
    return el(
        "div",
        None,
        el("h3", None, "Who helped newcomers (alphabetical)"),
        el("ul", {"class": "columns"}, items) if items else el("p", None, "No newcomer was helped."),
    )


def newcomers(data: ReportData, charts: Charts) -> Markup:
    inflow = _chart_or_note(charts, "chart-inflow", figures.newcomer_inflow(data), too_small(data))
    return _section(
        "Newcomers",
        f"{data.newcomer_rule} The chart shows when newcomers opened their first pull request, and how many of "
        "them got a teaching review.",
        inflow,
        helpers_of_newcomers(data),
    )


def ci(data: ReportData, charts: Charts) -> Markup:
    note = too_small(data) if not data.team_ok() else el("p", {"class": "note"}, "No credited CI change.")
    return _section(
        "CI time saved",
        "Credited CI changes add their measured saving (hours per month, with "
        "interval); see each person's page for the runs behind it.",
        _chart_or_note(charts, "chart-ci-hours", figures.ci_hours(data), note),
    )


def directory(data: ReportData) -> Markup:
    """The people index, near the top of the team view (and linked from the bar at the top): open
    for teams up to ROWS_BY_NAME_MAX people, folded for bigger ones."""
    items = [
        el(
            "li",
            None,
            person_link(data, login),
            newcomer_badge(data, login),
        )
        for login in data.logins
    ]
    return el(
        "section",
        {"class": "block", "id": "people-index"},
        el(
            "details",
            {"open": data.n_people <= figures.ROWS_BY_NAME_MAX},
            el("summary", None, el("h2", {"class": "inline"}, f"People ({data.n_people}, alphabetical)")),
            el("p", {"class": "intro"}, "Open a person's page to see every number with its evidence."),
            el("ul", {"class": "columns directory"}, items),
        ),
    )


def team_page(data: ReportData) -> tuple[Markup, Charts]:
    charts: Charts = []
    rates = _chart_or_note(charts, "chart-team-rates", figures.team_rates(data), too_small(data))
    body = [
        el("h1", None, "Team view"),
        summary_cards(data),
        directory(data),
        _section(
            "Team review health",
            "Share of harsh comments and of rubber-stamp approvals across the team, with 90 % intervals.",
            rates,
        ),
        sharing(data, charts),
        newcomers(data, charts),
        ci(data, charts),
        distributions(data, charts),
        uplift_section.team_section(data, charts),
    ]
    page = el(
        "section",
        {"class": "page", "id": "page-team", "data-page": "team", "data-expected-charts": len(charts)},
        body,
    )
    return page, charts
