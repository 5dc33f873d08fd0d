"""Realistic unified diffs for the demo's PR files, with the commentable lines they contain.

A ``FileDiff`` is a ``PRFile`` plus its ``Anchor``s: added lines a reviewer can comment on, each with
the identifiers on that line and the ``diff_hunk`` GitHub would show (hunk header up to that line).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from analyzer.demo.texts.authoring import DOC_PROSE, TOPICS
from analyzer.fakegithub.model import FileChange, PRFile

PATCH_LIMIT = 600  # GitHub leaves out the patch of very large file diffs; so do we
HUNK_CHANGES = 18  # changed lines per hunk before a new hunk starts

VERBS = (
    "fetch",
    "parse",
    "build",
    "validate",
    "resolve",
    "load",
    "render",
    "sync",
    "merge",
    "compute",
    "apply",
    "refresh",
    "encode",
    "flush",
    "retry",
    "schedule",
    "collect",
    "normalize",
)
NOUNS = (
    "invoice",
    "account",
    "token",
    "session",
    "ledger",
    "payload",
    "cursor",
    "batch",
    "schema",
    "quota",
    "tenant",
    "webhook",
    "record",
    "window",
    "backoff",
    "checkpoint",
    "manifest",
    "claims",
)

_LINES: dict[str, tuple[str, ...]] = {
    "py": (
        "    %A = %F(%B)",
        "    if not %A:",
        "        return None",
        "    return %F(%A, %B)",
        "    %A.append(%B)",
        "    for item in %A:",
        "        %F(item)",
        '    logger.debug("%F: %s", %B)',
        "    %A = %B or DEFAULT_%C",
        '    raise %CError(f"cannot %F {%B}")',
        "def %F(%A, %B=None):",
        "    %A: list[str] = []",
        "    with %F(%B) as %A:",
        "    assert %A is not None",
    ),
    "ts": (
        "  const %A = await %F(%B);",
        "  if (!%A) {",
        "    return undefined;",
        "  }",
        "  return %F(%A, %B);",
        "  %A.push(%B);",
        "  for (const item of %A) {",
        "export function %F(%A: string[]): number {",
        "  const %A = %B ?? DEFAULT_%C;",
        "  throw new %CError(`cannot %F`);",
        "  logger.debug('%F', %B);",
        "  let %A = 0;",
    ),
    "go": (
        "\t%A, err := %F(ctx, %B)",
        "\tif err != nil {",
        '\t\treturn nil, fmt.Errorf("%F: %w", err)',
        "\t}",
        "\treturn %A, nil",
        "func %F(ctx context.Context, %B string) (*%C, error) {",
        "\t%A = append(%A, %B)",
        "\tfor _, item := range %A {",
        '\tlog.Debug("%F", "value", %B)',
        "\tdefer %A.Close()",
    ),
    "tf": (
        "  %A = var.%B",
        'resource "aws_%B" "%A" {',
        "  tags = local.%C_tags",
        '  name = "${var.env}-%A"',
        "}",
        "  count = var.%B_count",
        'module "%A" {',
    ),
    "yml": (
        "      - uses: actions/checkout@v4",
        "      - uses: actions/cache@v4",
        "        with:",
        "          path: ~/.cache/%A",
        "          key: ${{ runner.os }}-%A-${{ hashFiles('%B') }}",
        "      - run: make test SHARD=${{ matrix.shard }}",
        "    strategy:",
        "      matrix:",
        "        shard: [1, 2, 3, 4]",
        "    timeout-minutes: 20",
        "      - run: make %A",
    ),
    "lock": ('name = "%A"', 'version = "1.%N.0"', 'checksum = "sha256:%A%B"', "[[package]]"),
}


@dataclass
class Anchor:
    """An added (or removed) line a reviewer can comment on."""

    path: str
    line: int
    text: str
    idents: tuple[str, ...]
    hunk_lines: list[str]  # shared with the other anchors of the hunk; joined only when needed
    upto: int  # index of this line in ``hunk_lines``

    @property
    def diff_hunk(self) -> str:
        """What GitHub shows with an inline comment: the hunk from its header down to the line."""
        return "\n".join(self.hunk_lines[: self.upto + 1])


@dataclass
class FileDiff:
    file: PRFile
    idents: tuple[str, ...]
    anchors: list[Anchor] = field(default_factory=list)


def _kind_of(path: str) -> str:
    for suffix, kind in (
        (".py", "py"),
        (".ts", "ts"),
        (".go", "go"),
        (".tf", "tf"),
        (".yml", "yml"),
        (".md", "md"),
    ):
        if path.endswith(suffix):
            return kind
    return "lock"


def make_idents(rng: random.Random, kind: str) -> tuple[str, ...]:
    """Four identifiers in the naming convention of ``kind``: function, variable, argument, type stem."""
    verb, noun, noun2 = rng.choice(VERBS), rng.choice(NOUNS), rng.choice(NOUNS)
    if kind == "ts":
        return f"{verb}{noun.title()}", f"{noun}s", f"{noun2}Id", noun.title()
    if kind == "go":
        return f"{verb.title()}{noun.title()}", f"{noun}s", f"{noun2}ID", noun.title()
    return f"{verb}_{noun}", f"{noun}s", f"{noun2}_id", noun.title()


def _code_line(rng: random.Random, kind: str, idents: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    if kind == "md":
        text = rng.choice(DOC_PROSE).format(ident=idents[0], topic=rng.choice(TOPICS))
        return text, idents[:1]
    func, var, arg, typ = idents
    template = rng.choice(_LINES[kind])
    text = (
        template.replace("%F", func)
        .replace("%A", var)
        .replace("%B", arg)
        .replace("%C", typ)
        .replace("%N", str(rng.randrange(30)))
    )
    used = tuple(i for i, marker in zip(idents, ("%F", "%A", "%B", "%C"), strict=True) if marker in template)
    return text, used or idents[:1]


Line = tuple[str, tuple[str, ...]]


def _line_pool(rng: random.Random, kind: str, idents: tuple[str, ...], changed: int) -> list[Line]:
    """A file's vocabulary of lines; hunks draw from it so big diffs stay cheap to generate."""
    return [_code_line(rng, kind, idents) for _ in range(min(16, changed // 3 + 4))]


def _hunk(
    rng: random.Random,
    pool: list[Line],
    old_start: int,
    new_start: int,
    adds: int,
    dels: int,
    path: str,
    anchors: list[Anchor],
    enclosing: str,
) -> tuple[list[str], int, int]:
    """One hunk: header, context, removed and added lines. Returns lines and old/new line counts."""
    context = 0 if old_start == 0 else 3
    size = len(pool)
    draw = rng.random
    body = [" " + pool[int(draw() * size)][0] for _ in range(context)]
    body += ["-" + pool[int(draw() * size)][0] for _ in range(dels)]
    first_added = len(body)
    added = [pool[int(draw() * size)] for _ in range(adds)]
    body += ["+" + text for text, _ in added]
    body += [" " + pool[int(draw() * size)][0] for _ in range(context)]
    old_len, new_len = dels + 2 * context, adds + 2 * context
    lines = [f"@@ -{old_start},{old_len} +{new_start},{new_len} @@{enclosing}", *body]
    step = max(adds // 12, 1)  # a dozen commentable lines per hunk is plenty
    for offset in range(0, adds, step):
        text, used = added[offset]
        if text.strip() not in ("}", ""):
            anchors.append(Anchor(path, new_start + context + offset, text, used, lines, first_added + offset + 1))
    return lines, old_len, new_len


def make_file_diff(
    rng: random.Random,
    path: str,
    additions: int,
    deletions: int,
    change_type: FileChange = "modified",
    idents: tuple[str, ...] | None = None,
) -> FileDiff:
    """A ``PRFile`` whose patch really has ``additions``/``deletions`` lines (unless it is too large)."""
    kind = _kind_of(path)
    idents = idents or make_idents(rng, kind)
    if change_type == "added":
        deletions = 0
    if additions + deletions > PATCH_LIMIT:
        return FileDiff(PRFile(path, additions, deletions, change_type, None), idents)
    anchors: list[Anchor] = []
    lines: list[str] = []
    pool = _line_pool(rng, kind, idents, additions + deletions)
    enclosing = f" def {idents[0]}" if kind == "py" else ""
    old_pos = 0 if change_type == "added" else rng.randrange(5, 120)
    new_pos = 1 if change_type == "added" else old_pos
    adds_left, dels_left = additions, deletions
    while adds_left > 0 or dels_left > 0:
        adds = adds_left if change_type == "added" else min(adds_left, rng.randrange(1, HUNK_CHANGES))
        dels = min(dels_left, rng.randrange(0, HUNK_CHANGES // 2 + 1)) if adds_left else dels_left
        hunk, old_len, new_len = _hunk(rng, pool, old_pos, new_pos, adds, dels, path, anchors, enclosing)
        lines.extend(hunk)
        adds_left, dels_left = adds_left - adds, dels_left - dels
        gap = rng.randrange(8, 60)
        old_pos, new_pos = old_pos + old_len + gap, new_pos + new_len + gap
    patch = "\n".join(lines)
    return FileDiff(PRFile(path, additions, deletions, change_type, patch), idents, anchors)


def followup_patch(rng: random.Random, anchor: Anchor) -> PRFile:
    """A small later change that rewrites the commented line: how "feedback landed" is detectable."""
    kind = _kind_of(anchor.path)
    idents = anchor.idents + make_idents(rng, kind)[len(anchor.idents) :]
    new_text = _code_line(rng, kind, idents)[0] if kind != "md" else anchor.text + " (updated)"
    before, after_1, after_2 = (_code_line(rng, kind, idents)[0] for _ in range(3))
    start = max(anchor.line - 1, 1)
    patch = f"@@ -{start},4 +{start},4 @@\n {before}\n-{anchor.text}\n+{new_text}\n {after_1}\n {after_2}"
    return PRFile(anchor.path, 1, 1, "modified", patch)


def anchors_from_patch(path: str, patch: str | None) -> list[Anchor]:
    """The added lines of an existing patch as anchors (to comment on PRs built earlier)."""
    if not patch:
        return []
    anchors: list[Anchor] = []
    hunk: list[str] = []
    new_no = 0
    for raw in patch.split("\n"):
        if raw.startswith("@@"):
            hunk = [raw]
            new_no = int(raw.split("+", 1)[1].split(",", 1)[0].split(" ", 1)[0])
            continue
        hunk.append(raw)
        if raw.startswith("+"):
            words = tuple(w for w in _WORD.findall(raw) if "_" in w or any(c.isupper() for c in w[1:]))
            anchors.append(Anchor(path, new_no, raw[1:], words[:2] or ("value",), hunk, len(hunk) - 1))
        if not raw.startswith("-"):
            new_no += 1
    return anchors


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
