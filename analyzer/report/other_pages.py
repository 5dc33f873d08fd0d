"""Methodology and bots pages."""

from __future__ import annotations

from typing import Any

from analyzer.report.fmt import count
from analyzer.report.html import Markup, el
from analyzer.report.inputs import text
from analyzer.report.labels import family, family_label, family_order, ordered_families
from analyzer.report.model import ReportData, window_of
from analyzer.scores import methodology as recorded
from analyzer.scores.families import minimums
from analyzer.scores.uplift_precision import statement as uplift_precision

CAVEATS = [
    "These numbers describe patterns in review, docs and CI work; they are not a measure of a person's worth "
    "or performance, and must not be used to rank people or as a target (Goodhart's law).",
    "Every per-person number is shrunk toward the team and shown with a 90 % interval and its n. "
    "Below the minimum sample the report says 'insufficient data' instead of guessing.",
    "No leaderboard: distributions are ordered by name, and no percentile ranks are shown. "
    "A person is marked better or less favourable than the team typical (the median person's estimate, "
    "the one reference used on every page) only when their whole 90 % interval lies on one side of it, "
    "in a group of at least the minimum group size.",
    "Tone is judged from English prose only, with code, quotes and templates removed; technical "
    "directness is not harshness, but the classifier can still be wrong: read the evidence.",
    "Work that leaves no trace on GitHub (pairing, calls, chat, design docs elsewhere) is invisible here.",
    "CI credit is an estimate of a before/after shift; concurrent changes and load changes can bias it.",
]


def _harsh_flag_precision() -> str:
    """How precise the harsh flag was on labelled comments it never saw (issue 12; the weights in use)."""
    from analyzer.scores.comments import active_models, harsh_flag_statement

    return harsh_flag_statement(active_models())


def _uplift_precision() -> str:
    """How precise the multiplier effects were on simulated orgs with known effects (issue 13)."""
    return "Multiplier effects. " + uplift_precision()


def recorded_values(meta: dict[str, Any]) -> dict[str, Any]:
    """The options the scoring run recorded (meta["options"], by ScoringOptions field name); a store
    scored before an option was recorded gets that option's default."""
    options = meta.get("options")
    return recorded.option_values(options if isinstance(options, dict) else None)


def load_methodology(methodology: dict[str, Any] | None, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """Formulas and deviations: given explicitly, else filled with the options the scoring run recorded
    in ``meta`` (so the page states the minimums and limits the scores were computed with)."""
    if methodology is not None:
        return methodology
    values = recorded_values(meta or {})
    return {"formulas": recorded.formulas(values), "deviations": recorded.deviations(values)}


def _kv_table(pairs: list[tuple[str, str]], heads: tuple[str, str]) -> Markup:
    return el(
        "table",
        {"class": "data"},
        el("thead", None, el("tr", None, el("th", None, heads[0]), el("th", None, heads[1]))),
        el("tbody", None, [el("tr", None, el("td", None, k), el("td", None, v)) for k, v in pairs]),
    )


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} = {_flat(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value)
    return text(value)


def _key_note(data: ReportData) -> str:
    if not data.pseudo.stable:
        return ("The pseudonyms come from a random key made for the run that built this report: other "
                "runs give other pseudonyms, and nobody can recompute them.")
    return (f"The pseudonyms come from a keyed hash under this organisation's secret key (key id "
            f"{data.pseudo.key_id}), kept outside this report: they are stable only under that key (reports "
            "with the same key id use the same pseudonyms), and without the key nobody can recompute them "
            "from logins.")


# Names for the methodology's building blocks (declared with their formulas) and the multiplier's CI group.
TERMS: dict[str, str] = {**recorded.TITLES, "ci": "CI"}


def term_label(key: str) -> str:
    return TERMS.get(key) or family_label(key)


def _formula_block(key: str, formula: str, minimum: Any) -> Markup:
    extras = []
    if minimum not in (None, "–"):
        extras.append(f"Shown from a sample of {' '.join(filter(None, (_flat(minimum), family(key).n_unit)))}.")
    return el(
        "div",
        {"class": "formula", "data-term": key},
        el("h3", None, term_label(key)),
        el("p", None, formula or "No formula given."),
        el("p", {"class": "note"}, " ".join(extras)) if extras else None,
    )


def methodology_page(data: ReportData, methodology: dict[str, Any]) -> Markup:
    meta = data.meta
    formulas = {text(k): text(v) for k, v in dict(methodology.get("formulas", {})).items()}
    # under pseudonymization configured aliases and bot logins are counted, not listed (they name people)
    options = data.pseudo.options(meta["options"]) if isinstance(meta.get("options"), dict) else {}
    weights = options.pop("weights", {}) if isinstance(options.get("weights"), dict) else {}
    # the smallest n each family is shown at, from the options the scoring run recorded
    shown_from = minimums(recorded_values(meta))
    fams = ordered_families(set(formulas))
    order = family_order()
    known = [f for f in fams if f in order]
    terms = [f for f in fams if f not in order]
    # weights of the multiplier's groups of families (empathy, docs, ...): a group's weight, not a family's,
    # even where a group and a family share a name (thoroughness)
    groups = sorted(weights)
    excluded = meta.get("excluded", {})
    excluded_pairs = (
        [(text(k).replace("_", " "), _flat(v)) for k, v in sorted(dict(excluded).items())]
        if isinstance(excluded, dict)
        else []
    )
    deviations = [text(d) for d in methodology.get("deviations", [])]
    body = [
        el("h1", None, "Methodology"),
        el("h2", None, "Data window"),
        _kv_table(
            [(k, v) for k, v in window_of(meta).items()]
            + [("report generated for", text(meta.get("now", "")))],
            ("", ""),
        ),
        el("h2", None, "Newcomers"),
        el("p", None, data.newcomer_rule),
        el("h2", None, "How each number is computed"),
        el(
            "p",
            {"class": "intro"},
            "Each score family, its weight in the overall multiplier and the smallest sample it is shown "
            "for; then the building blocks the families use.",
        )
        if fams
        else el("p", {"class": "muted"}, "The scoring module did not provide formulas."),
        [_formula_block(f, formulas.get(f, ""), shown_from.get(f, "–")) for f in known],
        el(
            "p",
            None,
            "Weights of the groups in the overall multiplier: "
            + ", ".join(f"{TERMS.get(g, g.replace('_', ' '))} {_flat(weights[g])}" for g in groups)
            + ".",
        )
        if groups
        else None,
        el("h2", None, "Building blocks") if terms else None,
        [_formula_block(f, formulas.get(f, ""), "–") for f in terms],
        el("h2", None, "Other options"),
        _kv_table([(text(k).replace("_", " "), _flat(v)) for k, v in sorted(options.items())], ("option", "value")),
        el("h2", None, "What was excluded"),
        _kv_table(excluded_pairs, ("what", "count")),
        el("h2", None, "Data completeness"),
        completeness(data),
        el(
            "p",
            None,
            recorded.EXCLUSIONS,
        ),
        el("h2", None, "Simplifications and known limits"),
        el("ul", None, [el("li", None, d) for d in deviations])
        if deviations
        else el("p", None, "None listed."),
        el("h2", None, "Privacy"),
        el(
            "p",
            None,
            "Team aggregates are hidden for groups smaller than "
            f"{data.min_group_size} people. "
            + (
                "Logins, alias logins and names are replaced by pseudonyms everywhere, including inside "
                "comment text and repository names; first names used alone, @mentions of anyone and "
                "e-mail addresses are replaced too, and configured aliases and bot logins are counted, "
                "not listed. Links whose address names someone are not shown. Comment links still "
                "point to GitHub, where anyone with access can see the author. Bot accounts keep their "
                "names only when they are apps ('…[bot]') or on the built-in list (dependabot, renovate…): they "
                "are services, not people. "
                + _key_note(data)
                if data.pseudo.enabled
                else "This report shows real logins and names; build it with pseudonymization to share it."
            ),
        ),
        el("h2", None, "Caveats: please read before using any number"),
        el("ul", None, [el("li", None, c) for c in [*CAVEATS, _harsh_flag_precision(), _uplift_precision()]]),
    ]
    return el(
        "section",
        {
            "class": "page",
            "id": "page-methodology",
            "data-page": "methodology",
            "data-expected-charts": 0,
            "hidden": True,
        },
        body,
    )


def completeness(data: ReportData) -> Markup:
    """What GitHub would not give the collector (``collection_gaps``), or that nothing is missing."""
    gaps = data.meta.get("collection_gaps")
    if not isinstance(gaps, list):
        return el("p", {"class": "muted"}, "This store does not record what collection may have missed.")
    if not gaps:
        return el("p", None, "Nothing is missing: every pull request, review and comment GitHub listed for the"
                             " collected repositories was stored.")
    shown = data.pseudo.text if data.pseudo.enabled else str
    rows = [
        el("tr", None, [
            el("td", None, shown(text(g.get("repo")))),
            el("td", None, f"#{g['pr_number']}" if g.get("pr_number") is not None else "–"),
            el("td", None, text(g.get("path")) or "the whole pull request"),
            el("td", None, shown(text(g.get("error")))[:200]),
            el("td", None, text(g.get("recorded_at"))),
        ])
        for g in gaps
        if isinstance(g, dict)
    ]
    return el("div", {"class": "completeness"}, [
        el("p", None, f"GitHub would not give {len(rows)} part(s) of the data; every number in this report is"
                      " computed without them (its n says how much it rests on). The next `analyzer collect`"
                      " asks for them again."),
        el("table", {"class": "kv"}, [
            el("thead", None, el("tr", None, [el("th", None, h) for h in
                                              ("repository", "PR", "part", "GitHub's error", "recorded")])),
            el("tbody", None, rows),
        ]),
    ])


def bots_page(data: ReportData) -> Markup:
    bots = data.f("bots").sort_values("login", kind="stable")
    rows = [
        el(
            "tr",
            None,
            el(
                "td",
                None,
                data.pseudo.login(text(r["login"]))
                if not text(r["login"]).endswith("[bot]")
                else text(r["login"]),
            ),
            el("td", None, data.pseudo.text(text(r["reason"]))),
            el("td", {"class": "num"}, count(r["n_prs"])),
            el("td", {"class": "num"}, count(r["n_comments"])),
            el("td", {"class": "num"}, count(r["n_reviews"])),
        )
        for r in bots.to_dict("records")
    ]
    head = el(
        "tr", None, [el("th", None, h) for h in ("account", "why it is a bot", "PRs", "comments", "reviews")]
    )
    table = (
        el("table", {"class": "data"}, el("thead", None, head), el("tbody", None, rows))
        if rows
        else el("p", {"class": "muted"}, "No bot accounts found.")
    )
    return el(
        "section",
        {"class": "page", "id": "page-bots", "data-page": "bots", "data-expected-charts": 0, "hidden": True},
        el("h1", None, "Bots"),
        el(
            "p",
            {"class": "intro"},
            "Automated accounts are their own group: their "
            "activity is reported here and excluded from "
            "every person's and the team's scores.",
        ),
        table,
    )
