"""Plotly figures for notebooks (the only module that imports plotly; the report inlines its own bundle).

Every builder returns the same figure the HTML report draws, so a notebook can rebuild any chart.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from analyzer.report import figures, person_figures, uplift_section
from analyzer.report.figures import Spec
from analyzer.report.model import ReportData, prepare

# Notebooks draw these figures with plotly.js, whose mode bar offers "send to Plotly Cloud" by default (it
# posts the chart, names included, to an outside site): every renderer that takes a config is told not
# to, as the report's own script does (assets/report.js).
NO_SHARING: dict[str, Any] = {"displaylogo": False, "showSendToCloud": False}


def _renderers_without_sharing() -> None:
    for name in list(pio.renderers):
        config = getattr(pio.renderers[name], "config", None)
        if isinstance(config, dict):
            config.update(NO_SHARING)
            removed = set(config.get("modeBarButtonsToRemove") or ())
            config["modeBarButtonsToRemove"] = sorted(removed | {"sendDataToCloud"})


_renderers_without_sharing()


def to_figure(
    spec: Spec | None,
    series: dict[str, dict[str, list[Any]]] | None = None,
    empty_note: str = "not enough data to draw this chart",
) -> go.Figure:
    """A go.Figure from a report spec; shared CI series references are filled in."""
    if spec is None:
        fig = go.Figure()
        fig.add_annotation(text=empty_note, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        return fig
    traces = []
    for trace in spec["data"]:
        if "ref" in trace:
            ref = (series or {}).get(trace["ref"], {"x": [], "y": []})
            trace = {k: v for k, v in trace.items() if k != "ref"} | {"x": ref["x"], "y": ref["y"]}
        traces.append(trace)
    return go.Figure({"data": traces, "layout": spec["layout"]})


def _data(scores: Any, pseudonymize: bool, min_group_size: int) -> ReportData:
    return prepare(
        scores, pseudonymize=pseudonymize, min_group_size=min_group_size, github_url="https://github.com"
    )


def family_distribution(
    scores: Any, family: str, *, pseudonymize: bool = False, min_group_size: int = 5
) -> go.Figure:
    """People's estimates with 90 % intervals for one score family (ordered by name, not by score)."""
    data = _data(scores, pseudonymize, min_group_size)
    return to_figure(
        figures.family_distribution(data, family),
        empty_note=f"group too small to show (n < {min_group_size})",
    )


def team_rates(scores: Any, *, min_group_size: int = 5) -> go.Figure:
    return to_figure(figures.team_rates(_data(scores, False, min_group_size)))


def review_sharing(scores: Any, *, min_group_size: int = 5) -> go.Figure:
    return to_figure(figures.review_sharing(_data(scores, False, min_group_size)))


def review_heatmap(scores: Any, *, pseudonymize: bool = False, min_group_size: int = 5) -> go.Figure:
    return to_figure(figures.review_heatmap(_data(scores, pseudonymize, min_group_size)))


def newcomer_inflow(scores: Any, *, min_group_size: int = 5) -> go.Figure:
    return to_figure(figures.newcomer_inflow(_data(scores, False, min_group_size)))


def ci_hours(scores: Any, *, min_group_size: int = 5) -> go.Figure:
    return to_figure(figures.ci_hours(_data(scores, False, min_group_size)))


def person_network(scores: Any, person: str, *, pseudonymize: bool = False) -> go.Figure:
    return to_figure(person_figures.network(_data(scores, pseudonymize, 5), person))


def person_trends(scores: Any, person: str) -> go.Figure:
    return to_figure(person_figures.trends(_data(scores, False, 5), person))


def person_ci_impact(scores: Any, person: str) -> go.Figure:
    data = _data(scores, False, 5)
    series = person_figures.ci_series_table(data)
    return to_figure(
        person_figures.ci_impact(data, person, series),
        series,
        empty_note="no CI changes by this person in the window",
    )


def person_uplift(scores: Any, person: str) -> go.Figure:
    """The person page's multiplier chart: each outcome's effect with its 90 % interval."""
    data = _data(scores, False, 5)
    rows = uplift_section.person_rows(data, person)
    return to_figure(
        uplift_section.person_chart(data.pseudo.name(person), rows),
        empty_note="insufficient data for the multiplier effect",
    )


def team_uplift(scores: Any, *, min_group_size: int = 5) -> go.Figure:
    """The team page's distribution of multiplier effects (no names, no order)."""
    return to_figure(uplift_section.team_distribution(_data(scores, False, min_group_size)))
