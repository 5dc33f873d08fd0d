"""config.toml: one frozen, typed ``Config``, validated on load.

A wrong type or an unknown key raises ``ConfigError`` with one line naming the key, its line in the
file, what is expected and, for typos, the closest known key ("did you mean ...?").
The GitHub token is never read from this file: it comes from GITHUB_TOKEN / GH_TOKEN or a token file.
"""

from __future__ import annotations

import difflib
import fnmatch
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from analyzer.errors import ConfigError
from analyzer.scores.options import DEFAULT_WEIGHTS, DEFAULT_WINDOW_MONTHS, OPTION, option_default, window_days


def option_key(name: str) -> Any:
    """A config key that sets ``ScoringOptions.<name>``: bound here once, with that option's default (the
    options layer declares every default; ``options_from_config`` reads the binding)."""
    return field(default=option_default(name), metadata={OPTION: name})


@dataclass(frozen=True)
class GitHubSection:
    base_url: str = "https://api.github.com"
    organizations: tuple[str, ...] = ()
    repositories: tuple[str, ...] = ()  # "owner/name"
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()
    token_file: str = ""
    token_files: tuple[str, ...] = ()  # several tokens: one file each, collected in parallel (docs/scaling.md)
    app_id: int = 0  # a GitHub App to collect as (0: none); its key file below, never the key itself
    app_private_key_file: str = ""
    app_installation_id: int = 0  # 0: found from the organisation
    seconds_between_requests: float = 0.25
    page_size: int = 50  # PRs on the first GraphQL page
    max_page_size: int = 100  # pages grow up to this while GitHub answers them quickly
    max_wait: float = 3900.0
    overlap_days: float = 3.0
    timeout: float = 30.0
    max_retries: int = 5

    def wants(self, repo_name: str) -> bool:
        """True when ``repo_name`` passes the include and exclude globs."""
        included = any(fnmatch.fnmatchcase(repo_name, pat) for pat in self.include)
        return included and not any(fnmatch.fnmatchcase(repo_name, pat) for pat in self.exclude)


@dataclass(frozen=True)
class WindowSection:
    since: str = ""  # ISO date; empty: `months` before now
    until: str = ""  # ISO date; empty: now
    months: int = DEFAULT_WINDOW_MONTHS

    def bounds(self, now: datetime) -> tuple[datetime, datetime]:
        end = _parse_day(self.until, "window.until") if self.until else now
        start = (
            _parse_day(self.since, "window.since")
            if self.since
            else end - timedelta(days=window_days(self.months))
        )
        if start >= end:
            raise ConfigError(f"window.since ({start:%Y-%m-%d}) must be before window.until; fix [window]")
        return start, end


@dataclass(frozen=True)
class StoreSection:
    path: str = "analyzer.sqlite"
    parquet_dir: str = "out/scores"
    score_cache: str = "out/score-cache"  # incremental re-scoring; "" turns it off


@dataclass(frozen=True)
class PeopleSection:
    bots: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (login, person)
    newcomer_days: int = option_key("newcomer_days")
    newcomer_max_merged_prs: int = option_key("newcomer_max_merged")


@dataclass(frozen=True)
class PathsSection:
    docs: tuple[str, ...] = option_key("doc_globs")
    onboarding_docs: tuple[str, ...] = option_key("onboarding_globs")
    ci: tuple[str, ...] = option_key("ci_globs")
    generated: tuple[str, ...] = option_key("generated_globs")


@dataclass(frozen=True)
class WeightsSection:
    """[scores.weights]: one weight per profile group; the groups and their defaults are DEFAULT_WEIGHTS."""

    values: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())

    def updated(self, **weights: float) -> WeightsSection:
        """A copy with ``weights`` changed, e.g. ``updated(mentoring=2.0)``; each must be a known group."""
        values = dict(self.values)
        unknown = sorted(set(weights) - set(values))
        if unknown:
            raise ConfigError(f"unknown weight group(s) {', '.join(unknown)}; expected one of: {', '.join(values)}")
        return WeightsSection(tuple({**values, **{k: float(v) for k, v in weights.items()}}.items()))


@dataclass(frozen=True)
class ScoresSection:
    weights: WeightsSection = field(default_factory=WeightsSection)
    min_comments_considerate: int = option_key("min_considerate")
    min_comments_harsh: int = option_key("min_harsh")
    min_episodes_thoroughness: int = option_key("min_thoroughness")
    min_eligible_approvals: int = option_key("min_rubber_stamp")
    min_inline_comments_useful: int = option_key("min_useful")
    min_code_prs_docs_upkeep: int = option_key("min_upkeep")
    min_runs_ci: int = option_key("ci_min_runs")
    min_mentees_first_clean_merge: int = option_key("min_clean_merge_mentees")
    # multiplier effect: distinct authors who worked with the person; time constant of the exposure's decay
    min_authors_uplift: int = option_key("min_uplift_authors")
    uplift_decay_days: float = option_key("uplift_decay_days")
    comment_weights: str = ""  # weights file from `analyzer calibrate --fit`; "": the shipped weights
    comment_weights_sha256: str = ""  # optional pin of that file (printed by --fit); checked at load


@dataclass(frozen=True)
class ReportSection:
    output: str = "out/report.html"
    title: str = "Multiplier report"
    pseudonymize: bool = False
    min_group_size: int = 5
    github_url: str = ""  # web URL for links; empty: derived from github.base_url
    pseudonym_key_file: str = ""  # secret key of the pseudonyms; empty: beside the store (<store>.pseudonym-key)


@dataclass(frozen=True)
class Config:
    github: GitHubSection = field(default_factory=GitHubSection)
    window: WindowSection = field(default_factory=WindowSection)
    store: StoreSection = field(default_factory=StoreSection)
    people: PeopleSection = field(default_factory=PeopleSection)
    paths: PathsSection = field(default_factory=PathsSection)
    scores: ScoresSection = field(default_factory=ScoresSection)
    report: ReportSection = field(default_factory=ReportSection)
    source: str = ""  # the file this came from, "" for defaults

    def web_url(self) -> str:
        """Where humans browse: https://github.com, or https://host for an Enterprise server."""
        if self.report.github_url:
            return self.report.github_url.rstrip("/")
        base = self.github.base_url.rstrip("/")
        if base in ("https://api.github.com", "http://api.github.com"):
            return "https://github.com"
        return re.sub(r"/api/v3$", "", base)


SECTIONS: dict[str, type] = {
    "github": GitHubSection,
    "window": WindowSection,
    "store": StoreSection,
    "people": PeopleSection,
    "paths": PathsSection,
    "scores": ScoresSection,
    "report": ReportSection,
}
# GraphQL's `first` takes 1 to 100 nodes
INT_RANGES: dict[str, tuple[int, int | None]] = {
    "github.page_size": (1, 100),
    "github.max_page_size": (1, 100),
    "window.months": (1, 1200),  # up to 100 years: GitHub is younger, and dates must stay representable
    "people.newcomer_days": (0, 36_500),
    "scores.min_authors_uplift": (2, None),  # an effect needs at least two authors to vary between
}
# paths in which "~" means the home folder
PATH_KEYS = {"store.path", "store.parquet_dir", "store.score_cache", "report.output", "github.token_file",
             "github.app_private_key_file"}
# the times analyzer accepts for --now and [window]: anything GitHub can hold, and within what the
# frames' nanosecond timestamps represent (1677-2262) with a window of up to 100 years before it
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
FORBIDDEN_KEYS = {"token", "github_token", "gh_token", "password", "api_token", "access_token"}


def load_config(path: str | Path | None) -> Config:
    """Read and validate ``path``; ``None`` gives the defaults."""
    if path is None:
        return Config()
    file = Path(path).expanduser()
    if not file.exists():
        raise ConfigError(f"config file not found: {file} - copy config.toml from the project and edit it")
    if file.is_dir():
        raise ConfigError(f"{file} is a folder; --config must name a config.toml file")
    try:
        text = file.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {file}: {exc.strerror or exc}; check the path and its permissions") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc}); fix the syntax at that line") from exc
    except RecursionError as exc:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{file}: values nest too deeply to be a config; fix the file") from exc
    return parse_config(data, text=text, source=str(file))


def parse_config(data: dict[str, Any], *, text: str = "", source: str = "<config>") -> Config:
    locate = _Locator(text, source)
    sections: dict[str, Any] = {}
    for name, value in data.items():
        if name in FORBIDDEN_KEYS:
            raise ConfigError(locate.msg(name, "the token is never read from config.toml; set GITHUB_TOKEN"
                                         " or GH_TOKEN, or point github.token_file at a file"))
        if name not in SECTIONS:
            raise ConfigError(locate.unknown(name, list(SECTIONS), "a section"))
        if not isinstance(value, dict):
            raise ConfigError(locate.msg(name, f"[{name}] must be a table (a [{name}] section)"))
        sections[name] = _build_section(SECTIONS[name], value, name, locate)
    github = sections.get("github")
    if github is not None and github.max_page_size < github.page_size:
        raise ConfigError(locate.msg("max_page_size", f"github.max_page_size ({github.max_page_size}) is below"
                                     f" github.page_size ({github.page_size}): raise it, or lower page_size"))
    return Config(**sections, source=source)


def _build_section(cls: type, values: dict[str, Any], prefix: str, locate: _Locator) -> Any:
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        dotted = f"{prefix}.{key}"
        if key in FORBIDDEN_KEYS:
            raise ConfigError(locate.msg(key, "the token is never read from config.toml; set GITHUB_TOKEN"
                                         " or GH_TOKEN, or use github.token_file"))
        if key not in known:
            raise ConfigError(locate.unknown(key, list(known), f"a key of [{prefix}]", dotted=dotted))
        default = getattr(cls(), key)
        kwargs[key] = _coerce(default, value, dotted, key, locate)
    return cls(**kwargs)


def _coerce(default: Any, value: Any, dotted: str, key: str, locate: _Locator) -> Any:
    if isinstance(default, WeightsSection):
        if not isinstance(value, dict):
            raise ConfigError(locate.msg(key, f"{dotted} must be a table of numbers"))
        weights = dict(default.values)
        for name, weight in value.items():
            where = f"{dotted}.{name}"
            if name not in weights:
                raise ConfigError(locate.unknown(name, list(weights), f"a key of [{dotted}]", dotted=where))
            weights[name] = _coerce(weights[name], weight, where, name, locate)
        return WeightsSection(tuple(weights.items()))
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(locate.msg(key, f"{dotted} must be true or false, got {value!r}"))
        return value
    if isinstance(default, int):
        low, high = INT_RANGES.get(dotted, (0, None))
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
            expected = f"from {low} to {high}" if high else f">= {low}"
            raise ConfigError(locate.msg(key, f"{dotted} must be a whole number {expected}, got {value!r}"))
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise ConfigError(locate.msg(key, f"{dotted} must be a finite number >= 0, got {value!r}"))
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(locate.msg(key, f"{dotted} must be a string, got {value!r}"))
        _check_string(dotted, key, value, locate)
        return os.path.expanduser(value) if dotted in PATH_KEYS else value
    if dotted == "people.aliases":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError(locate.msg(key, f'{dotted} must be a table of login = "person" strings'))
        return tuple(sorted(value.items()))
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(locate.msg(key, f"{dotted} must be a list of strings, got {value!r}"))
        if dotted == "github.repositories":
            for repo in value:
                if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
                    raise ConfigError(locate.msg(key, f'{dotted}: "{repo}" must look like "owner/name"'))
        return tuple(value)
    raise ConfigError(locate.msg(key, f"{dotted} has an unsupported value {value!r}"))


def _check_string(dotted: str, key: str, value: str, locate: _Locator) -> None:
    if dotted == "github.base_url" or (dotted == "report.github_url" and value):
        try:
            check_base_url(value, dotted)
        except ConfigError as exc:
            raise ConfigError(locate.msg(key, str(exc))) from exc
    if dotted in ("window.since", "window.until") and value:
        _parse_day(value, dotted)


def check_base_url(value: str, name: str = "github.base_url") -> str:
    """``value`` if it is an http(s) URL with a host and a valid port, else ``ConfigError``."""
    example = '"https://api.github.com" or "https://ghe.example.com/api/v3"'
    shown = re.sub(r"//[^/@]*@", "//***@", value)[:80]  # never echo a user name or password in the URL
    parsed = urlsplit(value) if re.fullmatch(r"\S+", value) else None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"{name} must be an http(s) URL such as {example}, got {shown!r}")
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise ConfigError(f"{name} has a port outside 1-65535 in {shown!r}; fix the URL")
    if "@" in parsed.netloc:
        raise ConfigError(f"{name} carries a user name or password ({shown}); remove them and give the token"
                          " through GITHUB_TOKEN or --token-file")
    return value


def check_time(value: datetime, name: str) -> datetime:
    """``value`` if it lies between EARLIEST and LATEST, else ``ConfigError``."""
    if not EARLIEST <= value < LATEST:
        span = f"{EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}"
        raise ConfigError(f"{name} must lie between {span}, got {value.date().isoformat()}")
    return value


def _parse_day(value: str, name: str) -> datetime:
    try:
        day = date.fromisoformat(value[:10])
    except ValueError as exc:
        raise ConfigError(f'{name} must be a date like "2025-01-31", got {value!r}') from exc
    return check_time(datetime(day.year, day.month, day.day, tzinfo=UTC), name)


class _Locator:
    """Finds the line a key sits on so messages can point at it."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def line_of(self, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(\[+\s*)?([\w.]*\.)?\"?{re.escape(key)}\"?\s*(=|\]|\.)")
        for number, line in enumerate(self.lines, start=1):
            if pattern.search(line):
                return number
        return None

    def msg(self, key: str, what: str) -> str:
        line = self.line_of(key)
        where = f"{self.source}:{line}" if line else self.source
        return f"{where}: {what}"

    def unknown(self, key: str, known: list[str], kind: str, dotted: str | None = None) -> str:
        guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f'; did you mean "{guess[0]}"?' if guess else f"; expected one of: {', '.join(known)}"
        return self.msg(key, f'unknown key "{dotted or key}" ({kind} is expected){hint}')
