"""Pseudonyms: keyed with the organisation's secret key, stable under it, applied to free text and URLs."""

from __future__ import annotations

import ast
import os
import stat
import threading
from pathlib import Path

import pytest

from analyzer.errors import ConfigError
from analyzer.report.pseudonym import Pseudonymizer, key_file_beside, load_or_create_key

NAMES = {"ada-lovelace": "Ada Lovelace", "x-onerror-x": "Evil Name", "bob": ""}
REPORT_SOURCES = sorted((Path(__file__).parents[2] / "analyzer" / "report").glob("*.py"))


def test_stable_and_keyed() -> None:
    a = Pseudonymizer(NAMES, key="k1")
    assert a.login("ada-lovelace") == Pseudonymizer(NAMES, key="k1").login("ada-lovelace")
    assert a.login("ada-lovelace") != Pseudonymizer(NAMES, key="k2").login("ada-lovelace")
    assert a.login("Ada-Lovelace") == a.login("ada-lovelace")  # GitHub logins are case-insensitive
    assert len({a.login(x) for x in NAMES}) == len(NAMES)
    assert a.name("ada-lovelace") == a.login("ada-lovelace")


def test_text_replaces_mentions_bare_logins_and_names() -> None:
    p = Pseudonymizer(NAMES, key="k")
    out = p.text("Thanks @ada-lovelace and Ada Lovelace; x-onerror-x wrote this, bob agrees")
    for secret in ("ada-lovelace", "Ada Lovelace", "x-onerror-x", "bob"):
        assert secret not in out
    assert f"@{p.login('ada-lovelace')}" in out
    # login boundaries: a longer login containing a known one is not mangled
    assert p.text("bobby") == "bobby"


def test_urls_with_logins_are_not_linked() -> None:
    p = Pseudonymizer(NAMES, key="k")
    assert p.url("https://github.com/ada-lovelace/fork/pull/1") is None
    assert p.url("https://github.com/acme/api/pull/1") == "https://github.com/acme/api/pull/1"
    assert p.url("https://github.com/acme/bob-sandbox/pull/1") is None  # a repository named after a login


def test_disabled_is_identity() -> None:
    p = Pseudonymizer(NAMES, enabled=False)
    assert p.login("bob") == "bob"
    assert p.name("ada-lovelace") == "Ada Lovelace"
    assert p.text("@bob") == "@bob"


# -- every shape an identity takes in text (issue 10, item 2) ---------------------------------------

PEOPLE = {
    "mlindqvist": "Maja Lindqvist",
    "hpark": "İlkay Park",  # Turkish dotted capital I: its lower case is two characters
    "lchen": "Li Chen",
    "jfernandez": "Julia Fernández",
    "wbrown": "Will Brown",
}


def _pseudo(**kw: object) -> Pseudonymizer:
    return Pseudonymizer(PEOPLE, key=b"k" * 32, **kw)  # type: ignore[arg-type]


def test_alias_logins_and_configured_bots_get_pseudonyms() -> None:
    p = _pseudo(aliases={"maja-work": "mlindqvist"}, hidden=["deploy-ops"])
    assert p.login("maja-work") == p.login("mlindqvist")  # one person, one pseudonym
    out = p.text("maja-work merged it; @Maja-Work and deploy-ops agreed")
    assert "maja-work" not in out.lower() and "deploy-ops" not in out
    assert out.count(p.login("mlindqvist")) == 2 and p.login("deploy-ops") in out


def test_mentions_of_people_outside_the_data_are_replaced() -> None:
    p = _pseudo()
    out = p.text("cc @outsider-jane and @acme/reviewers; thanks @dependabot[bot]")
    assert "outsider-jane" not in out and "@user-" in out
    assert "@dependabot[bot]" in out  # app bots are services, not people
    # the outsider's pseudonym is keyed like everyone's
    assert p.text("@outsider-jane") != Pseudonymizer(PEOPLE, key=b"x" * 32).text("@outsider-jane")


def test_email_addresses_are_hidden() -> None:
    out = _pseudo().text("mail maja.l@corp.example or 123+hpark@users.noreply.github.com, not a@b")
    assert "@corp.example" not in out and "noreply" not in out and "maja" not in out.lower()
    assert "not a@b" in out  # no dot in the domain: not an address


def test_first_names_and_surnames_used_alone() -> None:
    p = _pseudo()
    out = p.text("Thanks Maja! maja's fix and LINDQVIST's review; Julia and Fernandez too. Li said so.")
    for secret in ("Maja", "maja", "LINDQVIST", "Julia", "Fernandez", "Li "):
        assert secret not in out, (secret, out)
    assert out.count(p.login("mlindqvist")) == 3
    # a part that is an everyday word is replaced only when written like the name
    kept = p.text("this will be a brown-field change, Will")
    assert "this will be a brown-field change" in kept and "Will" not in kept
    assert p.text("olive oil, a list") == "olive oil, a list"  # "Li" inside words or lower case stays


def test_names_whose_case_folding_changes_length() -> None:
    p = _pseudo()
    for written in ("İlkay Park", "İLKAY PARK", "ilkay park", "Ilkay", "İlkay"):
        out = p.text(f"reviewed by {written}.")
        assert out == f"reviewed by {p.login('hpark')}.", (written, out)
    assert p.text("Julia Fernandez") == p.login("jfernandez")  # written without the accent


def test_repository_names_and_paths_that_contain_a_login() -> None:
    p = _pseudo()
    for repo in ("mlindqvist-sandbox", "acme/hpark.github.io", "lchen/dotfiles", "tools_wbrown"):
        out = p.text(f"{repo}#12")
        assert not any(login in out for login in PEOPLE), (repo, out)
    assert p.text("api-gateway#12") == "api-gateway#12"


def test_invisible_characters_do_not_hide_a_login() -> None:
    out = _pseudo().text("ml\u200bindqvist and mlind\u00adqvist and ｍｌｉｎｄｑｖｉｓｔ")
    assert "indqvist" not in out and "ｑ" not in out


def test_hostile_long_input_is_linear() -> None:
    p = _pseudo()
    assert p.text("a-" * 20_000 + "mlindqvist").endswith(p.login("mlindqvist"))


def test_methodology_options_drop_aliases_and_bot_logins() -> None:
    p = _pseudo(aliases={"maja-work": "mlindqvist"}, hidden=["deploy-ops"])
    shown = p.options({"aliases": {"maja-work": "mlindqvist"}, "bot_logins": ["deploy-ops", "renovate"],
                       "pairing_markers": ["paired with @"], "window_days": 180})
    flat = repr(shown)
    assert "maja-work" not in flat and "mlindqvist" not in flat and "deploy-ops" not in flat
    assert shown["window_days"] == 180 and shown["pairing_markers"] == ["paired with @"]
    assert shown["aliases"] == "1 configured (not listed in a pseudonymized report)"
    assert shown["bot_logins"] == ["renovate", "1 configured (not listed in a pseudonymized report)"]


def test_services_keep_their_names_and_short_logins_are_words() -> None:
    p = Pseudonymizer({"go": "", "renovate": "", "mlindqvist": "Maja Lindqvist"}, key=b"k" * 32)
    assert p.text("@renovate rebase; dependabot and codecov agree") == "@renovate rebase; dependabot and codecov agree"
    assert p.login("renovate") == "renovate" and p.login("go").startswith("user-")
    out = p.text("let's go, @go")  # a two-letter login is an ordinary word, but never a mention
    assert out == f"let's go, @{p.login('go')}"


# -- the secret key (issue 10, item 1) ----------------------------------------------------------------


def test_key_file_is_created_once_private_and_reused(tmp_path: Path) -> None:
    store = tmp_path / "org.sqlite"
    path = key_file_beside(store)
    assert path.parent == tmp_path and path != store
    key = load_or_create_key(path)
    assert len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key  # stable: the same key, so the same pseudonyms
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    other = load_or_create_key(tmp_path / "other.key")
    assert other != key  # random per organisation, not derived from anything


def test_concurrent_first_reports_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "k"
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(load_or_create_key(path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1


@pytest.mark.parametrize("problem", ["short", "shared", "directory", "empty"])
def test_unusable_key_files_are_one_line_errors(tmp_path: Path, problem: str) -> None:
    path = tmp_path / "k"
    secret = "s3cr3t-passphrase-do-not-print"
    if problem == "directory":
        path.mkdir()
    else:
        path.write_text({"short": "abc", "shared": secret, "empty": ""}[problem], encoding="utf-8")
        os.chmod(path, 0o644 if problem == "shared" else 0o600)
    with pytest.raises(ConfigError) as err:
        load_or_create_key(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and secret not in message
    if problem == "shared":
        assert "chmod 600" in message


def test_a_key_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_or_create_key(blocker / "org.pseudonym-key")
    assert "\n" not in str(err.value) and "report.pseudonym_key_file" in str(err.value)


def _string_constants(files: list[Path]) -> set[str | bytes]:
    found: set[str | bytes] = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
                found.add(node.value)
    return found


def test_the_shipped_code_cannot_recompute_pseudonyms(tmp_path: Path) -> None:
    """Someone who reads our source tries every key it could hold: none gives the report's pseudonyms."""
    key = load_or_create_key(tmp_path / "k")
    real = Pseudonymizer(PEOPLE, key=key)
    pseudonyms = {real.login(login) for login in PEOPLE}
    guesses = [Pseudonymizer(PEOPLE), Pseudonymizer(PEOPLE, key=""), Pseudonymizer(PEOPLE, key=b"")]
    guesses += [Pseudonymizer(PEOPLE, key=c) for c in _string_constants(REPORT_SOURCES) if c]
    assert len(guesses) > 50
    for guess in guesses:
        assert not pseudonyms & {guess.login(login) for login in PEOPLE}
    # without a key, pseudonyms are still secret but only stable within one run
    assert not Pseudonymizer(PEOPLE).stable and real.stable


def test_a_display_name_made_of_everyday_words_does_not_eat_the_text() -> None:
    p = Pseudonymizer({"troll": "The And", "mlindqvist": "Maja Lindqvist"}, key=b"k" * 32)
    assert p.text("the cat and the dog") == "the cat and the dog"
    assert p.text("signed, The And") == f"signed, {p.login('troll')}"
