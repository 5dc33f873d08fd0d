"""The built HTML file: self-contained, deterministic, safe, private."""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from fake_scores import (
    DEFAULT_NOW,
    HOSTILE_LOGIN,
    HOSTILE_STRINGS,
    JS_URL,
    TEST_METHODOLOGY,
    FakeScores,
    make_scores,
)

from analyzer.errors import NoDataError
from analyzer.report import build_report
from analyzer.report.build import CSP, unpack_people

PLOTLY_MARKER = "plotly.js (cartesian - minified) v"  # the vendored partial bundle's banner


def _data_blob(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def _without_plotly(html: str) -> str:
    """The file minus the plotly.js bundle (whose minified code contains arbitrary short words), plus the
    unpacked person pages (they travel gzipped inside the file)."""
    start = html.index("<script>")
    end = html.index("</script>", start)
    assert PLOTLY_MARKER in html[start:end]
    return html[:start] + html[end:] + json.dumps(unpack_people(html), ensure_ascii=False)


def test_self_contained_and_offline(report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    assert html.count(PLOTLY_MARKER) == 1  # plotly.js inlined exactly once
    assert f'content="{CSP}"'.replace("'", "&#x27;") in html
    rest = _without_plotly(html)
    # nothing is loaded from anywhere: no src/href to another resource except outbound <a> links
    assert not re.search(r"<(script|img|link|iframe|source|video|audio)[^>]*\s(src|href)=", rest)
    assert "@import" not in rest and "url(" not in rest


def test_deterministic(fake_scores: FakeScores, report_path: Path, tmp_path: Path) -> None:
    again = build_report(
        fake_scores,
        tmp_path / "again.html",
        now=DEFAULT_NOW,
        title="Acme review report",
        methodology=TEST_METHODOLOGY,
    )
    assert again.read_bytes() == report_path.read_bytes()


def test_hostile_strings_are_escaped(report_path: Path) -> None:
    rest = _without_plotly(report_path.read_text(encoding="utf-8"))
    for hostile in HOSTILE_STRINGS:
        assert hostile not in rest
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rest
    assert "<svg" not in rest and "<img" not in rest
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", rest)  # no element carries an event-handler attribute
    assert 'href="javascript:' not in rest.lower()
    assert JS_URL not in rest or "&" not in JS_URL  # shown (if at all) as escaped text, never as an href
    # only three script elements: plotly.js, the JSON data block and the app
    assert rest.count("<script") == 3


def test_every_person_has_a_page_and_chart_manifest(fake_scores: FakeScores, report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    people = unpack_people(html)
    assert len(people) == len(fake_scores.people)
    assert f'data-page="person/{HOSTILE_LOGIN}"' in html
    for slug, page in people.items():
        m = re.search(rf'data-expected-charts="(\d+)" data-page="person/{slug}"', html)
        assert m is not None and int(m.group(1)) == len(page["charts"])
        for div_id, _spec in page["charts"]:
            assert f'id="{div_id}"' in page["html"]


def test_not_a_leaderboard(fake_scores: FakeScores, report_path: Path) -> None:
    data = _data_blob(report_path.read_text(encoding="utf-8"))
    dist = [spec for div, spec in data["landing"] if div.startswith("chart-dist-")]
    assert dist
    for spec in dist:
        names = next(t["y"] for t in spec["data"] if t.get("name") == "estimate")
        # ordered by name, not by estimate; by the letters of the name, so a name that starts with
        # markup or punctuation (the hostile '"><svg ...') is not what a reader meets first
        assert names == sorted(names, key=lambda n: re.sub(r"[\W_]+", "", html_lib.unescape(n)).casefold())
        assert not names[0].startswith("&quot;") and not names[0].startswith('"')


def test_pseudonymized_report_hides_logins_and_names(
    fake_scores: FakeScores, pseudo_report_path: Path
) -> None:
    rest = _without_plotly(pseudo_report_path.read_text(encoding="utf-8"))
    secrets = set(fake_scores.people["person"]) | set(fake_scores.people["display_name"])
    escaped = {
        s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        for s in secrets
    }
    leaks = sorted(s for s in secrets | escaped if s.lower() in rest.lower())
    assert leaks == []
    assert "user-" in rest


def test_small_group_hides_team_aggregates(tmp_path: Path) -> None:
    scores = make_scores(n_people=4, n_comments=200, seed=3)
    html = build_report(
        scores, tmp_path / "small.html", now=DEFAULT_NOW, title="t", methodology=TEST_METHODOLOGY
    ).read_text(encoding="utf-8")
    assert "group too small to show (n &lt; 5)" in html
    assert _data_blob(html)["landing"] == []
    assert "Harsh-comment rate</div>" not in html  # no team rate card


def test_empty_people_raises(fake_scores: FakeScores, tmp_path: Path) -> None:
    empty = replace(fake_scores, people=fake_scores.people.iloc[0:0])
    with pytest.raises(NoDataError):
        build_report(empty, tmp_path / "x.html", now=DEFAULT_NOW, title="t")


def test_methodology_lists_formulas_weights_and_exclusions(report_path: Path) -> None:
    html = report_path.read_text(encoding="utf-8")
    page = html[html.index('id="page-methodology"') : html.index('id="page-bots"')]
    assert TEST_METHODOLOGY["deviations"][0] in page
    assert "posterior mean of x / n" in page
    assert "non english comments" in page and "trivial comments" in page
    assert "must not be used to rank people" in page


def test_big_team_distributions_are_histograms_without_names() -> None:
    """Above ROWS_BY_NAME_MAX people a family is drawn as a histogram of estimates: no names, every
    estimate counted once."""
    from analyzer.report import figures
    from analyzer.report.model import prepare

    scores = make_scores(n_people=figures.ROWS_BY_NAME_MAX + 40, n_comments=8000, seed=3)
    data = prepare(scores, pseudonymize=False, min_group_size=5, github_url="https://github.com")
    fs = scores.family_scores
    ok = fs[(fs["family"] == "considerate") & (fs["status"] == "ok")]
    assert len(ok) > figures.ROWS_BY_NAME_MAX
    spec = figures.family_distribution(data, "considerate")
    assert spec is not None and [t["type"] for t in spec["data"]] == ["histogram"]
    assert sorted(spec["data"][0]["x"]) == sorted(round(float(v), 4) for v in ok["estimate"])
    names = set(scores.people["display_name"]) | set(scores.people["person"])
    assert not any(n and n in json.dumps(spec) for n in names)


def test_newcomer_rule_states_the_limits_the_scoring_run_used(tmp_path: Path) -> None:
    scores = make_scores(n_people=8, n_comments=300, seed=5)
    options = {**scores.meta["options"], "newcomer_days": 45, "newcomer_max_merged": 3}
    recorded = replace(scores, meta={**scores.meta, "options": options})
    html = build_report(
        recorded, tmp_path / "rule.html", now=DEFAULT_NOW, title="t", methodology=TEST_METHODOLOGY
    ).read_text(encoding="utf-8")
    assert "first 45 days or first 3 merged pull requests" in html
    assert "first 90 days" not in html
