"""Page pieces shared by the team page, the person pages and the uplift section (which the team page
imports, so they cannot live in team_page)."""

from __future__ import annotations

from analyzer.report.html import Markup, el
from analyzer.report.model import ReportData


def too_small(data: ReportData) -> Markup:
    return el("p", {"class": "small-group"}, f"group too small to show (n < {data.min_group_size})")


def chart_div(div_id: str) -> Markup:
    return el("div", {"class": "chart", "id": div_id, "data-chart": div_id})


def newcomer_badge(data: ReportData, login: str) -> Markup | None:
    """The 'newcomer' badge (its title says what a newcomer is), or None for everyone else."""
    return el("span", {"class": "badge", "title": data.newcomer_rule}, "newcomer") if login in data.newcomers else None
