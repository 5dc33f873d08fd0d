"""Per-person figure specs: reviewer network, monthly trends, CI impact."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyzer.report.figures import BLUE, GREEN, GREY, ORANGE, RED, Spec, base_layout, circle, iso, plain, r4
from analyzer.report.inputs import number, text
from analyzer.report.model import ReportData

NETWORK_MAX_NEIGHBOURS = 30


def network(data: ReportData, login: str) -> Spec:
    """Ego network: who this person reviewed and who reviewed them; newcomers drawn as stars."""
    edges = data.edges.get(login, [])
    weight: dict[str, float] = {}
    directions: dict[str, set[str]] = {}
    for other, direction, n in edges:
        weight[other] = weight.get(other, 0.0) + n
        directions.setdefault(direction, set()).add(other)
    keep = sorted(weight, key=lambda o: (-weight[o], o))[:NETWORK_MAX_NEIGHBOURS]
    others = sorted(keep, key=lambda o: (data.pseudo.name(o).lower(), o))
    pos = {o: circle(len(others), i) for i, o in enumerate(others)}
    traces: list[Spec] = []
    for direction, colour in (("reviewed", BLUE), ("reviewed by", GREY)):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for other in sorted(directions.get(direction, set()) & set(others)):
            xs += [0.0, pos[other][0], None]
            ys += [0.0, pos[other][1], None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "hoverinfo": "skip",
                "line": {"color": colour, "width": 1.5},
                "name": f"{direction} (edge)",
            }
        )
    names = [plain(data.pseudo.name(o)) for o in others]
    is_new = [o in data.newcomers for o in others]
    traces.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [pos[o][0] for o in others],
            "y": [pos[o][1] for o in others],
            "text": [n + (" (newcomer)" if new else "") for n, new in zip(names, is_new, strict=True)],
            "textposition": "top center",
            "customdata": [data.slugs.get(o, "") for o in others],
            "hovertemplate": "%{text}<extra></extra>",
            "name": "colleagues",
            "marker": {
                "size": [8 + min(20.0, weight[o]) for o in others],
                "color": [ORANGE if new else BLUE for new in is_new],
                "symbol": ["star" if new else "circle" for new in is_new],
            },
        }
    )
    traces.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [0.0],
            "y": [0.0],
            "text": [plain(data.pseudo.name(login))],
            "textposition": "bottom center",
            "marker": {"size": 18, "color": GREEN},
            "hoverinfo": "skip",
            "name": "this person",
        }
    )
    shown = f" (showing {len(others)} of {len(weight)})" if len(weight) > len(others) else ""
    # No scale anchor: the circle is stretched into a wide ellipse so that 30 names do not overlap.
    axis = {"visible": False, "range": [-1.3, 1.3]}
    return {
        "data": traces,
        "layout": base_layout(
            f"Review network{shown}: blue = reviewed their PRs, grey = reviewed this person; star = newcomer",
            460,
            xaxis=axis,
            yaxis=dict(axis, range=[-1.25, 1.3]),
        ),
    }


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
    """Monthly comments and doc lines (bars) with considerate and harsh shares (lines, right axis)."""
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
        },
        {
            "type": "bar",
            "x": months,
            "y": col("doc_lines"),
            "name": "doc lines (weighted)",
            "marker": {"color": GREY},
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": months,
            "y": col("considerate_share"),
            "name": "considerate share",
            "yaxis": "y2",
            "line": {"color": GREEN},
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": months,
            "y": col("harsh_share"),
            "name": "harsh share",
            "yaxis": "y2",
            "line": {"color": RED},
        },
    ]
    layout = base_layout(
        "Monthly activity and tone (raw monthly shares, not shrunk)",
        320,
        showlegend=True,
        barmode="group",
        xaxis={"type": "category"},
        yaxis={"title": {"text": "count / lines"}, "rangemode": "tozero"},
        yaxis2={"overlaying": "y", "side": "right", "range": [0, 1], "tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.2},
    )
    layout["margin"] = dict(layout["margin"], r=60)
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
                    "name": plain(data.pseudo.text(f"{repo} {wf}")),
                    "marker": {"size": 4},
                    "hovertemplate": "%{x}: %{y:.1f} min<extra></extra>",
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
        "CI run durations (minutes) of workflows this person changed; dashed = their change",
        340,
        shapes=shapes,
        annotations=notes,
        showlegend=True,
        yaxis={"title": {"text": "minutes"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
    )
    layout["margin"] = dict(layout["margin"], r=60)
    return {"data": traces, "layout": layout}
