"""The built-in demo organisation: a seeded, deterministic generator of a realistic GitHub org.

    from analyzer.demo import generate_org, mutate_for_incremental, DEMO_NOW
    model = generate_org(seed=7, scale=1.0)          # ~1,500 PRs over the 18 months before DEMO_NOW
    changes = mutate_for_incremental(model, seed=1, now=DEMO_NOW + timedelta(days=3))

Ground truth about the people built into it is in ``model.traits``; the hostile strings planted in
titles, comments and names are in ``HOSTILE_STRINGS``.
"""

from __future__ import annotations

from analyzer.demo.clock import DEMO_NOW, DEMO_START
from analyzer.demo.generator import generate_org
from analyzer.demo.hostile import HOSTILE_STRINGS
from analyzer.demo.incremental import latest_timestamp, mutate_for_incremental

__all__ = [
    "DEMO_NOW",
    "DEMO_START",
    "HOSTILE_STRINGS",
    "generate_org",
    "latest_timestamp",
    "mutate_for_incremental",
]
