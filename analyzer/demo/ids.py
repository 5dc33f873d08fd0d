"""Id and sha allocation: GitHub-looking, unique per entity kind, reproducible from the seed."""

from __future__ import annotations

import random
from typing import Protocol

# Starting points chosen to look like real database ids of a mature GitHub installation.
_ID_BASES: dict[str, int] = {
    "user": 5_100_000,
    "repo": 410_000_000,
    "pull": 1_900_000_000,
    "review": 2_300_000_000,
    "thread": 1_500_000_000,
    "review_comment": 1_600_000_000,
    "issue_comment": 2_100_000_000,
    "workflow": 61_000_000,
    "run": 9_800_000_000,
}


class Ids(Protocol):
    """Where builders get fresh ids and shas (the generator's allocator, or the model itself)."""

    def take(self, kind: str) -> int: ...

    def sha(self) -> str: ...


class IdAllocator:
    """Hands out increasing ids per kind with small random gaps, and 40-hex commit shas."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next = dict(_ID_BASES)
        self._shas: set[str] = set()

    def take(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1 + int(self._rng.random() * 3)
        return value

    def sha(self) -> str:
        while True:
            value = f"{self._rng.getrandbits(160):040x}"
            if value not in self._shas:
                self._shas.add(value)
                return value
