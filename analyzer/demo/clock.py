"""The demo's fixed calendar: a frozen "now", an 18-month window and working-hours helpers.

Nothing here reads the wall clock, so every generation with the same seed yields the same model.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

DEMO_NOW = datetime(2026, 11, 1, 0, 0, 0, tzinfo=UTC)
SPAN_DAYS = 548  # about 18 months of history before DEMO_NOW
DEMO_START = DEMO_NOW - timedelta(days=SPAN_DAYS)


def day(offset: float) -> datetime:
    """The instant ``offset`` days after the start of the demo window."""
    return DEMO_START + timedelta(days=offset)


def working_time(rng: random.Random, lo: datetime, hi: datetime, lean: float = 1.0) -> datetime:
    """A random instant in [lo, hi] on a weekday working hour (mostly); ``lean`` < 1 favours later dates."""
    span = max((hi - lo).total_seconds(), 1.0)
    moment = lo + timedelta(seconds=(rng.random() ** lean) * span)
    if moment.weekday() >= 5 and rng.random() < 0.85:
        moment -= timedelta(days=moment.weekday() - 4)  # people mostly work on weekdays
    hour = int(rng.triangular(7, 19, 13))
    moment = moment.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    if not lo <= moment <= hi:
        moment = (lo + timedelta(seconds=rng.random() * span)).replace(microsecond=0)
    return moment


def after(rng: random.Random, moment: datetime, lo_minutes: float, hi_minutes: float) -> datetime:
    """An instant a log-uniform delay of ``lo_minutes``..``hi_minutes`` after ``moment``, whole seconds."""
    lo = max(lo_minutes, 0.05)
    minutes = lo * (hi_minutes / lo) ** rng.random() if hi_minutes > lo else lo
    return (moment + timedelta(minutes=minutes)).replace(microsecond=0)
