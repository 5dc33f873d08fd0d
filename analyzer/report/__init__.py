"""The self-contained HTML report (the only place plotly is imported: ``analyzer.report.charts``)."""

from __future__ import annotations

from analyzer.report.browser import screenshot
from analyzer.report.build import build_report
from analyzer.report.pseudonym import Pseudonymizer
from analyzer.report.stores import find_store

__all__ = ["Pseudonymizer", "build_report", "find_store", "screenshot"]
