"""Plotly figure specs as plain dicts ({"data": [...], "layout": {...}}), built without plotly itself.

Plain dicts keep the report fast (500 people × 3 charts would take minutes through plotly's validators)
and deterministic (sorted keys, rounded floats). ``charts.py`` wraps the same specs in ``go.Figure``.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from analyzer.report.inputs import flag, number, text
from analyzer.report.labels import COUNT_UNITS, direction, family_label, fmt, shown
from analyzer.report.labels import family as labels_family
from analyzer.report.model import ReportData

Spec = dict[str, Any]
ROWS_BY_NAME_MAX = 60  # above this a distribution is drawn as a histogram instead of named rows
HEATMAP_MAX_PEOPLE = 40
BLUE, GREY, ORANGE, GREEN, RED = "#3b6ea8", "#9aa3ad", "#d9822b", "#3a9a5b", "#c0392b"


def plain(value: str) -> str:
    """Text for plotly labels: plotly reads a subset of HTML in labels, so '<', '>' and '&' are escaped."""
    return html.escape(value, quote=False)


def r4(value: Any) -> float | None:
    """Round for compact, stable JSON; NaN and missing become null."""
    x = number(value)
    return None if x is None else round(x, 4)


def iso(ts: Any) -> str | None:
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def base_layout(title: str, height: int, **extra: Any) -> Spec:
    layout: Spec = {
        "title": {"text": title, "x": 0.01, "font": {"size": 14}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
        "hovermode": "closest",
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#f7f8fa",
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def family_rows(data: ReportData, family: str) -> pd.DataFrame:
    fs = data.f("family_scores")
    rows = fs[(fs["family"] == family) & (fs["status"] == "ok") & fs["person"].isin(data.slugs)]
    names = [plain(data.pseudo.name(text(p))) for p in rows["person"]]
    rows = rows.assign(name=pd.Series(names, index=rows.index, dtype="object"))
    keys = [data.by_name(text(p)) for p in rows["person"]]
    order = sorted(range(len(rows)), key=lambda i: keys[i])
    return rows.iloc[order]


def shown4(family: str, value: Any) -> float | None:
    """A stored value in the reader's unit (see labels.shown), rounded for the JSON."""
    return r4(shown(family, value))


def axis_title(family: str) -> str:
    return labels_family(family).unit


def titled(family: str) -> str:
    """The family's label with the direction that is better, for chart titles."""
    better = direction(family)
    return family_label(family) + (f" ({better})" if better else "")


def hover_value(family: str, axis: str = "x") -> str:
    """A plotly hover format for values of ``family`` in its unit."""
    unit = labels_family(family).unit
    if unit == "%":
        return f"%{{{axis}:.1f}} %"
    if unit in COUNT_UNITS:
        return f"%{{{axis}:,.0f}} {unit}"
    if unit == "hours / month":
        return f"%{{{axis}:.1f}} h/month"
    return f"%{{{axis}:.2f}} ({unit})"


def padded_range(values: list[float | None], floor: float | None = None) -> list[float] | None:
    """An axis range covering ``values`` with a 5 % margin (clipped at ``floor``), so no interval line
    runs off the plot and a lone point is not drawn at the edge."""
    xs = [v for v in values if v is not None]
    if not xs:
        return None
    lo, hi = min(xs), max(xs)
    pad = (hi - lo) * 0.05 or max(abs(hi), 1.0) * 0.05
    low = lo - pad if floor is None else max(floor, lo - pad)
    return [round(low, 4), round(hi + pad, 4)]


def interval_trace(seg_x: list[float | None], seg_y: list[Any], width: int) -> Spec:
    """90 % intervals as one line trace broken by nulls (x0, x1, None per row)."""
    return {
        "type": "scatter",
        "mode": "lines",
        "x": seg_x,
        "y": seg_y,
        "hoverinfo": "skip",
        "line": {"color": GREY, "width": width},
        "connectgaps": False,
        "name": "90 % interval",
    }


def family_distribution(data: ReportData, family: str) -> Spec | None:
    """People's estimates with 90 % intervals, by name (a histogram for big teams); never ranked."""
    rows = family_rows(data, family)
    if len(rows) < data.min_group_size:
        return None
    est = [shown4(family, v) for v in rows["estimate"]]
    # An interval is drawn only where the scorer gave both ends (count-like families have none).
    lows = [shown4(family, v) for v in rows["lo"]]
    highs = [shown4(family, v) for v in rows["hi"]]
    reference = shown4(family, data.references.get(family))
    if len(rows) > ROWS_BY_NAME_MAX:
        return _family_histogram(family, est, reference)
    slugs = [data.slugs[text(p)] for p in rows["person"]]
    names = list(rows["name"])
    y: list[Any] = names
    # Intervals as one line trace broken by nulls: one SVG path instead of an error bar per person,
    # which keeps a 500-person team's charts quick to draw.
    seg_x: list[float | None] = []
    seg_y: list[Any] = []
    for e, lo, hi, yy in zip(est, lows, highs, y, strict=True):
        if e is not None and lo is not None and hi is not None:
            seg_x += [min(lo, e), max(hi, e), None]
            seg_y += [yy, yy, None]
    floor = 0.0 if labels_family(family).unit in ("%", *COUNT_UNITS) else None
    span = padded_range(est + [v for v in seg_x if v is not None] + [reference], floor)
    traces: list[Spec] = [interval_trace(seg_x, seg_y, 2)] if seg_x else []
    ivs = [
        f" (90 % interval {fmt(family, lo_raw)} to {fmt(family, hi_raw)})" if number(lo_raw) is not None else ""
        for lo_raw, hi_raw in zip(rows["lo"], rows["hi"], strict=True)
    ]
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": est,
            "y": y,
            "customdata": slugs,
            "text": [
                f"{n}: {fmt(family, e)}{iv}, n = {int(number(k) or 0):,}"
                for n, e, iv, k in zip(names, rows["estimate"], ivs, rows["n"], strict=True)
            ],
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {"color": BLUE, "size": 7},
            "name": "estimate",
        }
    )
    yaxis: Spec = {"type": "category", "autorange": "reversed", "automargin": True, "dtick": 1}
    height = 90 + 18 * len(rows)  # 18 px a row: every name is shown
    drawn = "dots with 90 % intervals" if seg_x else "one dot each (a count: no interval)"
    title = f"{titled(family)}: {len(rows)} people, {drawn}; dotted line = team typical"
    xaxis: Spec = {"title": {"text": axis_title(family)}, "zeroline": False}
    if span is not None:
        xaxis["range"] = span
    return {
        "data": traces,
        "layout": base_layout(title, height, yaxis=yaxis, shapes=[median_line(reference)], xaxis=xaxis),
    }


def median_line(median: float | None) -> Spec:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": median,
        "x1": median,
        "y0": 0,
        "y1": 1,
        "line": {"color": ORANGE, "dash": "dot", "width": 1},
    }


def _family_histogram(family: str, est: list[float | None], reference: float | None) -> Spec:
    """Big teams: how many people fall in each band of estimates, without names. Hundreds of named or
    jittered dots are unreadable and were most of the landing page's drawing time; every person's
    estimate and interval stay on their own page."""
    values = [e for e in est if e is not None]
    trace: Spec = {
        "type": "histogram",
        "x": values,
        "nbinsx": 40,
        "marker": {"color": BLUE},
        "hovertemplate": f"{hover_value(family)}: %{{y}} people<extra></extra>",
    }
    title = (
        f"{titled(family)}: {len(values)} people per band of estimates (too many to name; "
        "open a person from the people index); dotted line = team typical"
    )
    layout = base_layout(
        title,
        240,
        shapes=[median_line(reference)],
        bargap=0.05,
        xaxis={"title": {"text": axis_title(family)}, "zeroline": False},
        yaxis={"title": {"text": "people"}, "rangemode": "tozero"},
    )
    return {"data": [trace], "layout": layout}


def team_rates(data: ReportData) -> Spec | None:
    team = data.f("team")
    if team.empty or not data.team_ok():
        return None
    row = team.iloc[0]
    labels = ["Harsh comments", "Rubber-stamp approvals"]
    est = [r4(row["harsh_rate"]), r4(row["rubber_stamp_rate"])]
    lo = [r4(row["harsh_lo"]), r4(row["rs_lo"])]
    hi = [r4(row["harsh_hi"]), r4(row["rs_hi"])]
    plus = [None if h is None or e is None else round(h - e, 4) for h, e in zip(hi, est, strict=True)]
    minus = [None if e is None or low is None else round(e - low, 4) for e, low in zip(est, lo, strict=True)]
    trace: Spec = {
        "type": "bar",
        "x": labels,
        "y": est,
        "marker": {"color": [RED, ORANGE]},
        "error_y": {"type": "data", "array": plus, "arrayminus": minus, "color": "#333"},
        "customdata": [
            "" if low is None or h is None else f" (90 % interval {100 * low:.1f} % to {100 * h:.1f} %)"
            for low, h in zip(lo, hi, strict=True)
        ],
        "hovertemplate": "%{x}: %{y:.1%} of the team's comments or approvals%{customdata}<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": base_layout(
            "Team rates (black lines = 90 % intervals)",
            300,
            yaxis={"tickformat": ".0%", "rangemode": "tozero"},
            bargap=0.6,
        ),
    }


def reviews_per_person(data: ReportData) -> dict[str, float]:
    edges = data.f("review_edges")
    counts = pd.to_numeric(edges["n_episodes"], errors="coerce").fillna(0).groupby(edges["reviewer"]).sum()
    return {login: float(counts.get(login, 0.0)) for login in sorted(data.slugs)}


def review_sharing(data: ReportData) -> Spec | None:
    """Lorenz curve of review work: the diagonal is perfectly even sharing."""
    if not data.team_ok():
        return None
    counts = sorted(reviews_per_person(data).values())
    total = sum(counts)
    if total <= 0:
        return None
    xs, ys, acc = [0.0], [0.0], 0.0
    for i, c in enumerate(counts, start=1):
        acc += c
        xs.append(round(i / len(counts), 4))
        ys.append(round(acc / total, 4))
    curve: Spec = {
        "type": "scatter",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "line": {"color": BLUE},
        "name": "review work",
        "hovertemplate": "%{x:.0%} of people did %{y:.0%} of reviews<extra></extra>",
    }
    even: Spec = {
        "type": "scatter",
        "mode": "lines",
        "x": [0, 1],
        "y": [0, 1],
        "name": "even sharing",
        "line": {"color": GREY, "dash": "dash"},
        "hoverinfo": "skip",
    }
    layout = base_layout(
        "How evenly review work is shared (Lorenz curve)",
        320,
        xaxis={"title": {"text": "share of people (fewest reviews first)"}, "tickformat": ".0%"},
        yaxis={"title": {"text": "share of review episodes"}, "tickformat": ".0%"},
        showlegend=True,
    )
    return {"data": [even, curve], "layout": layout}


def review_heatmap(data: ReportData) -> Spec | None:
    """Reviewer → author counts, alphabetical both ways; only for small teams (it is unreadable above)."""
    if not data.team_ok() or data.n_people > HEATMAP_MAX_PEOPLE:
        return None
    edges = data.f("review_edges")
    logins = data.logins
    index = {login: i for i, login in enumerate(logins)}
    z = [[0.0] * len(logins) for _ in logins]
    for rev, auth, n in zip(edges["reviewer"], edges["author"], edges["n_episodes"], strict=True):
        if text(rev) in index and text(auth) in index:
            z[index[text(rev)]][index[text(auth)]] += number(n) or 0.0
    names = [plain(data.pseudo.name(login)) for login in logins]
    trace: Spec = {
        "type": "heatmap",
        "z": z,
        "x": names,
        "y": names,
        "colorscale": [[0, "#f4f7fb"], [1, "#08306b"]],
        "hovertemplate": "%{y} reviewed %{x}: %{z} pull requests<extra></extra>",
    }
    layout = base_layout(
        "Who reviews whom (rows: reviewer, columns: author)",
        140 + 14 * len(logins),
        xaxis={"type": "category", "automargin": True, "tickangle": -45},
        yaxis={"type": "category", "automargin": True, "autorange": "reversed"},
    )
    return {"data": [trace], "layout": layout}


def newcomer_inflow(data: ReportData) -> Spec | None:
    inflow = data.f("newcomer_inflow").sort_values("month", kind="stable")
    if inflow.empty or not data.team_ok():
        return None
    months = [text(m)[:7] for m in inflow["month"]]
    bars: Spec = {
        "type": "bar",
        "x": months,
        "y": [r4(v) for v in inflow["n_newcomers"]],
        "name": "newcomers arriving",
        "marker": {"color": BLUE},
        "hovertemplate": "%{x}: %{y} newcomers arrived<extra></extra>",
    }
    helped: Spec = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": months,
        "y": [r4(v) for v in inflow["n_helped"]],
        "name": "of them helped by a reviewer",
        "line": {"color": GREEN},
        "hovertemplate": "%{x}: %{y} newcomers helped<extra></extra>",
    }
    return {
        "data": [bars, helped],
        "layout": base_layout(
            "Newcomers arriving per month",
            300,
            showlegend=True,
            xaxis={"type": "category"},
            yaxis={"title": {"text": "newcomers"}, "rangemode": "tozero"},
            legend={"orientation": "h", "y": -0.25},
        ),
    }


def ci_hours(data: ReportData) -> Spec | None:
    """Cumulative CI hours saved per month by credited changes, as a step line with its interval band."""
    ci = data.f("ci_changes")
    ci = ci[ci["credited"].map(flag)].sort_values(["changed_at", "repo", "workflow_path"], kind="stable")
    if ci.empty or not data.team_ok():
        return None
    xs = [iso(t) for t in ci["changed_at"]]
    cum = [r4(v) for v in pd.to_numeric(ci["hours_saved_month"], errors="coerce").fillna(0).cumsum()]
    lo = [r4(v) for v in pd.to_numeric(ci["hours_lo"], errors="coerce").fillna(0).cumsum()]
    hi = [r4(v) for v in pd.to_numeric(ci["hours_hi"], errors="coerce").fillna(0).cumsum()]
    band_hi: Spec = {
        "type": "scatter",
        "x": xs,
        "y": hi,
        "mode": "lines",
        "line": {"width": 0, "shape": "hv"},
        "hoverinfo": "skip",
        "name": "90 % interval (high)",
    }
    band_lo: Spec = {
        "type": "scatter",
        "x": xs,
        "y": lo,
        "mode": "lines",
        "fill": "tonexty",
        "fillcolor": "rgba(58,154,91,0.2)",
        "line": {"width": 0, "shape": "hv"},
        "hoverinfo": "skip",
        "name": "90 % interval",
    }
    line: Spec = {
        "type": "scatter",
        "x": xs,
        "y": cum,
        "mode": "lines+markers",
        "name": "hours saved / month",
        "line": {"color": GREEN, "shape": "hv"},
        "hovertemplate": "%{x|%Y-%m-%d}: %{y:.1f} h/month saved in total<extra></extra>",
    }
    return {
        "data": [band_hi, band_lo, line],
        "layout": base_layout(
            "CI hours saved per month, added up over credited changes (band = 90 % interval)",
            300,
            yaxis={"title": {"text": "hours / month"}, "rangemode": "tozero"},
        ),
    }


def circle(n: int, index: int) -> tuple[float, float]:
    angle = 2 * math.pi * index / max(n, 1)
    return round(math.cos(angle), 4), round(math.sin(angle), 4)
