"""How precise the multiplier-effect claims were on orgs with known effects: the figures of the simulation
study (``benchmarks/uplift_validity.py``; docs/methodology.md, "Validation" and "Power at the demo's size").

Declared once: the report states them beside every person's multiplier section and on its methodology
page (``statement``), and the benchmark prints them beside its fresh figures, so a rerun that moves them
shows what to update here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StudyFigures:
    """One run of the simulation study (the model's fit, FAB intervals, review rounds)."""

    orgs: int  # seeded demo orgs, 0.5 to 3 times the demo's size, planted effects 10-30 %
    false_credit: float  # share of people with no effect whose 90 % interval excludes zero
    coverage: float  # share of everyone's true effect inside their 90 % interval
    power_demo: float  # a planted 20 % effect credited with its sign, orgs of the demo's size
    power_larger: float  # the same at 1.5 times the demo's size
    demo_size: str  # the demo's size in words
    measured: str  # when and by which command


MEASURED = StudyFigures(
    orgs=200,
    false_credit=0.096,
    coverage=0.906,
    power_demo=0.750,
    power_larger=0.896,
    demo_size="about 40 people and 1,200 merged pull requests over 18 months",
    measured="2026-12-02, nice python benchmarks/uplift_validity.py --orgs 200 --workers 2",
)


def _pct(share: float) -> str:
    return f"{share * 100:.0f} %"


def statement(figures: StudyFigures = MEASURED) -> str:
    """The study's figures in plain words, for the report."""
    return (
        f"How precise this is: in {figures.orgs} simulated orgs with known effects, people with no effect were "
        f"credited {_pct(figures.false_credit)} of the time and the 90 % intervals held the true effect "
        f"{_pct(figures.coverage)} of the time; a true 20 % change was found {_pct(figures.power_demo)} of the "
        f"time in an org of {figures.demo_size} ({_pct(figures.power_larger)} at one and a half times that). "
        '"No detectable effect" is not "no effect".'
    )
