"""Every knob of the scoring pipeline, with defaults taken from docs/metrics.md.

``ScoringOptions`` is deliberately independent of ``analyzer.config``: the lead maps config.toml onto it,
and tests build it directly. Nothing here reads the wall clock: ``now`` is either given or resolved
from the data (the newest timestamp in the store), so a re-run over the same store gives the same scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.scores.exposure import DEFAULT_TAU_DAYS

if TYPE_CHECKING:
    from analyzer.config import Config

DAYS_PER_MONTH = 30.44  # the config's month, as in analyzer.config.WindowSection.bounds
# §0.2: accounts that are automation even when GitHub reports them as users.
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

# §4.2 doc files (matched case-insensitively against the repository-relative path).
DEFAULT_DOC_GLOBS: tuple[str, ...] = (
    "docs/**",
    "doc/**",
    "**/*.md",
    "**/*.rst",
    "**/*.adoc",
    "*.txt",
    "**/README*",
    "**/CONTRIBUTING*",
    "**/CODE_OF_CONDUCT*",
    "**/SECURITY*",
    "**/adr/**",
    "**/decisions/**",
    "mkdocs.yml",
    "docs/**/*.ipynb",
)
# §4.2 onboarding docs (weight x2): only applied to files that are doc files.
DEFAULT_ONBOARDING_GLOBS: tuple[str, ...] = (
    "**/README*",
    "**/CONTRIBUTING*",
    "**/*getting*started*",
    "**/*install*",
    "**/*setup*",
    "**/*development*",
    "**/*onboarding*",
    "**/*quickstart*",
)
# §5.2 CI files.
DEFAULT_CI_GLOBS: tuple[str, ...] = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".github/actions/**",
    "**/action.yml",
    "**/action.yaml",
    ".gitlab-ci.yml",
    "Jenkinsfile",
    ".circleci/config.yml",
    "azure-pipelines.yml",
    ".travis.yml",
    "buildkite/**",
    ".buildkite/**",
    ".pre-commit-config.yaml",
    ".github/dependabot.yml",
    "renovate.json",
    "pytest.ini",
    "tox.ini",
    "noxfile.py",
    "jest.config.*",
)
# §2.2 / §2.5 files excluded from review size: lockfiles, vendored code, snapshots, minified, generated.
DEFAULT_GENERATED_GLOBS: tuple[str, ...] = (
    "**/*.lock",
    "**/package-lock.json",
    "**/pnpm-lock.yaml",
    "**/go.sum",
    "**/vendor/**",
    "**/third_party/**",
    "**/node_modules/**",
    "**/__snapshots__/**",
    "**/*.snap",
    "**/*.min.*",
    "**/dist/**",
    "**/generated/**",
    "**/*_pb2.py",
    "**/*.pb.go",
    "**/migrations/**",
    "docs/api/**",
    "**/*.svg",
)
# §6: equal weights by default; published on the methodology page.
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
    """Knobs of the pipeline; defaults follow docs/metrics.md (section in each comment)."""

    now: datetime | None = None  # None: newest timestamp in the store (deterministic)
    window_days: int = 180  # §0.4 rolling window
    window_start: datetime | None = None  # None: window_end - window_days
    window_end: datetime | None = None  # None: now
    # identity and bots (§0.2)
    bot_logins: tuple[str, ...] = DEFAULT_BOT_LOGINS
    aliases: Mapping[str, str] = field(default_factory=dict)  # login -> person
    template_bot_share: float = 0.90
    template_bot_min_comments: int = 5
    detect_app_comments: bool = True  # read performed_via_github_app out of raw JSON (in SQLite)
    # newcomers (§3.2)
    newcomer_days: int = 90
    newcomer_max_merged: int = 5  # newcomer while < 5 merged PRs
    # file classes
    doc_globs: tuple[str, ...] = DEFAULT_DOC_GLOBS
    onboarding_globs: tuple[str, ...] = DEFAULT_ONBOARDING_GLOBS
    ci_globs: tuple[str, ...] = DEFAULT_CI_GLOBS
    generated_globs: tuple[str, ...] = DEFAULT_GENERATED_GLOBS
    # minimum samples to show a score (§6 table)
    min_considerate: int = 20
    min_harsh: int = 30
    min_thoroughness: int = 10
    min_rubber_stamp: int = 10
    min_useful: int = 30
    min_mentees: int = 8
    min_mentee_prs: int = 30
    min_upkeep: int = 10
    min_families_for_multiplier: int = 3
    # statistics (§0.4)
    prior_min_n: int = 10  # people with n >= 10 fit the team prior; below, pooled variance is used
    prior_strength_cap: float = 50.0  # alpha + beta <= 50
    level: float = 0.90
    bootstrap_samples: int = 400
    seed: int = 20240601
    # thoroughness (§2.2, §2.4)
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
    # mentoring (§3)
    mentoring_min_interactions: int = 2
    retention_days: int = 90
    # docs (§4)
    onboarding_weight: float = 2.0
    small_doc_edit_lines: int = 2  # <= 2 added lines in a doc file: treated as a typo fix (weight 0.3)
    small_doc_edit_weight: float = 0.3
    doc_volume_cap_quantile: float = 0.95
    # CI (§5.4)
    ci_window_days: int = 28
    ci_min_runs: int = 30
    ci_group_days: int = 3
    # multiplier effect (docs/methodology.md, "Multiplier effect (uplift)")
    min_uplift_authors: int = 8
    uplift_decay_days: float = DEFAULT_TAU_DAYS
    # combining (§6)
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


def _parse_day(text: str) -> datetime | None:
    if not text:
        return None
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def options_from_config(config: Config, now: datetime | None) -> ScoringOptions:
    """Map config.toml (``analyzer.config.Config``) onto ``ScoringOptions``.

    The config's [window] (since/until, else ``months`` before ``now``) is the scoring window, the same
    one the collector used, so everything collected is scored; with no ``now`` the window's end is the
    data's newest timestamp and ``months`` set its length. Configured bots extend the built-in list.
    """
    people, paths, scores = config.people, config.paths, config.scores
    w = scores.weights
    window = config.window
    start, end = window.bounds(now) if now is not None else (None, None)
    return ScoringOptions(
        now=now,
        window_days=round(DAYS_PER_MONTH * window.months),
        window_start=start if now is not None else _parse_day(window.since),
        window_end=end if now is not None else _parse_day(window.until),
        bot_logins=DEFAULT_BOT_LOGINS + tuple(people.bots),
        aliases=dict(people.aliases),
        newcomer_days=people.newcomer_days,
        newcomer_max_merged=people.newcomer_max_merged_prs,
        doc_globs=tuple(paths.docs),
        onboarding_globs=tuple(paths.onboarding_docs),
        ci_globs=tuple(paths.ci),
        generated_globs=tuple(paths.generated),
        min_considerate=scores.min_comments_considerate,
        min_harsh=scores.min_comments_harsh,
        min_thoroughness=scores.min_episodes_thoroughness,
        min_rubber_stamp=scores.min_eligible_approvals,
        min_useful=scores.min_inline_comments_useful,
        min_upkeep=scores.min_code_prs_docs_upkeep,
        ci_min_runs=scores.min_runs_ci,
        min_uplift_authors=scores.min_authors_uplift,
        uplift_decay_days=scores.uplift_decay_days,
        weights={
            "empathy": w.empathy,
            "thoroughness": w.thoroughness,
            "mentoring": w.mentoring,
            "docs": w.docs,
            "ci": w.ci,
        },
        cache=Path(config.store.score_cache) if config.store.score_cache else None,
    )
