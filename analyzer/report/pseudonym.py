"""Stable pseudonyms from a keyed hash of each login, applied to every string the report shows.

Logins, display names, @mentions and bare logins inside comment text, and URLs that contain a login are
all covered; a URL that contains a login is not linked at all, so the original login cannot leak.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping

DEFAULT_KEY = "analyzer-report-pseudonyms"
_LOGIN_EDGE = r"[A-Za-z0-9-]"


def _digest(key: bytes, login: str) -> str:
    mac = hmac.new(key, login.lower().encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii").lower()


class Pseudonymizer:
    """Maps logins and names to pseudonyms (or passes them through when disabled)."""

    def __init__(self, names: Mapping[str, str], *, key: str = DEFAULT_KEY, enabled: bool = True) -> None:
        """``names`` maps each login to its display name ('' when unknown)."""
        self.enabled = enabled
        self._names = dict(names)
        self._pseudo = self._assign(sorted(self._names), key.encode("utf-8")) if enabled else {}
        self._text_re = self._compile() if enabled else None
        self._by_name = self._name_to_pseudo() if enabled else {}

    @staticmethod
    def _assign(logins: list[str], key: bytes) -> dict[str, str]:
        # Six base32 characters are 30 bits; a longer prefix is taken only on the rare collision.
        out: dict[str, str] = {}
        taken: set[str] = set()
        for login in logins:
            digest = _digest(key, login)
            width = 6
            while f"user-{digest[:width]}" in taken:
                width += 1
            out[login.lower()] = f"user-{digest[:width]}"
            taken.add(out[login.lower()])
        return out

    def _compile(self) -> re.Pattern[str] | None:
        logins = sorted(self._pseudo, key=lambda s: (-len(s), s))
        names = sorted({n.lower() for n in self._names.values() if n.strip()}, key=lambda s: (-len(s), s))
        parts = [rf"(?<!{_LOGIN_EDGE}){re.escape(x)}(?!{_LOGIN_EDGE})" for x in logins]
        parts += [rf"(?<!\w){re.escape(n)}(?!\w)" for n in names]
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def _name_to_pseudo(self) -> dict[str, str]:
        return {
            name.lower(): self._pseudo[login.lower()]
            for login, name in sorted(self._names.items())
            if name.strip()
        }

    def login(self, login: str) -> str:
        if not self.enabled:
            return login
        return self._pseudo.get(login.lower(), self._unknown(login))

    def _unknown(self, login: str) -> str:
        # A login that is not in the people table (e.g. a PR author outside the window) still gets hidden.
        return f"user-{_digest(b'unknown', login)[:6]}" if login else ""

    def name(self, login: str) -> str:
        """What to call a person: display name (or login) in clear, the pseudonym otherwise."""
        if self.enabled:
            return self.login(login)
        return self._names.get(login, "") or login

    def text(self, value: str) -> str:
        """Replace every known login and display name inside free text."""
        if not self.enabled or self._text_re is None or not value:
            return value
        by_name = self._by_name

        def swap(match: re.Match[str]) -> str:
            found = match.group(0).lower()
            return self._pseudo.get(found) or by_name.get(found, "user-hidden")

        return self._text_re.sub(swap, value)

    def url(self, value: str) -> str | None:
        """The URL unchanged if it contains no login; None (do not link) when it does."""
        if not self.enabled or self._text_re is None or not value:
            return value
        return None if self._text_re.search(value) else value
