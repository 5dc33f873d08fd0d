"""The options layer: every knob of frames and scores, each default declared once, here.

``ScoringOptions`` is what frames and scores read; tests and notebooks build it directly, and config.toml
reaches it through ``options_from_config``: each config key that sets an option is bound to its field
once, in ``analyzer.config`` (``option_key``), and takes its default from here, so the CLI and the library
cannot disagree. ``recorded_options`` is what a scoring run writes to meta["options"], and what the
report's methodology page prints. Nothing here reads the wall clock: ``now`` is either given or resolved
from the data (the newest timestamp in the store), so a re-run over the same store gives the same scores.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzer.scores.exposure import DEFAULT_TAU_DAYS

if TYPE_CHECKING:
    from analyzer.config import Config

DAYS_PER_MONTH = 30.44  # the config's month ([window] months, analyzer.config.WindowSection.bounds)
DEFAULT_WINDOW_MONTHS = 18  # the collection and scoring window ([window] months; methodology: The time window)
# Accounts that are automation even when GitHub reports them as users (methodology: Bots).
DEFAULT_BOT_LOGINS: tuple[str, ...] = (
    "dependabot",
    "dependabot-preview",
    "renovate",
    "renovate-bot",
    "github-actions",
    "codecov",
    "codecov-commenter",
    "sonarcloud",
    "sonarqubecloud",
    "netlify",
    "vercel",
    "mergify",
    "allcontributors",
    "all-contributors",
    "pre-commit-ci",
    "copilot",
    "github-advanced-security",
    "snyk-bot",
    "imgbot",
    "greenkeeper",
    "stale",
    "coveralls",
    "bors",
    "k8s-ci-robot",
    "web-flow",
)

# File classes, matched case-insensitively against repository-relative paths by analyzer.frames.paths
# (``**/`` also matches no folder at all, so ``**/*.lock`` covers ``poetry.lock`` at the root; ``*`` stops at
# ``/``, so ``*.md`` alone is the root only). These are the defaults of config.toml's [paths] too.
# Doc files (methodology: Documentation written).
DEFAULT_DOC_GLOBS: tuple[str, ...] = (
    "docs/**", "doc/**", "*.md", "**/*.md", "*.rst", "**/*.rst", "*.adoc", "README*", "CONTRIBUTING*",
    "CODE_OF_CONDUCT*", "SECURITY*", "**/adr/**", "**/decisions/**", "mkdocs.yml",
)
# Onboarding docs (weight x2; methodology: Onboarding docs): only applied to files that are doc files.
DEFAULT_ONBOARDING_GLOBS: tuple[str, ...] = (
    "README*", "**/README*", "CONTRIBUTING*", "docs/getting-started*", "docs/**/getting-started*",
    "docs/**/install*", "docs/**/setup*", "docs/**/development*", "docs/onboarding*",
)
# CI files (methodology: CI changes and their effect).
DEFAULT_CI_GLOBS: tuple[str, ...] = (
    ".github/workflows/*", ".github/actions/**", "action.yml", "action.yaml", ".gitlab-ci.yml",
    "Jenkinsfile", ".circleci/config.yml", "azure-pipelines.yml", ".travis.yml", "buildkite/**",
    ".pre-commit-config.yaml", ".github/dependabot.yml", "renovate.json", "pytest.ini", "tox.ini",
    "noxfile.py", "jest.config.*",
)
# Files excluded from review size and doc credit (methodology: Size of a pull request): lockfiles,
# vendored code, snapshots, minified, generated code and docs, migrations.
DEFAULT_GENERATED_GLOBS: tuple[str, ...] = (
    "**/*.lock", "**/package-lock.json", "**/pnpm-lock.yaml", "**/go.sum", "**/vendor/**", "**/third_party/**",
    "**/node_modules/**", "**/__snapshots__/**", "**/*.snap", "**/*.min.*", "**/dist/**", "**/generated/**",
    "**/*_pb2.py", "**/*.pb.go", "**/migrations/**", "docs/api/**", "**/*.svg",
)
# Equal weights by default (methodology: Overall multiplier); published on the methodology page.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "empathy": 1.0,
    "thoroughness": 1.0,
    "mentoring": 1.0,
    "docs": 1.0,
    "ci": 1.0,
}
PAIRING_MARKERS: tuple[str, ...] = ("paired with @", "pair-programmed", "pair programmed", "mob-programmed")


@dataclass(frozen=True)
class ScoringOptions:
    """Knobs of frames and scores; the comments name the docs/methodology.md sections they set."""

    now: datetime | None = None  # None: newest timestamp in the store (deterministic)
    window_days: int = round(DAYS_PER_MONTH * DEFAULT_WINDOW_MONTHS)  # 548 days: [window] months = 18
    window_start: datetime | None = None  # None: window_end - window_days
    window_end: datetime | None = None  # None: now
    # identity and bots (methodology: Bots, Who is who)
    bot_logins: tuple[str, ...] = DEFAULT_BOT_LOGINS
    aliases: Mapping[str, str] = field(default_factory=dict)  # login -> person
    template_bot_share: float = 0.90
    template_bot_min_comments: int = 5
    detect_app_comments: bool = True  # read performed_via_github_app out of raw JSON (in SQLite)
    # newcomers (methodology: Newcomers)
    newcomer_days: int = 90
    newcomer_max_merged: int = 5  # newcomer while < 5 merged PRs
    # file classes
    doc_globs: tuple[str, ...] = DEFAULT_DOC_GLOBS
    onboarding_globs: tuple[str, ...] = DEFAULT_ONBOARDING_GLOBS
    ci_globs: tuple[str, ...] = DEFAULT_CI_GLOBS
    generated_globs: tuple[str, ...] = DEFAULT_GENERATED_GLOBS
    # minimum samples to show a score (methodology: Minimum samples)
    min_considerate: int = 20
    min_harsh: int = 30
    min_thoroughness: int = 10
    min_rubber_stamp: int = 10
    min_useful: int = 30
    min_mentees: int = 8
    min_mentee_prs: int = 30
    min_clean_merge_mentees: int = 8  # methodology: Mentees' first clean merge
    min_upkeep: int = 10
    min_families_for_multiplier: int = 3
    # statistics (methodology: How rates are estimated, How averages are estimated)
    prior_min_n: int = 10  # people with n >= 10 fit the team prior; below, pooled variance is used
    prior_strength_cap: float = 50.0  # alpha + beta <= 50
    level: float = 0.90
    bootstrap_samples: int = 400
    seed: int = 20240601
    # thoroughness (methodology: Thoroughness of one review, A rubber stamp)
    min_episode_size: int = 20
    rs_min_size: int = 200
    rs_min_files: int = 10
    rs_loc_per_hour: float = 500.0
    pairing_markers: tuple[str, ...] = PAIRING_MARKERS
    t_weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "q_density": 0.30,
            "file_cov": 0.15,
            "specificity": 0.20,
            "change_trigger": 0.20,
            "rationale": 0.15,
        }
    )
    nit_discount: float = 0.5
    # mentoring (methodology: Newcomers mentored, Mentees who came back)
    mentoring_min_interactions: int = 2
    retention_days: int = 90
    clean_merge_days: int = 90  # methodology: Mentees' first clean merge
    # docs (methodology: Documentation written, Docs kept up to date)
    onboarding_weight: float = 2.0
    small_doc_edit_lines: int = 2  # <= 2 added lines in a doc file: treated as a typo fix (weight 0.3)
    small_doc_edit_weight: float = 0.3
    doc_volume_cap_quantile: float = 0.95
    # CI (methodology: CI changes and their effect)
    ci_window_days: int = 28
    ci_min_runs: int = 30
    ci_group_days: int = 3
    # multiplier effect (docs/methodology.md, "Multiplier effect (uplift)")
    min_uplift_authors: int = 8
    uplift_decay_days: float = DEFAULT_TAU_DAYS
    # combining (methodology: Overall multiplier)
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    # evidence rows kept per person and family
    evidence_per_family: int = 5
    # incremental scoring: a directory caching each PR's scored rows (see scores.incremental; None: off)
    cache: Path | None = None

    def resolve_window(self, data_now: datetime) -> tuple[datetime, datetime, datetime]:
        """(now, window_start, window_end), all derived from options or from the data's newest timestamp."""
        now = self.now or data_now
        end = self.window_end or now
        start = self.window_start or (end - timedelta(days=self.window_days))
        return now, start, end


def window_days(months: int) -> int:
    """The days of a window of ``months`` config months."""
    return round(DAYS_PER_MONTH * months)


# config.toml keys that set an option carry the option's field name in their metadata under this key
OPTION = "option"
NOT_RECORDED = frozenset({"cache"})  # a local folder (it can reveal a home directory), not a scoring choice


def option_default(name: str) -> Any:
    """The default of ``ScoringOptions.<name>`` (a fresh copy for mutable defaults)."""
    spec: Field[Any] = {f.name: f for f in fields(ScoringOptions)}[name]
    return spec.default_factory() if spec.default is MISSING and spec.default_factory is not MISSING else spec.default


def recorded_options(options: ScoringOptions) -> dict[str, Any]:
    """Every option the scores depend on, by field name, as JSON values: meta["options"] of a scoring run
    (the methodology page prints these, not the installed code's defaults). Times are text."""
    values = {f.name: getattr(options, f.name) for f in fields(options) if f.name not in NOT_RECORDED}
    recorded: dict[str, Any] = json.loads(json.dumps(values, default=str))
    return recorded


def _parse_day(text: str) -> datetime | None:
    if not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def options_from_config(config: Config, now: datetime | None) -> ScoringOptions:
    """Map config.toml (``analyzer.config.Config``) onto ``ScoringOptions``.

    Every config key bound to an option (``analyzer.config.option_key``) sets that option. The config's
    [window] (since/until, else ``months`` before ``now``) is the scoring window, the same one the collector
    used, so everything collected is scored; with no ``now`` the window's end is the data's newest
    timestamp and ``months`` set its length. Configured bots extend the built-in list.
    """
    window = config.window
    start, end = window.bounds(now) if now is not None else (None, None)
    bound = {
        spec.metadata[OPTION]: getattr(section, spec.name)
        for section in (config.people, config.paths, config.scores)
        for spec in fields(section)
        if OPTION in spec.metadata
    }
    return ScoringOptions(
        now=now,
        window_days=window_days(window.months),
        window_start=start if now is not None else _parse_day(window.since),
        window_end=end if now is not None else _parse_day(window.until),
        bot_logins=DEFAULT_BOT_LOGINS + tuple(config.people.bots),
        aliases=dict(config.people.aliases),
        weights=dict(config.scores.weights.values),
        cache=Path(config.store.score_cache) if config.store.score_cache else None,
        **bound,
    )
