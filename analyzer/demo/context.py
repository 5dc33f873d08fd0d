"""Shared state while one demo org is being generated (or mutated)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from analyzer.demo.causal import Causal
from analyzer.demo.ids import Ids
from analyzer.demo.people import Person
from analyzer.demo.plans import CiChange
from analyzer.fakegithub.model import Commit, OrgModel


@dataclass
class BuildContext:
    model: OrgModel
    rng: random.Random
    ids: Ids
    people: dict[str, Person]
    horizon: datetime  # nothing may happen after this instant
    next_number: dict[str, int] = field(default_factory=dict)
    landed: dict[str, list[Commit]] = field(default_factory=dict)  # commits that reach each default branch
    pr_bases: list[tuple[Commit, datetime]] = field(default_factory=list)  # first PR commit, branch time
    ci_changes: list[CiChange] = field(default_factory=list)
    causal: Causal | None = None  # the rounds knobs (None: every PR has the baseline rounds)
    draft_rng: random.Random | None = None  # draws for drafts marked ready later (None: no drafts; demo/drafts.py)

    def take_number(self, repo: str) -> int:
        number = self.next_number.get(repo, 1)
        self.next_number[repo] = number + 1 + (1 if self.rng.random() < 0.15 else 0)  # issues share numbers
        return number

    def add_commit(self, commit: Commit) -> None:
        self.model.commits[(commit.repo, commit.sha)] = commit


def login_of(person: Person) -> str | None:
    """The login shown on this person's content; None for a deleted ("ghost") account."""
    return None if person.role == "ghost" else person.login
