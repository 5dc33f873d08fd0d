"""Build the self-contained HTML report: one file, plotly.js inlined once, no network, deterministic."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from analyzer.errors import NoDataError
from analyzer.outputs import write_atomically
from analyzer.report.html import Markup, el, escape, json_for_script, json_script
from analyzer.report.model import ReportData, prepare, window_of
from analyzer.report.other_pages import bots_page, load_methodology, methodology_page
from analyzer.report.person_page import PersonContext, person_page, person_shell
from analyzer.report.team_page import team_page

PEOPLE_ID = "report-people"
# Nothing may leave the file: every fetch directive is 'none' (spelled out, not only inherited from
# default-src) except the inline script and style and data: images, and no form can post anywhere.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "connect-src 'none'; form-action 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; "
    "object-src 'none'; media-src 'none'; font-src 'none'; manifest-src 'none'; base-uri 'none'"
)


# plotly.js's official "cartesian" partial bundle (scatter, bar, heatmap and the other 2-D traces; MIT,
# licence beside it): the report draws nothing else, and the full bundle is 3x bigger and its start-up
# alone took half of the 3 s landing-page budget at 500 people. Same version as plotly.py's bundle.
PLOTLY_BUNDLE = "plotly-cartesian.min.js"


def _asset(name: str) -> str:
    return resources.files("analyzer.report").joinpath("assets", name).read_text(encoding="utf-8")


def plotly_js() -> str:
    """The report's plotly.js bundle, made safe to inline in a <script> element."""
    return _asset(PLOTLY_BUNDLE).replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _nav(title: str) -> Markup:
    return el(
        "nav",
        None,
        el("span", {"class": "title"}, title),
        el("a", {"href": "#team", "data-nav": "team"}, "Team"),
        el("a", {"href": "#people", "data-nav": "people"}, "People"),
        el("a", {"href": "#methodology", "data-nav": "methodology"}, "Methodology"),
        el("a", {"href": "#bots", "data-nav": "bots"}, "Bots"),
    )


def _footer(data: ReportData, now: datetime) -> Markup:
    window = window_of(data.meta)
    span = ""
    if window.get("start") and window.get("end"):
        span = f" · data window {window['start'][:10]} to {window['end'][:10]}"
    mode = " · pseudonymized" if data.pseudo.enabled else ""
    return el("footer", None, f"Generated for {now.isoformat()}{span}{mode}. Not a ranking: see Methodology.")


def packed(people: dict[str, Any]) -> str:
    """Person pages as base64 of gzipped JSON: pages are unpacked only when opened, and 500 people's
    pages shrink about tenfold (gzip with mtime 0 keeps the bytes deterministic)."""
    raw = json_for_script(people).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def unpack_people(html: str) -> dict[str, Any]:
    """The person pages packed in a built report (for tests and tools that read the file)."""
    start = html.index(f'id="{PEOPLE_ID}">') + len(PEOPLE_ID) + 6
    b64 = json.loads(html[start : html.index("</script>", start)])
    data: dict[str, Any] = json.loads(gzip.decompress(base64.b64decode(b64)).decode("utf-8"))
    return data


def _series_payload(people: dict[str, dict[str, Any]], series: dict[str, Any]) -> dict[str, Any]:
    """The CI run series the person charts use, under opaque ids ("s0", "s1", ...): the table's keys are
    "repo|workflow", and a repository named after a login must not reach a pseudonymized page."""
    traces = {id(t): t for p in people.values() for _, spec in p["charts"] for t in spec["data"] if "ref" in t}
    ids = {key: f"s{i}" for i, key in enumerate(sorted({t["ref"] for t in traces.values()}))}
    for trace in traces.values():
        trace["ref"] = ids[trace["ref"]]
    return {ids[key]: series[key] for key in ids}


def _document(title: str, body: list[Markup], payload: dict[str, Any], people_b64: str) -> str:
    head = (
        f'<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style>"
    )
    scripts = (
        f"<script>{plotly_js()}</script>{json_script('report-data', payload)}"
        f"{json_script(PEOPLE_ID, people_b64)}"
        f"<script>{_asset('report.js')}</script>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head>{head}</head><body>{"".join(body)}{scripts}</body></html>\n'
    )


def build_report(
    scores: Any,
    out_path: Path,
    *,
    now: datetime,
    title: str,
    pseudonymize: bool = False,
    min_group_size: int = 5,
    github_url: str = "https://github.com",
    methodology: dict[str, Any] | None = None,
    pseudonym_key: bytes | str | None = None,
) -> Path:
    """Write the report for ``scores`` to ``out_path`` and return the path.

    ``methodology`` is ``{"formulas": {family: formula}, "deviations": [...]}``; by default it comes from
    ``analyzer.scores.methodology``, filled with the options the scoring run recorded. ``pseudonym_key``
    is the organisation's secret key for the login hash (``analyzer.report.pseudonym.load_or_create_key``):
    the same key gives the same pseudonyms across reports, and keeping it secret stops anyone
    re-identifying people by hashing logins. Without it a
    random key for this process is used (pseudonyms then change from run to run).
    """
    data = prepare(
        scores,
        pseudonymize=pseudonymize,
        min_group_size=min_group_size,
        github_url=github_url,
        pseudonym_key=pseudonym_key,
    )
    if data.n_people == 0:
        raise NoDataError("nothing to report: the scores have no people; collect and score a store first")
    team_html, landing = team_page(data)
    ctx = PersonContext(data)
    shells: list[Markup] = []
    people: dict[str, dict[str, Any]] = {}
    for login in data.logins:
        inner, charts = person_page(ctx, login)
        slug = data.slugs[login]
        shells.append(person_shell(slug, len(charts)))
        people[slug] = {"html": str(inner), "charts": [[div_id, spec] for div_id, spec in charts]}
    payload = {
        "landing": [[div_id, spec] for div_id, spec in landing],
        "series": _series_payload(people, ctx.series),
    }
    main = el(
        "main",
        None,
        team_html,
        shells,
        methodology_page(data, load_methodology(methodology, data.meta)),
        bots_page(data),
    )
    doc = _document(title, [_nav(title), main, _footer(data, now)], payload, packed(people))
    # atomically (a temporary file renamed over the target): a full disk or a kill leaves the previous
    # report whole, and a browser never opens half a report
    return write_atomically(Path(out_path).expanduser(), doc.encode("utf-8"), "the report", "--out (or report.output)")
