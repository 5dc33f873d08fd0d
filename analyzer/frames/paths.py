"""Path classification (doc, onboarding, CI, generated) by glob, vectorised over unique paths.

Globs follow gitignore-like rules: ``**/`` matches any number of leading folders (including none),
``**`` anything, ``*`` anything but ``/``, ``?`` one character. Matching is case-insensitive because
README/Readme/readme are the same file to a reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd


def glob_to_regex(glob: str) -> str:
    """Translate one glob into an anchored regular expression (without flags)."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "^" + "".join(out) + "$"


def compile_globs(globs: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation regex for all globs; None when the list is empty (nothing matches)."""
    parts = [glob_to_regex(g) for g in globs]
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def match_paths(paths: pd.Series, globs: Iterable[str]) -> pd.Series:
    """Boolean Series (same index): does each path match any glob? Each distinct path is tested once."""
    pattern = compile_globs(globs)
    if pattern is None or paths.empty:
        return pd.Series(False, index=paths.index, dtype=bool)
    codes, uniques = pd.factorize(paths.astype(object).fillna(""))
    hits = pd.Series([bool(pattern.match(str(p))) for p in uniques], dtype=bool).to_numpy()
    return pd.Series(hits[codes] if len(uniques) else [], index=paths.index, dtype=bool)
