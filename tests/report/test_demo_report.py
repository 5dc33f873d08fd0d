"""The demo org's report, built by the real pipeline (``demo_run``): in headless Chromium, byte for byte
across runs, and pseudonymized.

Expected counts and the places hostile strings must show up are computed from the scores themselves,
not from the report's own data blocks."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from browsing import COUNT_DRAWN, DRAWN, assert_clean, open_report
from expected import landing_charts, person_charts
from playwright.sync_api import Browser

from analyzer.config import Config
from analyzer.demo import DEMO_NOW, HOSTILE_STRINGS, generate_org
from analyzer.demo.hostile import HOSTILE_COMMENT, HOSTILE_LOGIN, HOSTILE_NAME, HOSTILE_TITLE
from analyzer.pipeline import DEMO_WEB_URL, report_store, run_demo
from analyzer.report import build_report
from analyzer.report.browser import page_key
from analyzer.report.build import plotly_js, unpack_people
from analyzer.scores.pipeline import Scores, read_scores

EVIDENCE_SHOWN = 5  # per family, newest first (the report's promise on every person page)
MENTOR = "mlindqvist"
LOOPBACK = re.compile(r"http://127\.0\.0\.1:\d+")
# Elements or attributes that hostile strings would create if they were ever parsed as HTML.
INJECTED = "document.querySelectorAll('[onerror], [onload], img[src=x], textarea, b, main script').length"


@pytest.fixture(scope="module")
def scores(demo_run: Any) -> Scores:
    return read_scores(demo_run.store)


def _shown_evidence(scores: Scores) -> pd.DataFrame:
    """The evidence items each person page lists: one per item, the newest few per family."""
    ev = scores.evidence.drop_duplicates(["person", "family", "kind", "ref"])
    ev = ev.sort_values("at", ascending=False, kind="stable")
    return ev.groupby(["person", "family"], sort=False).head(EVIDENCE_SHOWN)


def hostile_places(scores: Scores) -> dict[str, set[str]]:
    """Each hostile string the scores carry in a field the report shows -> the people whose page shows it
    (their login or display name, or an evidence excerpt or PR title on their page)."""
    places: dict[str, set[str]] = {}
    ev = _shown_evidence(scores)
    titles = ev["title"] if "title" in ev else pd.Series("", index=ev.index)
    for hostile in HOSTILE_STRINGS:
        for login, name in zip(scores.people["person"], scores.people["display_name"], strict=True):
            if hostile in str(login) or hostile in str(name or ""):
                places.setdefault(hostile, set()).add(str(login))
        for person, excerpt, title in zip(ev["person"], ev["excerpt"], titles, strict=True):
            excerpt_text = excerpt if isinstance(excerpt, str) else ""  # missing cells are pd.NA
            if hostile in excerpt_text[:280] or (isinstance(title, str) and hostile in title):
                places.setdefault(hostile, set()).add(str(person))
        # "Recent activity": each person's five newest comments and five newest reviewed PRs (with titles)
        recent = scores.comments.sort_values(["created_at", "url"], ascending=False).groupby("person").head(5)
        for person, body in zip(recent["person"], recent["body"], strict=True):
            if isinstance(body, str) and hostile in body[:280]:
                places.setdefault(hostile, set()).add(str(person))
        if "title" in scores.episodes:
            reviewed = scores.episodes.sort_values(["last_at", "url"], ascending=False).groupby("person").head(5)
            for person, title in zip(reviewed["person"], reviewed["title"], strict=True):
                if isinstance(title, str) and hostile in title:
                    places.setdefault(hostile, set()).add(str(person))
    return places


def test_demo_report_in_chromium(browser: Browser, demo_run: Any, scores: Scores) -> None:
    report = Path(demo_run.report)
    w = open_report(browser, report)
    page = w.page
    page.wait_for_function(DRAWN, arg="team", timeout=60_000)
    expected = landing_charts(scores)
    assert expected >= 10
    assert page.evaluate(COUNT_DRAWN, "#page-team") == expected

    # navigation: click the mentor's name in the directory, then the evidence link of one score
    page.click(f'#page-team .directory a[data-person="{MENTOR}"]')
    page.wait_for_function(DRAWN, arg=page_key(MENTOR), timeout=60_000)
    section = f"#page-person-{MENTOR}"
    assert page.is_visible(section) and not page.is_visible("#page-team")
    assert page.evaluate(COUNT_DRAWN, section) == person_charts(scores, MENTOR)
    first = page.locator(f"{section} a.evlink").first
    target = first.get_attribute("href")
    assert target is not None and target.startswith(f"#person/{MENTOR}/")
    first.click()
    family = target.rsplit("/", 1)[1]
    evidence = page.locator(f"#ev-{MENTOR}-{family}")
    evidence.wait_for(state="visible")
    assert page.evaluate("location.hash") == target
    assert evidence.locator("li.evidence").count() >= 1

    # hostile strings: shown as text on every page that carries them, never run
    places = hostile_places(scores)
    # script tags in a PR title, an event handler in a comment, in a display name and a login-like name
    assert {HOSTILE_TITLE, HOSTILE_COMMENT, HOSTILE_NAME, HOSTILE_LOGIN} <= set(places), sorted(places)
    for hostile, logins in sorted(places.items()):
        for login in sorted(logins):
            page.evaluate("key => { location.hash = '#' + key; }", page_key(login))
            page.wait_for_function(DRAWN, arg=page_key(login), timeout=60_000)
            shown = page.inner_text(f"#page-person-{page_key(login)[7:]}")
            assert hostile in shown, f"{hostile!r} not shown as text on {login}'s page"
            assert page.evaluate(INJECTED) == 0
    assert_clean(w)
    page.close()


def test_hostile_persona_is_not_what_a_reader_meets_first(demo_run: Any) -> None:
    """The hostile display name stays in the demo (the checks above find it), but sorted by its letters
    ('svg...'), not first in the people index or in any chart of people by name."""
    html = Path(demo_run.report).read_text(encoding="utf-8")
    start = html.index('id="report-data">') + len('id="report-data">')
    landing = json.loads(html[start : html.index("</script>", start)])["landing"]
    by_name = [t["y"] for _, spec in landing for t in spec["data"] if t.get("name") == "estimate"]
    assert by_name and all("svg" not in names[0] for names in by_name)
    directory = html[html.index('class="columns directory"') :]
    first = re.search(r'data-person="[^"]+"[^>]*>([^<]*)<', directory)
    assert first is not None and "svg" not in first.group(1)
    assert html.count("&quot;&gt;&lt;svg onload=alert(1)&gt;") >= 1  # still there, as text


def test_report_step_is_byte_identical(demo_run: Any, tmp_path: Path) -> None:
    config = replace(Config(), report=replace(Config().report, github_url=DEMO_WEB_URL))  # as run_demo does
    again = [
        report_store(config, store=demo_run.store, out=tmp_path / f"{i}.html", now=DEMO_NOW).read_bytes()
        for i in range(2)
    ]
    assert again[0] == again[1] == Path(demo_run.report).read_bytes()


def test_two_full_demo_runs_give_the_same_report(tmp_path: Path) -> None:
    """Serve, collect, score and report twice from scratch, each on its own free loopback port: with a
    fixed --now the two report files are byte-identical (web links use the demo's fixed web URL)."""
    runs = [run_demo(tmp_path / name, seed=7, scale=0.1, now=DEMO_NOW) for name in ("a", "b")]
    first, second = (Path(str(r.report)).read_bytes() for r in runs)
    assert first == second
    assert LOOPBACK.search(first.decode("utf-8")) is None  # no run-specific address leaked into the report


def _token(login: str) -> re.Pattern[str]:
    """A login as a whole token (logins hold [A-Za-z0-9-], so 'jkim' inside a word does not count)."""
    return re.compile(rf"(?<![A-Za-z0-9-]){re.escape(login)}(?![A-Za-z0-9-])", re.IGNORECASE)


def test_pseudonymized_demo_report_names_nobody(demo_run: Any, scores: Scores, tmp_path: Path) -> None:
    out = build_report(scores, tmp_path / "pseudo.html", now=DEMO_NOW, title="Demo", pseudonymize=True)
    html = out.read_text(encoding="utf-8")
    bundle = plotly_js()
    assert html.count(bundle) == 1  # the vendored library, not data: its minified code is left out
    text = html.replace(bundle, "") + "\n".join(p["html"] for p in unpack_people(html).values())
    text += repr(unpack_people(html))
    users = generate_org(seed=7).users.values()
    people = [u for u in users if u.type == "User" and not u.login.endswith("[bot]")]
    assert len(people) >= 30
    leaks = [u.login for u in people if _token(u.login).search(text)]
    leaks += [u.name for u in people if u.name and u.name.lower() in text.lower()]
    assert leaks == []
    # bots stay by name (documented on the methodology page); every person is a pseudonym
    assert "Bot accounts keep their names" in html
    slugs = set(unpack_people(html))
    assert len(slugs) == len(scores.people) and all(s.startswith("user-") for s in slugs)
