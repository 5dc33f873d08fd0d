"""Escaping helpers: text, attributes, links and JSON inside <script>."""

from __future__ import annotations

import json

from fake_scores import HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_SVG, JS_URL

from analyzer.report.html import Markup, el, json_for_script, link, safe_href


def test_text_and_attributes_are_escaped() -> None:
    out = el("p", {"title": HOSTILE_SVG}, HOSTILE_SCRIPT, HOSTILE_IMG)
    assert "<script>" not in out and "<img" not in out
    assert '"><svg' not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'title="&quot;&gt;&lt;svg onload=alert(1)&gt;"' in out


def test_markup_is_trusted_and_nested() -> None:
    inner = el("b", None, "<x>")
    assert el("p", None, inner) == "<p><b>&lt;x&gt;</b></p>"
    assert el("p", None, Markup("<i>ok</i>")) == "<p><i>ok</i></p>"


def test_only_http_urls_become_links() -> None:
    assert safe_href("https://github.com/acme/api/pull/1") is not None
    for bad in (
        JS_URL,
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "/relative",
        "https://exa mple.com",
        "vbscript:x",
        "http:no-host",
    ):
        assert safe_href(bad) is None, bad
    assert "href" not in link(JS_URL, JS_URL)
    assert 'href="https://github.com/a?x=1&amp;y=%22"' in link("https://github.com/a?x=1&y=%22", "x")


def test_json_for_script_cannot_close_the_script() -> None:
    data = {"body": "</script><script>alert(1)</script>", "amp": "a&b", "seps": "x\u2028y\u2029z"}
    out = json_for_script(data)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in out
    assert json.loads(out) == data


def test_json_is_deterministic() -> None:
    assert json_for_script({"b": 1, "a": [1.5, None]}) == json_for_script({"a": [1.5, None], "b": 1})
