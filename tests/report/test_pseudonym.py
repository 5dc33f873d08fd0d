"""Pseudonyms: stable, keyed, applied to free text and URLs."""

from __future__ import annotations

from analyzer.report.pseudonym import Pseudonymizer

NAMES = {"ada-lovelace": "Ada Lovelace", "x-onerror-x": "Evil Name", "bob": ""}


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


def test_disabled_is_identity() -> None:
    p = Pseudonymizer(NAMES, enabled=False)
    assert p.login("bob") == "bob"
    assert p.name("ada-lovelace") == "Ada Lovelace"
    assert p.text("@bob") == "@bob"
