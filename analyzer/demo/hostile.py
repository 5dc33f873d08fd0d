"""Hostile strings planted in the demo so the report's escaping is tested on every run."""

from __future__ import annotations

HOSTILE_TITLE = '<script>alert("pwn")</script> fix'
HOSTILE_COMMENT = "<img src=x onerror=alert(1)>"
HOSTILE_NAME = '"><svg onload=alert(1)>'
HOSTILE_LOGIN = "x-onerror-x"  # logins may only hold [A-Za-z0-9-]; this one still looks like an attribute
HOSTILE_LINK = "[docs](javascript:alert(document.cookie))"
HOSTILE_TEMPLATE = "{{constructor.constructor('alert(1)')()}} </textarea><b>bold</b>"

# Every hostile string, each planted in at least one title, body, comment, name or login.
HOSTILE_STRINGS: list[str] = [
    HOSTILE_TITLE,
    HOSTILE_COMMENT,
    HOSTILE_NAME,
    HOSTILE_LOGIN,
    HOSTILE_LINK,
    HOSTILE_TEMPLATE,
]
