"""The demo's causal knobs: what drives the review rounds of each PR, with known ground truth.

Every human PR gets a rounds factor m (the expected number of round events, relative to the baseline that
the reviewers' styles and the PR's size produce):

    m = author skill x busy factor of (repository, month) x prod_r (1 + effect_r) ** exposure_r

``exposure_r`` is the author's exposure to person r before the PR, the same quantity the uplift model
estimates on (``analyzer.scores.exposure``), computed from the reviews the generator really submitted:
with the default window kernel, an improver's reviewees need 20 % fewer review rounds on every PR of the
three months after a review by them, as issue 13 describes the effect ("20 % fewer review rounds over the
following months"). (Planted on the decayed kernel, a "20 %" effect meant 13 % just after one review,
fading to 5 % after three months, and 20 % only after several recent reviews.)
``rounds.py`` turns m into events: every changes-requested review and every fix push after review happens
``copies(m)`` times (floor(m) plus one more with probability frac(m)), so the expected review rounds are
exactly m times the baseline. The planted people are in ``model.traits`` with their true effect.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime

from analyzer.demo.clock import DEMO_START
from analyzer.demo.people import REPOS, Person
from analyzer.scores.exposure import DEFAULT_KERNEL, DEFAULT_TAU_DAYS, Kernel, exposure_at

BUSY_SD = 0.15  # log-scale spread of the (repository, month) factor: some months are busier than others
BUSY_BOUNDS = (0.75, 1.3)
MONTHS = 40  # more than the window needs (incremental updates and shifted clocks included)


def _days(moment: datetime) -> float:
    return (moment - DEMO_START).total_seconds() / 86_400


@dataclass
class Causal:
    """The causal state while an org is built: busy months and who reviewed whom, when."""

    busy: dict[tuple[str, int], float]
    effects: dict[str, float]  # login -> planted effect (people with a non-zero effect only)
    reviewed: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # author -> (reviewer, day)
    kernel: Kernel = DEFAULT_KERNEL  # the exposure the effects are planted on (the model's default)

    def exposure(self, author: str, reviewer: str, moment: datetime) -> float:
        times = (day for who, day in self.reviewed.get(author, ()) if who == reviewer)
        return exposure_at(_days(moment), times, DEFAULT_TAU_DAYS, self.kernel)

    def rounds_factor(self, author: Person, repo: str, moment: datetime) -> float:
        if author.role in ("bot", "service"):
            return 1.0
        month = max(0, int(_days(moment) // 30.44))
        factor = author.skill * self.busy.get((repo, month), 1.0)
        for login, effect in self.effects.items():
            exposure = self.exposure(author.login, login, moment)
            if exposure > 0:
                factor *= (1.0 + effect) ** exposure
        return factor

    def record(self, author: Person, first_reviews: dict[str, datetime]) -> None:
        """The first review of each reviewer on one of ``author``'s PRs (an interaction)."""
        mine = self.reviewed.setdefault(author.login, [])
        mine.extend((login, _days(at)) for login, at in first_reviews.items())


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
