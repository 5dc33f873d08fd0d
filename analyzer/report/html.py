"""Safe HTML building: everything that is not ``Markup`` is escaped, in text and in attributes.

User-written text (comments, names, logins, titles, URLs) never reaches the page unescaped: the only way
to emit raw HTML is to wrap it in ``Markup``, which this package does only for strings it built itself.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

VOID_TAGS = frozenset({"br", "hr", "meta", "img", "input", "link"})
_TAG_RE = re.compile(r"^[a-z][a-z0-9]*$")
_ATTR_RE = re.compile(r"^[a-z][a-z0-9_:-]*$")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


class Markup(str):
    """A string of HTML this package built itself; it is inserted as is."""


def escape(value: object) -> str:
    """Escape for HTML text and quoted attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def render(child: Any) -> str:
    if child is None:
        return ""
    if isinstance(child, Markup):
        return str(child)
    if isinstance(child, str | int | float):
        return escape(child)
    return "".join(render(c) for c in child)


def el(tag: str, attrs: dict[str, str | int | bool | None] | None = None, *children: Any) -> Markup:
    """One element; attribute values and text children are escaped."""
    if not _TAG_RE.match(tag):
        raise ValueError(f"bad tag name {tag!r}")
    parts = [tag]
    for name, value in sorted((attrs or {}).items()):
        if not _ATTR_RE.match(name):
            raise ValueError(f"bad attribute name {name!r}")
        if value is None or value is False:
            continue
        parts.append(name if value is True else f'{name}="{escape(value)}"')
    opening = "<" + " ".join(parts) + ">"
    if tag in VOID_TAGS:
        return Markup(opening)
    return Markup(f"{opening}{render(children)}</{tag}>")


def safe_href(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL, else None (javascript:, data:, relative… stay text)."""
    if not isinstance(url, str) or not url or any(ch in url for ch in "\x00\r\n\t "):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def link(url: object, label: object) -> Markup:
    """An outbound link for safe URLs; anything else is shown as plain text."""
    href = safe_href(url)
    if href is None:
        return el("span", {"class": "nolink"}, str(label))
    return el("a", {"href": href, "rel": "noopener noreferrer", "target": "_blank"}, str(label))


def json_for_script(data: Any) -> str:
    """Deterministic JSON that is safe inside <script>: no '<', '>', '&', U+2028 or U+2029 literally."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def json_script(element_id: str, data: Any) -> Markup:
    """Data for the page's script as an inert application/json block."""
    return Markup(
        f'<script type="application/json" id="{escape(element_id)}">{json_for_script(data)}</script>'
    )
