"""The multiplier effect in the report: per person, one plain sentence per outcome with its 90 % interval
and a chart; for the team, the distribution of effects (never a ranking). Reads the ``uplift`` score table
(analyzer.scores.uplift); docs/methodology.md, "Multiplier effect (uplift)", defines every number."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyzer.report.blocks import chart_div, too_small
from analyzer.report.figures import BLUE, GREEN, GREY, RED, Spec, base_layout, plain, r4
from analyzer.report.html import Markup, el
from analyzer.report.inputs import flag, number, text
from analyzer.report.model import ReportData
from analyzer.scores.outcomes import OUTCOMES, Outcome
from analyzer.scores.uplift_precision import statement as precision

CAVEAT = (
    "Observational evidence, not proof: the model compares each author's pull requests before and after "
    "working with this person, holding the author, the repository and month, the size of the change, "
    "whether it changes docs and who reviews it fixed. Worked with: a review by this person in the three "
    "months before the pull request, or docs this person wrote in those three months that the pull "
    "request changes. Effects are shrunk towards no effect, with 90 % intervals. See the methodology page."
)
TEAM_INTRO = (
    "How much the review rounds of the people each engineer works with change afterwards, for everyone with "
    "enough data: a histogram of effects, without names and in no order (this is not a ranking). Most "
    "people show no detectable effect, which is the expected and honest answer for most reviewers."
)


def person_rows(data: ReportData, login: str) -> dict[str, dict[str, Any]]:
    table = data.frames.get("uplift")
    if table is None or table.empty:
        return {}
    mine = table[table["person"].map(text) == login]
    return {text(r["outcome"]): {str(k): v for k, v in r.items()} for r in mine.to_dict("records")}


def _pct(x: float) -> str:
    return f"{abs(x) * 100:.0f} %"


def sentence(name: str, outcome: Outcome, row: dict[str, Any] | None) -> str:
    """One outcome in plain words: a credited effect, "no detectable effect" or "insufficient data"."""
    label = outcome.label[0].upper() + outcome.label[1:]
    if row is None or text(row.get("status")) != "ok":
        n = int(number(row.get("n_authors")) or 0) if row else 0
        need = int(number(row.get("min_n")) or 0) if row else 0
        wanted = f"; at least {need} needed" if need else ""
        return f"{label}: insufficient data (n = {n} authors{wanted})."
    est, lo, hi = (number(row.get(k)) or 0.0 for k in ("estimate", "lo", "hi"))
    n = int(number(row.get("n_authors")) or 0)
    if not flag(row.get("credited")):
        return (
            f"{label}: no detectable effect (the 90 % interval [{lo * 100:+.0f} %, {hi * 100:+.0f} %] includes "
            f"zero; n = {n} authors)."
        )
    word = outcome.fewer if est < 0 else outcome.more
    near, far = sorted((abs(lo), abs(hi)))
    return (
        f"Authors who worked with {name} {outcome.verb} {_pct(est)} {word} {outcome.label} [{near * 100:.0f} %, "
        f"{far * 100:.0f} %] in the following three months (n = {n} authors)."
    )


def person_chart(name: str, rows: dict[str, dict[str, Any]]) -> Spec | None:
    """Each outcome's effect with its interval, on one axis of percent change, zero marked."""
    shown = [(o, rows[o.name]) for o in OUTCOMES if o.name in rows and text(rows[o.name].get("status")) == "ok"]
    if not shown:
        return None
    labels = [plain(o.axis_label) for o, _ in shown]
    est = [r4((number(r.get("estimate")) or 0.0) * 100) for _, r in shown]
    lo = [(number(r.get("lo")) or 0.0) * 100 for _, r in shown]
    hi = [(number(r.get("hi")) or 0.0) * 100 for _, r in shown]
    colours = [
        (GREEN if (e or 0) < 0 else RED) if flag(r.get("credited")) else GREY
        for e, (_, r) in zip(est, shown, strict=True)
    ]
    trace: Spec = {
        "type": "scatter",
        "mode": "markers",
        "x": est,
        "y": labels,
        "marker": {"size": 11, "color": colours},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [r4(h - (e or 0)) for h, e in zip(hi, est, strict=True)],
            "arrayminus": [r4((e or 0) - lw) for lw, e in zip(lo, est, strict=True)],
            "color": BLUE,
        },
        "hovertemplate": "%{y}: %{x:+.0f} % (90 % interval shown)<extra></extra>",
    }
    zero: Spec = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": 0,
        "x1": 0,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#333333", "width": 1},
    }
    layout = base_layout(
        f"Change for authors after working with {plain(name)} (%, 90 % interval; left of 0 = better)",
        90 + 45 * len(shown),
        shapes=[zero],
        xaxis={"title": {"text": "% change, 3 months after working with them"}, "zeroline": False},
        yaxis={"automargin": True},
    )
    return {"data": [trace], "layout": layout}


def person_uplift(data: ReportData, login: str, slug: str) -> tuple[Markup, list[tuple[str, Spec]]]:
    """The person page's multiplier section (HTML, escaped) and its chart."""
    name = data.pseudo.name(login)
    rows = person_rows(data, login)
    lines = [el("li", None, sentence(name, o, rows.get(o.name))) for o in OUTCOMES]
    spec = person_chart(name, rows)
    charts = [(f"chart-{slug}-uplift", spec)] if spec is not None else []
    body = el(
        "section",
        {"class": "uplift", "id": f"uplift-{slug}"},
        el("h2", None, "Do the people they work with get better?"),
        el("ul", {"class": "uplift-lines"}, lines),
        chart_div(f"chart-{slug}-uplift") if spec is not None else None,
        el("p", {"class": "muted"}, CAVEAT),
        el("p", {"class": "muted uplift-precision"}, precision()),
    )
    return body, charts


def team_distribution(data: ReportData) -> Spec | None:
    """Histogram of the review-rounds effects of everyone with enough data (no names, no order)."""
    table = data.frames.get("uplift")
    if table is None or table.empty:
        return None
    rows = table[(table["outcome"].map(text) == OUTCOMES[0].name) & (table["status"].map(text) == "ok")]
    rows = rows[rows["person"].map(text).isin(data.slugs)]
    values = [v * 100 for v in (number(x) for x in rows["estimate"]) if v is not None]
    if len(values) < data.min_group_size:
        return None
    trace: Spec = {
        "type": "histogram",
        "x": [r4(v) for v in values],
        "nbinsx": 20,
        "marker": {"color": BLUE},
        "hovertemplate": "%{x} %: %{y} people<extra></extra>",
    }
    layout = base_layout(
        f"Change in review rounds after working with each of {len(values)} people (%, shrunk estimates)",
        260,
        bargap=0.05,
        xaxis={"title": {"text": "change in the three months after working with them (%)"}, "zeroline": True},
        yaxis={"title": {"text": "people"}, "rangemode": "tozero"},
    )
    return {"data": [trace], "layout": layout}


def team_counts(data: ReportData) -> str:
    """How many people have a credited effect, no detectable effect, or too little data (review rounds)."""
    table = data.frames.get("uplift")
    if table is None or table.empty:
        return "No multiplier effects were computed for this report."
    rows = table[(table["outcome"].map(text) == OUTCOMES[0].name) & table["person"].map(text).isin(data.slugs)]
    ok = rows["status"].map(text) == "ok"
    credited = ok & rows["credited"].map(flag)
    est = pd.to_numeric(rows["estimate"], errors="coerce")
    better, worse = int((credited & (est < 0)).sum()), int((credited & (est > 0)).sum())
    return (
        f"Review rounds: {better} people whose authors needed fewer rounds afterwards, {worse} with more, "
        f"{int((ok & ~credited).sum())} with no detectable effect, {int((~ok).sum())} with insufficient data."
    )


def team_section(data: ReportData, charts: list[tuple[str, Spec]]) -> Markup:
    """The team page's block: counts and the histogram, or 'group too small' below the minimum group."""
    spec = team_distribution(data)
    if spec is None:
        body: Any = too_small(data)
    else:
        charts.append(("chart-team-uplift", spec))
        body = [el("p", None, team_counts(data)), chart_div("chart-team-uplift")]
    return el(
        "section",
        {"class": "block"},
        el("h2", None, "Do the people around each engineer get better?"),
        el("p", {"class": "intro"}, TEAM_INTRO),
        body,
        el("p", {"class": "muted"}, CAVEAT),
        el("p", {"class": "muted uplift-precision"}, precision()),
    )
