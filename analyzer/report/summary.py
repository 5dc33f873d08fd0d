"""The plain-language summary that opens every person page: what they did, where they clearly differ
from the team typical (only where the 90 % interval says so), and their overall multiplier."""

from __future__ import annotations

from typing import Any

from analyzer.report.compare import FAVOURABLE, TYPICAL, UNFAVOURABLE, comparison
from analyzer.report.fmt import count
from analyzer.report.html import Markup, el
from analyzer.report.inputs import number, text
from analyzer.report.labels import family, fmt, fmt_interval, ordered_families
from analyzer.report.model import ReportData, window_of


def _plural(n: float | None, word: str) -> str:
    k = int(round(n or 0))
    return f"{k:,} {word}{'' if k == 1 else 's'}"


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _activity(data: ReportData, login: str, person: dict[str, Any]) -> str:
    window = window_of(data.meta)
    span = f" between {window['start'][:10]} and {window['end'][:10]}" if len(window) == 2 else ""
    name = data.pseudo.name(login)
    sentence = (
        f"{name} reviewed {_plural(number(person.get('n_reviews_given')), 'pull request')}, wrote "
        f"{_plural(number(person.get('n_comments')), 'comment')} and opened "
        f"{_plural(number(person.get('n_prs_authored')), 'pull request')}{span}"
    )
    if login in data.newcomers:
        sentence += ", as a newcomer for part of that time"
    return sentence


def _differences(data: ReportData, records: dict[str, dict[str, Any]]) -> str:
    better: list[str] = []
    worse: list[str] = []
    for fam in ordered_families(set(records)):
        row, ref = records[fam], data.references.get(fam)
        if fam == "multiplier" or text(row.get("status")) != "ok" or ref is None:
            continue
        mark = comparison(fam, row, ref)
        item = f"{family(fam).label.lower()} ({fmt(fam, row.get('estimate'))} against {fmt(fam, ref)})"
        if mark == FAVOURABLE:
            better.append(item)
        elif mark == UNFAVOURABLE:
            worse.append(item)
    parts = []
    if better:
        parts.append(f"better than the team typical on {_listing(better)}")
    if worse:
        parts.append(f"less favourable on {_listing(worse)}")
    if not parts:
        return "None of their numbers clearly differs from the team's typical person (each 90 % interval includes it)."
    return "Where they clearly differ from the team's typical person: " + "; ".join(parts) + "."


def _for_others(records: dict[str, dict[str, Any]]) -> str:
    parts = []
    reach = records.get("mentoring_reach", {})
    if text(reach.get("status")) == "ok" and (number(reach.get("estimate")) or 0) > 0:
        parts.append(f"mentored {_plural(number(reach.get('estimate')), 'newcomer')}")
    ci = records.get("ci_hours_saved", {})
    if text(ci.get("status")) == "ok" and (number(ci.get("estimate")) or 0) > 0:
        parts.append(f"saved the team about {fmt('ci_hours_saved', ci.get('estimate'))} of CI waiting")
    docs = records.get("docs_volume", {})
    if text(docs.get("status")) == "ok" and (number(docs.get("estimate")) or 0) > 0:
        parts.append(f"wrote {fmt('docs_volume', docs.get('estimate'))}")
    return f"they {_listing(parts)}" if parts else ""


def _overall(data: ReportData, records: dict[str, dict[str, Any]]) -> str:
    row = records.get("multiplier")
    if row is None:
        return ""
    if text(row.get("status")) != "ok":
        return (
            f"There is not enough data for an overall multiplier (it needs at least {count(row.get('min_n'))} "
            f"families with enough data; they have {count(row.get('n'))})."
        )
    mark = comparison("multiplier", row, data.references.get("multiplier"))
    where = {
        FAVOURABLE: "above the team typical",
        UNFAVOURABLE: "below the team typical",
        TYPICAL: "about the team typical",
    }.get(mark, "")
    interval = fmt_interval("multiplier", row.get("lo"), row.get("hi"))
    value = fmt("multiplier", row.get("estimate")) + (f", 90 % interval {interval}" if interval else "")
    return f"Overall multiplier: {where} ({value}; 0 = typical)." if where else f"Overall multiplier: {value}."


def summary(data: ReportData, login: str, records: dict[str, dict[str, Any]], person: dict[str, Any]) -> Markup:
    """Three sentences at most: what they did (and for others), where they clearly differ from the team
    typical, and their overall multiplier."""
    done = "; ".join(part for part in (_activity(data, login, person), _for_others(records)) if part) + "."
    sentences = [done, _differences(data, records), _overall(data, records)]
    return el("p", {"class": "summary"}, " ".join(s for s in sentences if s))
