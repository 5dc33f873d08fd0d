"""The demo's causal knobs: what drives the review rounds of each PR, with known ground truth.

Every human PR gets a rounds factor m (the expected number of round events, relative to the baseline that
the reviewers' styles and the PR's size produce):

    m = author skill x busy factor of (repository, month) x prod_r (1 + effect_r) ** exposure_r

``exposure_r`` is the author's exposure to person r before the PR, the same quantity the uplift model
estimates on (``analyzer.scores.exposure``), computed from what the generator really made: r's reviews
of the author's earlier PRs, and r's merged PRs that changed a doc file this PR changes (the docs channel,
when the caller passes the PR's paths and records merged PRs: ``rounds_factor``, ``record``). With the
default window kernel, an improver's reviewees need 20 % fewer review rounds on every PR of the three
months after a review by them, and so does a PR that changes docs the improver wrote in the three months
before it, as issue 13 describes the effect ("20 % fewer review rounds over the following months").
(Planted on the decayed kernel, a "20 %" effect meant 13 % just after one review, fading to 5 % after
three months, and 20 % only after several recent reviews.)
``rounds.py`` turns m into events: every changes-requested review and every fix push after review happens
``copies(m)`` times (floor(m) plus one more with probability frac(m)), so the expected review rounds are
exactly m times the baseline. The planted people are in ``model.traits`` with their true effect.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from analyzer.demo.clock import DEMO_START
from analyzer.demo.people import REPOS, Person
from analyzer.fakegithub.model import PullRequest
from analyzer.frames.paths import compile_globs
from analyzer.scores.exposure import DEFAULT_KERNEL, DEFAULT_TAU_DAYS, Kernel, exposure_at, is_recent
from analyzer.scores.options import ScoringOptions

BUSY_SD = 0.15  # log-scale spread of the (repository, month) factor: some months are busier than others
BUSY_BOUNDS = (0.75, 1.3)
MONTHS = 40  # more than the window needs (incremental updates and shifted clocks included)
HUMAN_ROLES_OUT = ("bot", "service", "ghost")  # authors whose docs do not count (bots; deleted accounts)
# doc files as the scoring's default classification (frames: doc globs, generated files excluded)
_DOCS, _GENERATED = compile_globs(ScoringOptions.doc_globs), compile_globs(ScoringOptions.generated_globs)


def is_doc(path: str) -> bool:
    """A documentation file, as the frames classify it with the default options."""
    generated = _GENERATED is not None and _GENERATED.match(path) is not None
    return _DOCS is not None and _DOCS.match(path) is not None and not generated


def _days(moment: datetime) -> float:
    return (moment - DEMO_START).total_seconds() / 86_400


@dataclass
class Causal:
    """The causal state while an org is built: busy months and who reviewed whom, when."""

    busy: dict[tuple[str, int], float]
    effects: dict[str, float]  # login -> planted effect (people with a non-zero effect only)
    reviewed: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # author -> (reviewer, day)
    # (repo, doc path) -> (writer, merge day, PR number) of each merged human PR that changed it
    written: dict[tuple[str, str], list[tuple[str, float, int]]] = field(default_factory=dict)
    kernel: Kernel = DEFAULT_KERNEL  # the exposure the effects are planted on (the model's default)

    def exposure(self, author: str, person: str, moment: datetime, repo: str = "", paths: Iterable[str] = ()) -> float:
        """The author's exposure to ``person`` at ``moment``: their reviews of the author's PRs, and their
        recent writes of the doc files among ``paths`` (one per writing PR) of a PR in ``repo``."""
        now = _days(moment)
        times = [day for who, day in self.reviewed.get(author, ()) if who == person]
        if author != person:
            writes = {
                (number, day)
                for path in paths
                if is_doc(path)
                for who, day, number in self.written.get((repo, path), ())
                if who == person and is_recent(now, day)
            }
            times += [day for _, day in writes]
        return exposure_at(now, times, DEFAULT_TAU_DAYS, self.kernel)

    def rounds_factor(self, author: Person, repo: str, moment: datetime, paths: Iterable[str] = ()) -> float:
        """The PR's rounds factor; ``paths``: the files it changes (for the docs channel)."""
        if author.role in ("bot", "service"):
            return 1.0
        month = max(0, int(_days(moment) // 30.44))
        factor = author.skill * self.busy.get((repo, month), 1.0)
        paths = tuple(paths)
        for login, effect in self.effects.items():
            exposure = self.exposure(author.login, login, moment, repo, paths)
            if exposure > 0:
                factor *= (1.0 + effect) ** exposure
        return factor

    def record(self, author: Person, first_reviews: dict[str, datetime], pr: PullRequest | None = None) -> None:
        """The first review of each reviewer on one of ``author``'s PRs (an interaction); with ``pr``, a
        merged PR by a human also writes the doc files it changes (the docs channel)."""
        mine = self.reviewed.setdefault(author.login, [])
        mine.extend((login, _days(at)) for login, at in first_reviews.items())
        if pr is None or pr.merged_at is None or author.role in HUMAN_ROLES_OUT:
            return
        for path in {f.path for f in pr.files if is_doc(f.path)}:
            self.written.setdefault((pr.repo, path), []).append((author.login, _days(pr.merged_at), pr.number))


def make_causal(seed: int, roster: list[Person], kernel: Kernel = DEFAULT_KERNEL) -> Causal:
    """Busy months from their own seeded stream (so they do not shift the rest of the generation)."""
    rng = random.Random(f"busy-months-{seed}")
    busy = {
        (repo, month): min(max(math.exp(rng.gauss(0.0, BUSY_SD)), BUSY_BOUNDS[0]), BUSY_BOUNDS[1])
        for repo in REPOS
        for month in range(MONTHS)
    }
    return Causal(busy, {p.login: p.uplift for p in roster if p.uplift != 0.0}, kernel=kernel)


def copies(rng: random.Random, factor: float) -> int:
    """How many times one round event happens under rounds factor ``factor`` (mean exactly ``factor``)."""
    whole = math.floor(factor)
    return whole + (1 if rng.random() < factor - whole else 0)
