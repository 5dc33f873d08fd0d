"""Pseudonyms under the organisation's secret key, applied to every string the report shows.

Why a secret key: logins are public, so a hash anyone can recompute (a key written in our source, or
no key) is reversed by hashing the organisation's member list. The key is random (``KEY_BYTES`` from
``secrets``), generated once and kept in a key file outside the report and the store (by default
beside the store, mode 0600, created atomically: ``load_or_create_key``). The same key gives the same
pseudonyms in every report; another key gives others. Without a key (a notebook that passes none) a
random key for the running process is used: pseudonyms are then secret but not stable across runs.

Under pseudonymization every string a GitHub user wrote is untrusted and scrubbed (``Pseudonymizer.text``):
- logins of people, their alias logins and human-looking bot logins, also inside repository names,
  paths and URLs ("jdoe-sandbox", "jdoe.github.io"), matched as whole runs of letters and digits;
- display names, whole or by part (a first name or surname used alone), compared case-folded and
  without accents, so "İlkay" (whose lower case is two characters), "ILKAY" and "Ilkay" all match;
  parts that are everyday English words ("Will", "Brown") only when written like the name;
- every @mention, also of people outside the data, and every e-mail address;
- invisible characters (zero-width space, soft hyphen) and compatibility forms (full-width letters)
  are normalised first, so they cannot split a login.
A URL that contained any of these is not linked at all. App bots ("…[bot]") and the built-in bot list
(dependabot, renovate...) keep their names: they are services, not people. Logins shorter than
``MIN_BARE_LOGIN`` ("go") are replaced as @mentions only: as bare words they are ordinary words.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.errors import ConfigError
from analyzer.scores.options import DEFAULT_BOT_LOGINS

KEY_BYTES = 32
MIN_KEY_BYTES = 16
KEY_FILE_SUFFIX = ".pseudonym-key"
EMAIL_HIDDEN = "[e-mail hidden]"
NAME_HIDDEN = "[name hidden]"  # a name part shared by several people
MAX_NAME_WORDS = 6
PSEUDONYM_CHARS = 6  # base32 characters of the keyed hash in "user-xxxxxx" (30 bits; more only on a collision)
MIN_BARE_LOGIN = 3  # shorter logins ("a", "go") are ordinary words: replaced as @mentions, not as bare words
# The built-in bot list names services (dependabot, renovate...), not people: they keep their names.
SERVICES = frozenset(b.lower() for b in DEFAULT_BOT_LOGINS)

_EMAIL = r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
_MENTION = r"(?<![A-Za-z0-9_.@/`-])@(?P<mention>[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\[bot\])?)"
# A run: letters/digits (with combining marks) joined by '-', "'", '’' or '.' (logins, names, repos, hosts)
_PIECE = r"(?:[^\W_]|[\u0300-\u036f])+"
_RUN = rf"(?P<run>{_PIECE}(?:[-'’.]{_PIECE})*)"
_TOKENS = re.compile(f"{_EMAIL}|{_MENTION}|{_RUN}")
_RUN_ONLY = re.compile(_RUN)
_JOINER = re.compile(r"([-'’.])")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"))
_UNMARKED = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
# Name parts that are also everyday English words (a hostile display name can be "The And"):
# replaced only when written as in the name.
COMMON_WORDS = frozenset(
    {
        "add", "all", "also", "and", "any", "april", "are", "art", "august", "baker", "bell", "best", "bill", "black",
        "bond", "brown", "but", "can", "carter", "case", "code", "cook", "cool", "da", "day", "de", "del", "di", "du",
        "faith", "fields", "fine", "fisher", "fix", "for", "frank", "get", "good", "got", "grace", "gray", "green",
        "grey", "had", "hall", "has", "have", "her", "here", "hill", "him", "his", "hope", "how", "hunter", "its",
        "joy", "june", "just", "king", "la", "lane", "le", "let", "little", "long", "love", "mark", "mason", "max",
        "may", "miller", "new", "nice", "night", "no", "north", "not", "ok", "one", "only", "our", "out", "page",
        "please", "porter", "price", "ray", "read", "reed", "rich", "rose", "run", "see", "set", "she", "sky", "star",
        "stone", "summer", "sunny", "sure", "test", "than", "thank", "thanks", "that", "the", "them", "then", "there",
        "they", "this", "turner", "two", "use", "used", "van", "very", "von", "walker", "wall", "ward", "was", "well",
        "west", "what", "when", "white", "who", "why", "will", "with", "wood", "woods", "yes", "you", "young"
    }
)


def _digest(key: bytes, login: str) -> str:
    mac = hmac.new(key, b"login\x00" + login.lower().encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii").lower()


@functools.lru_cache(maxsize=1 << 16)  # the same words recur across thousands of comments
def _fold(value: str) -> str:
    """Comparison key: case-folded, accents and other marks removed ('İlkay', 'ILKAY' -> 'ilkay')."""
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_UNMARKED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFKC", value).translate(_INVISIBLE)


def _runs(value: str) -> list[str]:
    return [m.group(0) for m in _RUN_ONLY.finditer(_normalise(value))]


# -- the key ------------------------------------------------------------------------------------------

_SESSION_KEY: list[bytes] = []


def session_key() -> bytes:
    """A random key for this process: used when no key is given (pseudonyms stable within the run)."""
    if not _SESSION_KEY:
        _SESSION_KEY.append(secrets.token_bytes(KEY_BYTES))
    return _SESSION_KEY[0]


def key_file_beside(store: str | Path) -> Path:
    """The default key file: next to the store, never inside it (the store's tables get exported)."""
    store = Path(store).expanduser()
    return store.with_name(store.name + KEY_FILE_SUFFIX)


def load_or_create_key(path: str | Path) -> bytes:
    """The secret key in ``path``; a new random one is written there first if the file does not exist.

    Creation is atomic and never replaces a key: the key goes to a private temporary file (mode 0600)
    that is hard-linked to ``path``; when another process won the race, its key is used. The file holds
    hex text, so a user may also put a secret of their own in it (at least ``MIN_KEY_BYTES`` bytes)."""
    path = Path(path).expanduser()
    try:
        return _read_key(path)
    except FileNotFoundError:
        _create_key(path)
    return _read_key(path)


def _create_key(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    except OSError as exc:
        raise ConfigError(f"cannot create the pseudonym key file {path}: {exc.strerror or exc}; "
                          "set report.pseudonym_key_file to a writable place") from exc
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES).hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created the key first: use theirs
        except OSError:  # a filesystem without hard links: exclusive create, then the same content
            _create_exclusive(path, Path(tmp).read_bytes())
    finally:
        Path(tmp).unlink(missing_ok=True)


def _create_exclusive(path: Path, content: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise
    except OSError as exc:  # permission denied, a path through a file...
        raise ConfigError(f"cannot read the pseudonym key file {path}: {exc.strerror or exc}; run the report "
                          "as the key's owner, or point report.pseudonym_key_file at a readable file") from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ConfigError(f"pseudonym key file {path} is not a regular file; point "
                          "report.pseudonym_key_file at a file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_mode & 0o077:
            raise ConfigError(f"pseudonym key file {path} can be read by other users; run "
                              f"chmod 600 {path} (and create a new key if others may have read it)")
        key = handle.read(4096).strip()
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"pseudonym key file {path} holds {len(key)} bytes, fewer than {MIN_KEY_BYTES}; "
                          "delete it to have a new key generated (pseudonyms will change)")
    return key


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key: two reports with the same id share their pseudonyms."""
    return hmac.new(key, b"analyzer pseudonym key id", hashlib.sha256).hexdigest()[:8]


# -- configured identities, read from the scores' meta ----------------------------------------------


def configured_aliases(meta: Mapping[str, Any]) -> dict[str, str]:
    """``[people.aliases]`` as the scorer recorded it (login -> person)."""
    options = meta.get("options")
    aliases = options.get("aliases") if isinstance(options, dict) else None
    return {str(k): str(v) for k, v in aliases.items()} if isinstance(aliases, dict) else {}


def configured_bots(meta: Mapping[str, Any]) -> list[str]:
    """Bot logins configured in ``[people] bots`` (the scorer records them after the built-in ones)."""
    options = meta.get("options")
    bots = options.get("bot_logins") if isinstance(options, dict) else None
    return [str(b) for b in bots if str(b).lower() not in SERVICES] if isinstance(bots, list | tuple) else []


@dataclass(frozen=True)
class _Entry:
    pseudonym: str
    exact: frozenset[str] = frozenset()  # non-empty: only these spellings match (everyday words)


class Pseudonymizer:
    """Maps logins and names to pseudonyms (or passes them through when disabled)."""

    def __init__(
        self,
        names: Mapping[str, str],
        *,
        key: bytes | str | None = None,
        enabled: bool = True,
        aliases: Mapping[str, str] | None = None,
        hidden: Iterable[str] = (),
    ) -> None:
        """``names`` maps each login to its display name ('' when unknown); ``aliases`` maps extra logins
        to the person they belong to; ``hidden`` are more logins to replace (e.g. configured bots)."""
        self.enabled = enabled
        self.stable = bool(key)
        self._key = (key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key) or session_key()
        self.key_id = key_id(self._key)
        self._names = dict(names)
        self._pseudo: dict[str, str] = {}
        self._single: dict[str, _Entry] = {}
        self._multi: dict[tuple[str, ...], str] = {}
        self._multi_first: set[str] = set()  # first words of those names: most runs start none
        self._max_joined = 1
        if enabled:
            self._build(dict(aliases or {}), [h for h in hidden if h and not h.endswith("[bot]")])

    # -- building the lookup tables ------------------------------------------------------------------

    def _build(self, aliases: dict[str, str], hidden: list[str]) -> None:
        people = sorted(
            {x for x in (*self._names, *hidden, *aliases.values()) if x.lower() not in SERVICES}, key=str.lower
        )
        self._pseudo = self._assign(people)
        for alias, person in sorted(aliases.items()):
            self._pseudo[alias.lower()] = self.login(person)
        self._add_name_parts()
        for login, pseudonym in self._pseudo.items():  # logins last: they win over name parts
            if len(login) >= MIN_BARE_LOGIN:
                self._single[_fold(login)] = _Entry(pseudonym)
        self._max_joined = max(((len(_JOINER.split(k)) + 1) // 2 for k in self._single), default=1)

    def _assign(self, logins: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        taken: set[str] = set()
        for login in logins:
            digest = _digest(self._key, login)
            width = PSEUDONYM_CHARS
            while f"user-{digest[:width]}" in taken:
                width += 1
            out[login.lower()] = f"user-{digest[:width]}"
            taken.add(out[login.lower()])
        return out

    def _add_name_parts(self) -> None:
        owners: dict[str, set[str]] = {}
        spellings: dict[str, set[str]] = {}
        for login, name in sorted(self._names.items()):
            runs = _runs(name)
            if not runs or login.lower() in SERVICES:
                continue
            pseudonym = self.login(login)
            words = tuple(_fold(r) for r in runs)
            if 1 < len(words) <= MAX_NAME_WORDS:
                self._multi.setdefault(words, pseudonym)
                self._multi_first.add(words[0])
            for run in runs:
                for part in {run, *_JOINER.split(run)[::2]}:
                    if len(part) >= 2 and part.isalpha():
                        owners.setdefault(_fold(part), set()).add(pseudonym)
                        spellings.setdefault(_fold(part), set()).update({part, part.upper()})
        for folded, who in owners.items():
            exact = frozenset(spellings[folded]) if len(folded) <= 2 or folded in COMMON_WORDS else frozenset()
            self._single[folded] = _Entry(next(iter(who)) if len(who) == 1 else NAME_HIDDEN, exact)

    # -- public API ----------------------------------------------------------------------------------

    def login(self, login: str) -> str:
        if not self.enabled or login.lower() in SERVICES:
            return login
        return self._pseudo.get(login.lower()) or self._unknown(login)

    def _unknown(self, login: str) -> str:
        # A login that is not in the people table (e.g. someone @mentioned from outside) still gets a
        # pseudonym under the same key: the one they would get if they were in the data.
        return f"user-{_digest(self._key, login)[:PSEUDONYM_CHARS]}" if login else ""

    def name(self, login: str) -> str:
        """What to call a person: display name (or login) in clear, the pseudonym otherwise."""
        if self.enabled:
            return self.login(login)
        return self._names.get(login, "") or login

    def text(self, value: str) -> str:
        """Replace every login, name, @mention and e-mail address inside free text (see the module doc)."""
        if not self.enabled or not value:
            return value
        value = _normalise(value)
        tokens = list(_TOKENS.finditer(value))
        out: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            token = tokens[i]
            out.append(value[last : token.start()])
            used, replacement = self._replace(value, tokens, i)
            out.append(replacement)
            last = tokens[i + used - 1].end()
            i += used
        out.append(value[last:])
        return "".join(out)

    def url(self, value: str) -> str | None:
        """The URL unchanged if it names nobody; None (do not link) when scrubbing would change it."""
        if not self.enabled or not value:
            return value
        return value if self.text(value) == _normalise(value) == value else None

    def options(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """Scoring options for the methodology page: configured aliases and bot logins are counted, not
        listed (they name people), and every other string is scrubbed like free text."""
        if not self.enabled:
            return dict(options)
        out: dict[str, Any] = {}
        for name, value in options.items():
            if name == "bot_logins" and isinstance(value, list | tuple):
                services = [str(v) for v in value if str(v).lower() in SERVICES]
                others = len(value) - len(services)
                out[name] = services + [f"{others} configured (not listed in a pseudonymized report)"]
            elif name == "aliases" and isinstance(value, dict | list | tuple):
                out[name] = f"{len(value)} configured (not listed in a pseudonymized report)"
            else:
                out[name] = self._scrub(value)
        return out

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self._scrub(k): self._scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._scrub(v) for v in value]
        return value

    # -- matching ------------------------------------------------------------------------------------

    def _replace(self, value: str, tokens: list[re.Match[str]], i: int) -> tuple[int, str]:
        """(tokens consumed, replacement text) for the token at ``i``."""
        token = tokens[i]
        if token.group("email"):
            return 1, EMAIL_HIDDEN
        mention = token.group("mention")
        if mention:
            return 1, "@" + (mention if mention.endswith("[bot]") else self.login(mention))
        whole = self._whole_name(value, tokens, i)
        if whole is not None:
            return whole
        return 1, self._in_run(token.group("run"))

    def _whole_name(self, value: str, tokens: list[re.Match[str]], i: int) -> tuple[int, str] | None:
        """A display name of several words starting at token ``i`` (words apart only by spaces or by
        the punctuation the name itself has)."""
        if _fold(tokens[i].group("run")) not in self._multi_first:
            return None
        words: list[str] = []
        for j in range(i, min(len(tokens), i + MAX_NAME_WORDS)):
            run = tokens[j].group("run")
            if run is None or (j > i and "\n" in value[tokens[j - 1].end() : tokens[j].start()]):
                break
            words.append(_fold(run))
        for n in range(len(words), 1, -1):
            pseudonym = self._multi.get(tuple(words[:n]))
            if pseudonym is not None:
                return n, pseudonym
        return None

    def _in_run(self, run: str) -> str:
        """Replace known logins and name parts inside one run ('jdoe-sandbox', "Maja's", 'a.jdoe.io'),
        longest match first, left to right; at most ``_max_joined`` pieces are joined (linear time)."""
        pieces = _JOINER.split(run)  # words at even positions, joiners at odd ones
        words = pieces[::2]
        out: list[str] = []
        k = 0
        while k < len(words):
            hit = None
            for n in range(min(self._max_joined, len(words) - k), 0, -1):
                written = "".join(pieces[2 * k : 2 * (k + n) - 1])
                entry = self._single.get(_fold(written))
                if entry is not None and (not entry.exact or written in entry.exact):
                    hit = (n, entry.pseudonym)
                    break
            n, shown = hit if hit else (1, words[k])
            out.append(shown)
            end = k + n
            if end < len(words):
                out.append(pieces[2 * end - 1])
            k = end
        return "".join(out)
