"""Slot filling for the demo's text templates.

Templates are ``str.format`` strings. Slots: ``{ident}`` (an identifier on the commented line),
``{other}`` (another identifier of the same file), ``{file}`` (base name), ``{path}``, ``{n}`` (a small
number), ``{doc}`` (a docs URL), ``{who}`` (a login to mention), ``{sha}`` (short sha), ``{topic}``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

DOC_LINKS: tuple[str, ...] = (
    "https://docs.example.dev/engineering/style-guide#naming",
    "https://docs.example.dev/engineering/style-guide#error-handling",
    "https://docs.example.dev/engineering/testing#fixtures",
    "https://docs.example.dev/engineering/testing#flaky-tests",
    "https://docs.example.dev/engineering/logging",
    "https://docs.example.dev/engineering/review-checklist",
    "https://docs.example.dev/onboarding/getting-started#local-setup",
    "https://docs.example.dev/architecture/retries-and-timeouts",
    "https://docs.example.dev/architecture/data-model",
    "https://docs.python.org/3/library/contextlib.html",
    "https://docs.python.org/3/library/typing.html#typing.Protocol",
    "https://go.dev/doc/effective_go#errors",
    "https://www.typescriptlang.org/docs/handbook/2/narrowing.html",
)


@dataclass(frozen=True)
class Slots:
    ident: str = "value"
    other: str = "config"
    file: str = "module.py"
    path: str = "src/module.py"
    n: int = 3
    doc: str = DOC_LINKS[0]
    who: str = "maintainer"
    sha: str = "abc1234"
    topic: str = "retries"

    def as_dict(self) -> dict[str, object]:
        return {
            "ident": self.ident,
            "other": self.other,
            "file": self.file,
            "path": self.path,
            "n": self.n,
            "doc": self.doc,
            "who": self.who,
            "sha": self.sha,
            "topic": self.topic,
        }


def fill(rng: random.Random, templates: Sequence[str], slots: Slots) -> str:
    return rng.choice(templates).format(**slots.as_dict())
