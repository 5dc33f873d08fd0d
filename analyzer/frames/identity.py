"""Identity merge: one human behind several logins (aliases) and commits known only by email.

One bot has two spellings on GitHub: ``dependabot`` (GraphQL's ``Bot.login``) and ``dependabot[bot]``
(REST users, commit authors, no-reply addresses). ``bot_key`` names the account behind both, and
``person_of`` maps every spelling of a classified bot to one login (see ``frames/bots.py``).

GitHub's no-reply addresses carry the login (``12345+login@users.noreply.github.com`` or the older
``login@users.noreply.github.com``), so a commit whose author GitHub did not link still maps to a login.
Other addresses are mapped through commits where GitHub did link the same address to a login.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

BOT_SUFFIX = "[bot]"
NOREPLY_PATTERN = r"^(?:\d+\+)?(?P<login>[A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?)@users\.noreply\.github\.com$"


def bot_key(login: str) -> str:
    """The account behind a login, whichever way GitHub spelled a bot's: lower case, no ``[bot]``."""
    return login.lower().removesuffix(BOT_SUFFIX)


def person_of(
    logins: pd.Series, aliases: Mapping[str, str], bots: Mapping[str, str] | None = None
) -> pd.Series:
    """The person each login belongs to: the one login of a bot (``bots``: ``bot_key`` -> login), the
    alias table's entry (case-insensitive), or the login itself."""
    lowered = {k.lower(): v for k, v in aliases.items()}
    same_bot = bots or {}

    def one(login: object) -> str | None:
        if not isinstance(login, str):
            return None
        if same_bot:
            bot = same_bot.get(bot_key(login))
            if bot is not None:
                return bot
        return lowered.get(login.lower(), login)

    return logins.astype(object).map(one).astype("string[pyarrow]")


def login_from_noreply(emails: pd.Series) -> pd.Series:
    """Login encoded in a GitHub no-reply email, else <NA>."""
    found = emails.astype("string[pyarrow]").str.extract(NOREPLY_PATTERN, expand=True)["login"]
    return found.astype("string[pyarrow]")


def resolve_commit_logins(login: pd.Series, email: pd.Series) -> pd.Series:
    """Fill missing commit logins from no-reply emails, then from emails linked to a login elsewhere."""
    login = login.astype("string[pyarrow]")
    email_lc = email.astype("string[pyarrow]").str.lower()
    filled = login.fillna(login_from_noreply(email_lc))
    known = pd.DataFrame({"email": email_lc, "login": login}).dropna()
    if not known.empty:
        # the most frequent login per email wins (an address shared by two accounts is rare)
        by_email = known.groupby(["email", "login"], observed=True).size().reset_index(name="k")
        by_email = by_email.sort_values(["email", "k"], ascending=[True, False]).drop_duplicates("email")
        email_map = pd.Series(by_email["login"].to_numpy(), index=by_email["email"].to_numpy())
        filled = filled.fillna(email_lc.map(email_map).astype("string[pyarrow]"))
    return filled.astype("string[pyarrow]")
