"""Per-person figure specs: reviewer network, monthly trends, CI impact."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyzer.report.compare import FAVOURABLE, UNFAVOURABLE, comparison
from analyzer.report.figures import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    RED,
    Spec,
    base_layout,
    circle,
    interval_trace,
    iso,
    plain,
    r4,
)
from analyzer.report.inputs import number, text
from analyzer.report.labels import direction, family, fmt, fmt_interval, ordered_families
from analyzer.report.model import ReportData

NETWORK_MAX_NEIGHBOURS = 30
LABEL_CHARS = 18  # longer names are shortened on the chart (in full in the hover label)


def short(name: str, chars: int = LABEL_CHARS) -> str:
    return name if len(name) <= chars else name[: chars - 1].rstrip() + "…"


def network(data: ReportData, login: str) -> Spec:
    """Ego network: who this person reviewed and who reviewed them; newcomers drawn as stars."""
    edges = data.edges.get(login, [])
    weight: dict[str, float] = {}
    counts: dict[tuple[str, str], float] = {}
    for other, way, n in edges:
        weight[other] = weight.get(other, 0.0) + n
        counts[(other, way)] = counts.get((other, way), 0.0) + n
    keep = sorted(weight, key=lambda o: (-weight[o], o))[:NETWORK_MAX_NEIGHBOURS]
    others = sorted(keep, key=data.by_name)
    pos = {o: circle(len(others), i) for i, o in enumerate(others)}
    traces: list[Spec] = []
    for way, colour in (("reviewed", BLUE), ("reviewed by", GREY)):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for other in others:
            if counts.get((other, way)):
                # edges stop short of the centre so they never cross the person's own name
                xs += [pos[other][0] * 0.25, pos[other][0] * 0.92, None]
                ys += [pos[other][1] * 0.25, pos[other][1] * 0.92, None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "hoverinfo": "skip",
                "line": {"color": colour, "width": 1.5},
                "name": "they reviewed" if way == "reviewed" else "reviewed them",
            }
        )
    names = [plain(data.pseudo.name(o)) for o in others]
    is_new = [o in data.newcomers for o in others]
    hover = [
        f"{n}{' (newcomer)' if new else ''}: they reviewed {counts.get((o, 'reviewed'), 0):.0f} of "
        f"{n}'s pull requests; {n} reviewed {counts.get((o, 'reviewed by'), 0):.0f} of theirs"
        for o, n, new in zip(others, names, is_new, strict=True)
    ]
    traces.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [pos[o][0] for o in others],
            "y": [pos[o][1] for o in others],
            "text": [plain(short(data.pseudo.name(o))) for o in others],
            "hovertext": hover,
            # names grow towards the centre, so the outermost ones stay inside a phone-wide chart
            "textposition": [
                "top left" if pos[o][0] > 0.3 else "top right" if pos[o][0] < -0.3 else "top center" for o in others
            ],
            "customdata": [data.slugs.get(o, "") for o in others],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "name": "colleague (star = newcomer)",
            "marker": {
                "size": [8 + min(20.0, weight[o]) for o in others],
                "color": [ORANGE if new else BLUE for new in is_new],
                "symbol": ["star" if new else "circle" for new in is_new],
            },
        }
    )
    me = plain(data.pseudo.name(login))
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": [0.0],
            "y": [0.0],
            "marker": {"size": 18, "color": GREEN},
            "hovertext": [me],
            "hovertemplate": "%{hovertext} (this page)<extra></extra>",
            "name": "this person",
        }
    )
    # The person's name as an annotation with a white box: drawn above every edge, never hidden.
    centre = {
        "x": 0,
        "y": 0,
        "xref": "x",
        "yref": "y",
        "yshift": -22,
        "text": me,
        "showarrow": False,
        "bgcolor": "rgba(255,255,255,0.9)",
        "font": {"size": 12},
    }
    shown = f" (the {len(others)} closest of {len(weight)})" if len(weight) > len(others) else ""
    # No scale anchor: the circle is stretched into a wide ellipse so that 30 names do not overlap.
    axis = {"visible": False, "range": [-1.3, 1.3], "fixedrange": True}
    layout = base_layout(
        f"Who they review and who reviews them{shown}; star = newcomer",
        460,
        xaxis=axis,
        yaxis=dict(axis, range=[-1.25, 1.3]),
        annotations=[centre],
        showlegend=True,
        legend={"orientation": "h", "y": -0.05},
    )
    return {"data": traces, "layout": layout}


def _window_months(data: ReportData) -> list[str]:
    team = data.f("team")
    start = team["window_start"].iloc[0] if not team.empty else pd.NaT
    end = team["window_end"].iloc[0] if not team.empty else pd.NaT
    if pd.isna(start) or pd.isna(end):
        months = sorted({text(m) for m in data.monthly.index.get_level_values("month")})
        return months
    periods = pd.period_range(
        pd.Timestamp(start).strftime("%Y-%m"), pd.Timestamp(end).strftime("%Y-%m"), freq="M"
    )
    return [str(p) for p in periods]


def trends(data: ReportData, login: str, months: list[str] | None = None) -> Spec:
    """Three panels on one time axis, each with its own unit: review comments, doc lines, and the
    shares of considerate and harsh comments (%)."""
    months = months if months is not None else _window_months(data)
    mine = (
        data.monthly.xs(login, level="person")
        if login in data.monthly.index.get_level_values("person")
        else pd.DataFrame(columns=data.monthly.columns)
    )
    mine = mine.reindex(months)

    def col(name: str, scale: float = 1.0) -> list[float | None]:
        return [None if v is None else round(v * scale, 4) for v in (r4(x) for x in mine[name])]

    traces: list[Spec] = [
        {
            "type": "bar",
            "x": months,
            "y": col("comments"),
            "name": "review comments",
            "marker": {"color": BLUE},
            "hovertemplate": "%{x}: %{y:,.0f} review comments<extra></extra>",
        },
        {
            "type": "bar",
            "x": months,
            "y": col("doc_lines"),
            "name": "doc lines",
            "yaxis": "y2",
            "marker": {"color": GREY},
            "hovertemplate": "%{x}: %{y:,.0f} doc lines (weighted)<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": months,
            "y": col("considerate_share", 100.0),
            "name": "% considerate",
            "yaxis": "y3",
            "line": {"color": GREEN},
            "hovertemplate": "%{x}: %{y:.1f} % of comments considerate<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": months,
            "y": col("harsh_share", 100.0),
            "name": "% harsh",
            "yaxis": "y3",
            "line": {"color": RED},
            "hovertemplate": "%{x}: %{y:.1f} % of comments harsh<extra></extra>",
        },
    ]
    layout = base_layout(
        "Month by month: comments, doc lines and tone (raw monthly figures, not shrunk)",
        480,
        showlegend=True,
        xaxis={"type": "category", "anchor": "y3"},
        yaxis={"title": {"text": "comments"}, "rangemode": "tozero", "domain": [0.72, 1.0]},
        yaxis2={"title": {"text": "doc lines"}, "rangemode": "tozero", "domain": [0.40, 0.64]},
        yaxis3={"title": {"text": "% of comments"}, "range": [0, 100], "domain": [0.0, 0.32]},
        legend={"orientation": "h", "y": -0.15},
    )
    return {"data": traces, "layout": layout}


def series_key(repo: str, workflow: str) -> str:
    return f"{repo}|{workflow}"


def ci_series_table(data: ReportData) -> dict[str, dict[str, list[Any]]]:
    """Run durations per workflow, stored once and referenced by every person who changed that workflow."""
    runs = data.f("ci_series").sort_values(["repo", "workflow_path", "created_at", "run_id"], kind="stable")
    out: dict[str, dict[str, list[Any]]] = {}
    for (repo, wf), grp in runs.groupby(["repo", "workflow_path"], sort=True):
        out[series_key(text(repo), text(wf))] = {
            "x": [iso(t) for t in grp["created_at"]],
            "y": [None if v is None else round(v / 60.0, 2) for v in (number(d) for d in grp["duration_s"])],
        }
    return out


def ci_impact(data: ReportData, login: str, series: dict[str, dict[str, list[Any]]]) -> Spec | None:
    """Run durations of the workflows this person changed; their changes drawn as vertical lines.

    Traces carry a ``ref`` into the shared series table instead of copying the runs (the page's script
    fills in x and y; ``charts.py`` does the same for notebooks).
    """
    changes = data.f("ci_changes")
    mine = changes[changes["person"] == login].sort_values(
        ["changed_at", "repo", "workflow_path"], kind="stable"
    )
    if mine.empty:
        return None
    traces: list[Spec] = []
    for repo, wf in sorted(
        {(text(r), text(w)) for r, w in zip(mine["repo"], mine["workflow_path"], strict=True)}
    ):
        key = series_key(repo, wf)
        if key in series:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "ref": key,
                    # short in the legend (a phone-wide chart holds it); repository and path in full in the hover
                    "name": plain(short(data.pseudo.text(f"{repo.rsplit('/', 1)[-1]} {wf.rsplit('/', 1)[-1]}"), 32)),
                    "marker": {"size": 4},
                    "hovertemplate": "%{x|%Y-%m-%d}: run took %{y:.1f} min<extra>"
                    + plain(data.pseudo.text(f"{repo} {wf}"))
                    + "</extra>",
                }
            )
    shapes, notes = [], []
    for _, ch in mine.iterrows():
        at = iso(ch["changed_at"])
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": at,
                "x1": at,
                "y0": 0,
                "y1": 1,
                "line": {"color": RED, "dash": "dash", "width": 1.5},
            }
        )
        hours = r4(ch["hours_saved_month"])
        notes.append(
            {
                "x": at,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "showarrow": False,
                "yanchor": "bottom",
                "text": "change" if hours is None else f"saves {hours:.1f} h/mo",
                "font": {"size": 10},
            }
        )
    layout = base_layout(
        "How long CI runs took (minutes) in the workflows they changed; dashed line = their change",
        340,
        shapes=shapes,
        annotations=notes,
        showlegend=True,
        yaxis={"title": {"text": "minutes"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
    )
    layout["margin"] = dict(layout["margin"], r=60)
    return {"data": traces, "layout": layout}


FOR_OTHERS_LIMIT = 3.0  # team spreads either side of the team typical: farther points sit at the edge


def _towards_team(fam: str, x: float | None, ref: float, spread: float) -> float | None:
    """Distance from the team typical in team spreads, signed so that right is better for the team."""
    if x is None:
        return None
    sign = -1.0 if family(fam).higher_is_better is False else 1.0
    return sign * (x - ref) / spread


def _clip(x: float) -> float:
    return round(max(-FOR_OTHERS_LIMIT, min(FOR_OTHERS_LIMIT, x)), 4)


def for_others(
    data: ReportData, login: str, rows: dict[str, dict[str, Any]], spreads: dict[str, float]
) -> Spec | None:
    """The multiplier effect at a glance: one row per family of work done for others, the person's
    estimate and 90 % interval placed against the team typical (centre line), right = better for the
    team. Families with different units share the chart through the team's spread of each family;
    hovers give every value in its own unit."""
    labels: list[str] = []
    xs: list[float] = []
    hovers: list[str] = []
    colours: list[str] = []
    symbols: list[str] = []
    seg_x: list[float | None] = []
    seg_y: list[str | None] = []
    for fam in ordered_families(set(rows)):
        row, ref, spread = rows[fam], data.references.get(fam), spreads.get(fam)
        if not family(fam).for_others or text(row.get("status")) != "ok" or ref is None or not spread:
            continue
        est = _towards_team(fam, number(row.get("estimate")), ref, spread)
        if est is None:
            continue
        lo = _towards_team(fam, number(row.get("lo")), ref, spread)
        hi = _towards_team(fam, number(row.get("hi")), ref, spread)
        label = family(fam).label
        labels.append(label)
        xs.append(_clip(est))
        symbols.append("circle" if abs(est) <= FOR_OTHERS_LIMIT else ("triangle-right" if est > 0 else "triangle-left"))
        mark = comparison(fam, row, ref)
        colours.append(GREEN if mark == FAVOURABLE else ORANGE if mark == UNFAVOURABLE else BLUE)
        interval = fmt_interval(fam, row.get("lo"), row.get("hi"))
        hovers.append(
            f"{label}: {fmt(fam, row.get('estimate'))}"
            + (f" (90 % interval {interval})" if interval else " (a count: no interval)")
            + f"; team typical {fmt(fam, ref)}; {direction(fam)}"
        )
        if lo is not None and hi is not None:
            seg_x += [_clip(min(lo, hi, est)), _clip(max(lo, hi, est)), None]
            seg_y += [label, label, None]
    if not labels:
        return None
    traces: list[Spec] = [interval_trace(seg_x, seg_y, 3)] if seg_x else []
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": xs,
            "y": labels,
            "hovertext": hovers,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"color": colours, "size": 11, "symbol": symbols},
            "name": "their estimate",
        }
    )
    name = plain(data.pseudo.name(login))
    drawn = "; lines = 90 % intervals" if seg_x else ""
    layout = base_layout(
        f"What {name} does for others: right of the centre line = more than the team typical{drawn}",
        110 + 30 * len(labels),
        yaxis={"type": "category", "autorange": "reversed", "automargin": True, "dtick": 1, "fixedrange": True},
        xaxis={
            "range": [-FOR_OTHERS_LIMIT - 0.2, FOR_OTHERS_LIMIT + 0.2],
            "zeroline": True,
            "zerolinecolor": ORANGE,
            "zerolinewidth": 2,
            "tickvals": [-2, 0, 2],
            "ticktext": ["less", "typical", "more"],
            "fixedrange": True,
        },
    )
    return {"data": traces, "layout": layout}
