"""``generate_org``: the seeded demo organisation used by ``analyzer demo``, the tests and the benchmarks.

Same seed and scale give an identical model: only ``random.Random(seed)`` is used, nothing iterates a
set or reads the clock. Scale 1.0 is about 1,500 PRs; 0.05 is a tiny org that still holds every trait.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from analyzer.demo.association import assign_associations
from analyzer.demo.branch import direct_push, finalize_history, random_pushes, root_commits
from analyzer.demo.causal import make_causal
from analyzer.demo.ci import all_run_specs, generate_runs, make_workflows
from analyzer.demo.clock import DEMO_NOW, DEMO_START, day
from analyzer.demo.context import BuildContext
from analyzer.demo.drafts import draft_stream
from analyzer.demo.ids import IdAllocator
from analyzer.demo.layouts import LAYOUTS
from analyzer.demo.people import REPOS, Person, build_roster, by_login
from analyzer.demo.plans import CiChange, random_plans
from analyzer.demo.pr_builder import build_pr
from analyzer.demo.scripted import CI_IMPROVER_CHANGES, SCRIPTED_PUSHES, scripted_plans
from analyzer.demo.shift import shift_model
from analyzer.errors import ConfigError
from analyzer.fakegithub.model import OrgModel, Repo, Trait, User

PRS_AT_SCALE_1 = 1500
PUSHES_AT_SCALE_1 = 170


def _users(ctx: BuildContext, roster: list[Person]) -> None:
    for person in roster:
        created = person.joined - timedelta(days=ctx.rng.randint(200, 3000))
        ctx.model.users[person.login] = User(
            id=ctx.ids.take("user"),
            login=person.login,
            name=person.name,
            email=person.email,
            type=person.user_type,
            deleted=person.role == "ghost",
            created_at=created,
            via_app=person.via_app,
        )
    ctx.model.members = [p.login for p in roster if p.member_at(DEMO_NOW - timedelta(seconds=1))]


def _repos(ctx: BuildContext) -> None:
    for index, name in enumerate(REPOS):
        layout = LAYOUTS[name]
        created = DEMO_START - timedelta(days=400 - 30 * index)
        ctx.model.repos[name] = Repo(
            id=ctx.ids.take("repo"),
            name=name,
            description=layout.description,
            created_at=created,
            pushed_at=created,
            updated_at=created,
            language=layout.language,
        )


def _scripted_pushes(ctx: BuildContext) -> None:
    for repo, login, offset, paths, message, factor in SCRIPTED_PUSHES:
        commit = direct_push(ctx, repo, ctx.people[login], day(offset), list(paths), message)
        if factor is not None:
            ctx.ci_changes.append(CiChange(repo, paths[0], login, factor, at=commit.committed_at, label="caching"))


def _traits(ctx: BuildContext, roster: list[Person]) -> list[Trait]:
    traits: list[Trait] = []
    for person in roster:
        if person.trait is None:
            continue
        note = person.note
        if person.trait == "ci_improver":
            note += "; repos: " + ", ".join(repo for repo, *_ in CI_IMPROVER_CHANGES) + ", auth-lib (lint)"
        traits.append(Trait(person.login, person.trait, note))
    for person in roster:
        if person.uplift_trait is not None:
            traits.append(Trait(person.login, person.uplift_trait, _UPLIFT_NOTES[person.uplift_trait], person.uplift))
    return traits


_UPLIFT_NOTES = {
    "uplift_improver": (
        "authors who worked with them (their reviews, or docs they wrote) need 20 % fewer review rounds "
        "in the following three months"
    ),
    "uplift_worsener": (
        "authors who worked with them (their reviews, or docs they wrote) need 20 % more review rounds "
        "in the following three months"
    ),
    "uplift_busy_null": "reviews a lot, with no effect on the later review rounds of the people reviewed",
    "uplift_confounded": "is only given the strongest authors: looks good naively, has no effect",
}


def generate_org(seed: int = 7, scale: float = 1.0, now: datetime | None = None) -> OrgModel:
    """A realistic GitHub org: ~40 people, 8 repos, ``1500 * scale`` PRs over the 18 months before ``now``."""
    if not 0 < scale <= 20:
        raise ConfigError(f"demo scale must be in (0, 20], got {scale}; use 1.0 for the standard demo")
    rng = random.Random(seed)
    model = OrgModel(login="acme-labs", id=9_100_000, name="Acme Labs", created_at=DEMO_START - timedelta(days=1200))
    roster = build_roster()
    ctx = BuildContext(model, rng, IdAllocator(rng), by_login(roster), horizon=DEMO_NOW)
    ctx.causal = make_causal(seed, roster)
    ctx.draft_rng = draft_stream(seed)
    _users(ctx, roster)
    _repos(ctx)
    root_commits(ctx, ctx.people["mlindqvist"])
    plans = scripted_plans(ctx.people)
    wanted = max(round(PRS_AT_SCALE_1 * scale) - len(plans), 0)
    plans += random_plans(rng, roster, wanted, DEMO_START + timedelta(days=2), DEMO_NOW - timedelta(hours=2))
    plans.sort(key=lambda p: p.created_at)
    for plan in plans:
        build_pr(ctx, plan)
    _scripted_pushes(ctx)
    random_pushes(ctx, roster, round(PUSHES_AT_SCALE_1 * scale))
    finalize_history(ctx)
    assign_associations(model, ctx.people)
    model.traits = _traits(ctx, roster)
    flows = make_workflows(ctx)
    generate_runs(ctx, flows, all_run_specs(ctx, flows, every_days=7 if scale >= 0.5 else 14))
    if now is not None and now != DEMO_NOW:
        shift_model(model, now - DEMO_NOW)
    return model
