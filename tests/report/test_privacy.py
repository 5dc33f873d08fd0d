"""A pseudonymized demo report, with aliases and bots configured, names nobody, and its pseudonyms cannot
be recomputed without the organisation's key (issue 10, items 1 and 2).

The demo org is served on loopback, collected, scored and reported by the real pipeline, after planting
what real organisations have and the plain demo lacks: a repository named after a login, a display name
whose lower case is longer (Turkish "İ"), and comments that mention an outsider, an alias login, a first
name alone and an e-mail address."""

from __future__ import annotations

import ast
import html as htmllib
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from analyzer.collector import collect
from analyzer.config import Config
from analyzer.demo import DEMO_NOW, generate_org
from analyzer.fakegithub import FakeGitHub
from analyzer.fakegithub.model import OrgModel
from analyzer.pipeline import DEMO_TOKEN, DEMO_WEB_URL, report_store, score_store
from analyzer.report.build import PEOPLE_ID, plotly_js, unpack_people
from analyzer.report.pseudonym import Pseudonymizer, key_file_beside
from analyzer.scores.pipeline import Scores, read_scores

SCALE = 0.2
ALIASES = {"zoe-clark": "cdubois"}  # one person, two accounts: zoe-clark's work counts as cdubois's
BOTS = ("vpetrov",)  # a human-looking account configured as a bot
RENAMED_REPO = ("docs-portal", "aokafor-handbook")  # a repository named after a login
CI_REPO = ("api-gateway", "rnakamura-gateway")  # ... and one whose CI runs a person page charts
TURKISH = ("hpark", "İlkay Park")  # lower case of "İ" is two characters
OUTSIDER = "outsider-jane"
PLANTED = (
    "Thanks Maja and İLKAY PARK! cc @outsider-jane @zoe-clark, mail maja.lindqvist@corp.example; "
    "see aokafor-handbook. "
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
ANALYZER = Path(__file__).parents[2] / "analyzer"


@dataclass(frozen=True)
class Built:
    model: OrgModel
    config: Config
    scores: Scores
    store: Path
    parquet: Path
    report: Path
    html: str  # the report without the vendored plotly.js and the packed person pages
    text: str  # visible text: tags stripped, entities decoded, person pages unpacked


def _rename_repo(model: OrgModel, old: str, new: str) -> None:
    tables = (model.pulls, model.reviews, model.review_threads, model.review_comments, model.issue_comments,
              model.commits, model.workflows, model.workflow_runs)
    for table in tables:
        for item in table.values():
            if getattr(item, "repo", None) == old:
                item.repo = new
    repo = model.repos.pop(old)
    repo.name = new
    model.repos[new] = repo
    model.pulls = {(new if r == old else r, n): pr for (r, n), pr in model.pulls.items()}
    model.commits = {(new if r == old else r, sha): c for (r, sha), c in model.commits.items()}


def _planted_model() -> OrgModel:
    model = generate_org(seed=7, scale=SCALE)
    _rename_repo(model, *RENAMED_REPO)
    _rename_repo(model, *CI_REPO)
    model.users[TURKISH[0]].name = TURKISH[1]
    for comment in [*model.review_comments.values(), *model.issue_comments.values()]:
        comment.body = PLANTED + comment.body
    return model


def _visible(page: str) -> str:
    no_tags = re.sub(r"<[^>]*>", " ", page)
    return htmllib.unescape(no_tags)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("privacy")
    model = _planted_model()
    store, parquet = out / "org.sqlite", out / "scores"
    base = Config()
    config = replace(
        base,
        store=replace(base.store, path=str(store), parquet_dir=str(parquet), score_cache=""),
        people=replace(base.people, aliases=tuple(sorted(ALIASES.items())), bots=BOTS),
        report=replace(base.report, output=str(out / "report.html"), github_url=DEMO_WEB_URL),
    )
    start, end = config.window.bounds(DEMO_NOW)
    with FakeGitHub(model, tokens={DEMO_TOKEN}, web_url=DEMO_WEB_URL) as server:
        github = replace(config.github, base_url=server.base_url, organizations=(model.login,),
                         seconds_between_requests=0.0)
        collect(github, store, token=DEMO_TOKEN, window=(start.timestamp(), end.timestamp()))
    score_store(config, now=DEMO_NOW)
    report = report_store(config, now=DEMO_NOW, pseudonymize=True)
    page = report.read_text(encoding="utf-8").replace(plotly_js(), "")
    people = unpack_people(page)
    page = re.sub(rf'(id="{PEOPLE_ID}">)[^<]*', r"\1", page)  # the packed pages are unpacked below
    text = _visible(page) + "\n" + "\n".join(_visible(p["html"]) + repr(p["charts"]) for p in people.values())
    return Built(model, config, read_scores(store), store, parquet, report, page, text)


def _login_re(login: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(login)}(?![A-Za-z0-9])", re.IGNORECASE)


def _humans(model: OrgModel) -> list[tuple[str, str]]:
    return [(u.login, u.name or "") for u in model.users.values() if not u.login.endswith("[bot]")]


def test_planted_material_is_in_the_report(built: Built) -> None:
    """The checks below are not vacuous: the planted comments, repository and name are shown (scrubbed)."""
    assert "[e-mail hidden]" in built.text and "cc @user-" in built.text
    assert "-handbook" in built.text  # the repository named after a login, with the login replaced
    assert f"{built.model.login}/{RENAMED_REPO[1]}" in set(built.scores.comments["repo"])
    assert f"{built.model.login}/{CI_REPO[1]}" in set(built.scores.ci_changes["repo"])
    assert TURKISH[1] in set(built.scores.people["display_name"])
    assert BOTS[0] in set(built.scores.bots["login"])


def test_no_login_alias_or_outsider_appears(built: Built) -> None:
    logins = [login for login, _ in _humans(built.model)] + list(ALIASES) + [OUTSIDER]
    assert len(logins) >= 40
    leaks = sorted(login for login in logins if _login_re(login).search(built.html + built.text))
    assert leaks == []


def test_no_name_first_name_or_surname_appears(built: Built) -> None:
    people = set(built.scores.people["person"])
    leaks = []
    for login, name in _humans(built.model):
        if not name:
            continue
        if name.lower() in built.text.lower() or name.lower() in built.html.lower():
            leaks.append(name)
        if login in people:  # a person's first name or surname used alone
            parts = [p for p in re.findall(r"[^\W\d_]+", name) if len(p) >= 2]
            leaks += [p for p in parts if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", built.text)]
    for written in ("İLKAY", "İlkay", "Ilkay", "ILKAY", "Maja", "MAJA"):
        if written in built.text:
            leaks.append(written)
    assert leaks == []


def test_no_email_address_or_repository_named_after_a_login(built: Built) -> None:
    # the methodology documents the shape of GitHub's no-reply addresses; nothing else looks like one
    assert set(EMAIL.findall(built.text)) <= {"ID+login@users.noreply.github.com"}
    assert "maja.lindqvist" not in built.text and "corp.example" not in built.text
    emails = [u.email for u in built.model.users.values() if u.email]
    assert [e for e in emails if e.lower() in built.html.lower()] == []
    assert RENAMED_REPO[1] not in built.html and CI_REPO[1] not in built.html


def test_methodology_counts_aliases_and_bots_and_names_the_key(built: Built) -> None:
    page = built.html[built.html.index('id="page-methodology"') : built.html.index('id="page-bots"')]
    assert "stable only under that key" in page
    assert "configured (not listed in a pseudonymized report)" in page


def _constants() -> set[str | bytes]:
    found: set[str | bytes] = {"", b""}
    for file in sorted(ANALYZER.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes) and len(node.value) < 200:
                found.add(node.value)
    return found


def test_the_shipped_code_cannot_recompute_the_pseudonyms(built: Built) -> None:
    """Someone who reads our source tries the code's defaults and every string in it as the key."""
    shown = set(unpack_people(built.report.read_text(encoding="utf-8")))  # slugs are the pseudonyms
    logins = sorted(str(p) for p in built.scores.people["person"])
    assert len(shown) == len(logins) >= 30 and all(s.startswith("user-") for s in shown)
    names = dict.fromkeys(logins, "")
    guesses = [Pseudonymizer(names)] + [Pseudonymizer(names, key=k) for k in sorted(_constants(), key=repr)]
    assert len(guesses) > 500
    recomputed = {g.login(login) for g in guesses for login in logins}
    assert shown & recomputed == set()


def test_the_key_stays_outside_the_report_and_the_store(built: Built) -> None:
    path = key_file_beside(built.store)
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_bytes().strip()
    assert len(key) >= 32
    assert key.decode() not in built.html
    exported = [built.store, *sorted(built.parquet.rglob("*")), *built.store.parent.glob("org.sqlite-*")]
    for file in exported:
        if file.is_file() and file != path:
            assert key not in file.read_bytes(), file
    # the same key gives the same pseudonyms: a second report is identical
    again = report_store(built.config, out=built.store.parent / "again.html", now=DEMO_NOW, pseudonymize=True)
    assert again.read_bytes() == built.report.read_bytes()


def test_an_unusable_key_file_is_one_line_and_keeps_the_report(
    built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key others can read is refused (they may have it): one line, exit 2, the key never printed,
    the previous report left as it was."""
    from analyzer.cli import main

    path = key_file_beside(built.store)
    key = path.read_text(encoding="ascii").strip()
    before = built.report.read_bytes()
    path.chmod(0o644)
    try:
        code = main(["report", "--store", str(built.store), "--out", str(built.report), "--pseudonymize",
                     "--now", DEMO_NOW.isoformat()])
    finally:
        path.chmod(0o600)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "chmod 600" in err and "Traceback" not in err
    assert key not in err and built.report.read_bytes() == before
