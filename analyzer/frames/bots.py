"""Bot classification (docs/methodology.md, "Bots"):
an account is automation when any rule holds; the first rule that holds
is its ``reason``. Bots are reported as their own group and removed from every person's score."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analyzer.frames.identity import BOT_SUFFIX, bot_key
from analyzer.scores.options import ScoringOptions

_URL = r"https?://\S+"
_NUMBER = r"\b[0-9a-f]{7,40}\b|\d+(?:[.,]\d+)*"


def masked_template_key(bodies: pd.Series, width: int = 160) -> pd.Series:
    """Body with URLs, numbers and hashes masked and whitespace collapsed: equal keys = near-duplicates."""
    text = bodies.astype("string[pyarrow]").fillna("").str.lower()
    text = text.str.replace(_URL, "URL", regex=True).str.replace(_NUMBER, "0", regex=True)
    text = text.str.replace(r"\s+", " ", regex=True).str.strip()
    return text.str.slice(0, width)


def template_share(logins: pd.Series, bodies: pd.Series) -> pd.DataFrame:
    """Per login: number of comments and share of them that have a near-duplicate by the same login."""
    frame = pd.DataFrame({"login": logins.astype("string[pyarrow]"), "key": masked_template_key(bodies)})
    frame = frame.dropna(subset=["login"])
    if frame.empty:
        return pd.DataFrame({"n": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64")})
    dup = frame.groupby(["login", "key"], observed=True)["key"].transform("size") > 1
    frame = frame.assign(dup=dup.to_numpy())
    stats = frame.groupby("login", observed=True)["dup"].agg(["size", "mean"])
    return stats.rename(columns={"size": "n", "mean": "share"})


def classify_bots(accounts: pd.DataFrame, comments: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Bots among ``accounts`` (login, type) given ``comments`` (login, body, via_app): login, reason.

    Rules in order: type Bot; ``[bot]`` suffix; posts via a GitHub App; configured list; template-like
    (>= 90 % near-duplicate comments after masking, with >= 5 comments).
    """
    logins = accounts[["login", "type"]].dropna(subset=["login"]).drop_duplicates("login").set_index("login")
    reason = pd.Series(pd.NA, index=logins.index, dtype="string[pyarrow]")

    def mark(mask: pd.Series, why: str) -> None:
        reason.loc[mask.reindex(reason.index, fill_value=False) & reason.isna()] = why

    idx = logins.index.to_series()
    mark(logins["type"].astype("string[pyarrow]").fillna("").str.lower().eq("bot"), "type Bot")
    mark(idx.str.lower().str.endswith("[bot]"), "[bot] suffix")
    if "via_app" in comments:
        app_logins = comments.loc[comments["via_app"].fillna(False).astype(bool), "login"].dropna().unique()
        mark(idx.isin(app_logins), "GitHub App")
    configured = {b.lower() for b in options.bot_logins}
    mark(idx.str.lower().str.removesuffix("[bot]").isin(configured), "configured list")
    stats = template_share(comments["login"], comments["body"])
    templ = stats[(stats["n"] >= options.template_bot_min_comments) & (stats["share"] >= options.template_bot_share)]
    mark(idx.isin(templ.index), "template-like comments")
    out = reason.dropna().rename("reason").rename_axis("login").reset_index()
    # one account per bot, whichever way GitHub spelled it (the first reason found is kept)
    names = bot_spellings(out["login"])
    out["login"] = out["login"].map(lambda login: names[bot_key(login)])
    out = out.drop_duplicates("login").reset_index(drop=True)
    return out.astype({"login": "string[pyarrow]", "reason": "string[pyarrow]"})


def bot_spellings(logins: Iterable[str]) -> dict[str, str]:
    """``bot_key`` -> the one login shown for that bot: GraphQL's spelling (no ``[bot]``) when it was seen.

    GitHub calls one app ``dependabot`` in GraphQL and ``dependabot[bot]`` in REST; both are one account.
    """
    names: dict[str, str] = {}
    for login in logins:
        key, current = bot_key(login), names.get(bot_key(login))
        if current is None or (current.lower().endswith(BOT_SUFFIX) and not login.lower().endswith(BOT_SUFFIX)):
            names[key] = login
    return names
