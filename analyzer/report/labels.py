"""Human labels for score families and statuses (one place, shared by pages and figures)."""

from __future__ import annotations

FAMILY_LABELS: dict[str, str] = {
    "considerate": "Considerate delivery",
    "harsh_rate": "Harsh-comment rate",
    "thoroughness": "Review thoroughness",
    "rubber_stamp_rate": "Rubber-stamp rate",
    "useful_rate": "Useful-comment rate",
    "mentoring_reach": "Mentoring reach",
    "breadth": "Review breadth",
    "knowledge_spreading": "Knowledge spreading",
    "mentee_retention": "Mentee retention",
    "mentee_rounds_change": "Mentee review rounds (change)",
    "docs_volume": "Docs volume",
    "docs_upkeep": "Docs upkeep",
    "onboarding_docs": "Onboarding docs",
    "ci_hours_saved": "CI hours saved",
    "multiplier": "Multiplier (composite)",
}
FAMILY_ORDER = list(FAMILY_LABELS)


def family_label(family: str) -> str:
    return FAMILY_LABELS.get(family, family.replace("_", " ").capitalize())


def ordered_families(families: set[str]) -> list[str]:
    """Known families in the spec's order, then unknown ones alphabetically."""
    known = [f for f in FAMILY_ORDER if f in families]
    return known + sorted(families - set(FAMILY_ORDER))
