"""The methodology page states what the scoring run used: its minimums and the values in its formulas.

Issue 11's defects: the page's minimum column read options["minimums"], which nothing wrote (so it was
empty everywhere), and the formula text hard-coded "n >= 30", so a changed minimum left the page wrong.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from analyzer.cli import main
from analyzer.demo.clock import DEMO_NOW
from analyzer.report import build_report
from analyzer.report.build import unpack_people
from analyzer.scores.options import ScoringOptions
from analyzer.scores.pipeline import read_scores, score_all
from tests.scores._score_helpers import NOW, frames_of, ic, pr, rc, review, stand_in_scorer

HARSH = "Harsh comments Shrunk rate of harsh comments over the same population."


def methodology_text(report: Path) -> str:
    markup = report.read_text(encoding="utf-8")
    page = markup[markup.index('data-page="methodology"') : markup.index('data-page="bots"')]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def small_report(options: ScoringOptions, out: Path, drop: tuple[str, ...] = ()) -> Path:
    frames = frames_of(
        options,
        prs=[pr(1, "alice", additions=300), pr(2, "bob")],
        review_comments=[rc(10, 1, "bob", "rename this because `x` is unclear")],
        issue_comments=[ic(20, 2, "alice", "thanks for this nice change!")],
        reviews=[review(30, 1, "bob"), review(31, 2, "alice", body="LGTM")],
    )
    scores = score_all(frames, options, scorer=stand_in_scorer)
    recorded = scores.meta["options"]
    assert isinstance(recorded, dict)
    for name in drop:  # as a store scored before the option was recorded
        recorded.pop(name)
    return build_report(scores, out, now=NOW, title="t")


def test_page_prints_the_minimums_and_formula_values_the_run_used(tmp_path: Path) -> None:
    options = ScoringOptions(now=NOW, min_harsh=45, min_considerate=7, min_thoroughness=4, ci_min_runs=12)
    text = methodology_text(small_report(options, tmp_path / "r.html"))
    assert f"{HARSH} Shown at n >= 45. Shown from a sample of 45 comments." in text
    assert "Shown at n >= 7. Shown from a sample of 7 comments." in text
    assert "(shown at >= 4 episodes). Shown from a sample of 4 reviews." in text
    assert "considerate 7, harsh 45, thoroughness 4," in text and "CI 12 runs each side" in text
    assert "extended to >= 12 runs each side" in text
    assert "n >= 30" not in text and "harsh 30" not in text


def test_every_group_weight_is_listed_as_a_group_weight(tmp_path: Path) -> None:
    """Weights belong to the multiplier's groups; the thoroughness group's weight was shown as the
    thoroughness family's and left out of the groups' list."""
    weights = {"empathy": 1.0, "thoroughness": 2.0, "mentoring": 0.5, "docs": 1.0, "ci": 0.0}
    text = methodology_text(small_report(ScoringOptions(now=NOW, weights=weights), tmp_path / "r.html"))
    assert (
        "Weights of the groups in the overall multiplier: CI 0.0, docs 1.0, empathy 1.0, mentoring 0.5, "
        "thoroughness 2.0." in text
    )
    assert "Weight in the overall multiplier" not in text


def test_every_family_with_a_minimum_shows_it(tmp_path: Path) -> None:
    text = methodology_text(small_report(ScoringOptions(now=NOW), tmp_path / "r.html"))
    for shown in (
        "20 comments",
        "30 comments",
        "10 reviews",
        "10 approvals",
        "30 inline comments",
        "8 mentees",
        "10 code changes",
        "3 families",
    ):
        assert f"Shown from a sample of {shown}." in text
    assert "–" not in re.findall(r"Shown from a sample of (\S+)", text)


def test_a_store_scored_before_an_option_was_recorded_gets_its_default(tmp_path: Path) -> None:
    text = methodology_text(small_report(ScoringOptions(now=NOW, min_harsh=45), tmp_path / "r.html", ("min_harsh",)))
    assert f"{HARSH} Shown at n >= 30. Shown from a sample of 30 comments." in text


def test_a_minimum_changed_in_config_toml_reaches_the_page_and_the_insufficient_data_rule(
    demo_store: Path, tmp_path: Path
) -> None:
    """config.toml -> options -> score -> report, through the CLI: someone shown at the default minimum
    falls to "insufficient data" under a higher one, and the page states the new minimum."""
    before = read_scores(demo_store).family_scores
    considerate = before[(before["family"] == "considerate") & (before["status"] == "ok")]
    plain = considerate[considerate["person"].str.fullmatch(r"[a-z0-9-]+")]
    person, n = plain.sort_values(["n", "person"]).iloc[0][["person", "n"]]
    assert n >= 20 and (considerate["n"] > n).any()  # shown under the default, with people above them
    minimum = int(n) + 1

    store = tmp_path / "store.sqlite"
    shutil.copy(demo_store, store)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{store}"\nparquet_dir = "{tmp_path / "scores"}"\nscore_cache = ""\n\n'
        f"[scores]\nmin_comments_considerate = {minimum}\n",
        encoding="utf-8",
    )
    now = ["--now", DEMO_NOW.isoformat(), "--config", str(config), "--quiet"]
    assert main(["score", *now]) == 0
    report = tmp_path / "report.html"
    assert main(["report", *now, "--out", str(report)]) == 0

    after = read_scores(store).family_scores
    row = after[(after["family"] == "considerate") & (after["person"] == person)].iloc[0]
    assert (row["n"], row["min_n"], row["status"]) == (n, minimum, "insufficient")
    still = after[(after["family"] == "considerate") & (after["n"] >= minimum)]
    assert (still["status"] == "ok").all() and len(still) > 0

    text = methodology_text(report)
    assert f"Shown at n >= {minimum}. Shown from a sample of {minimum} comments." in text
    assert f"considerate {minimum}, harsh 30" in text
    page = re.sub(r"<[^>]+>", " ", unpack_people(report.read_text(encoding="utf-8"))[str(person)]["html"])
    assert f"insufficient data (n = {n}, needs {minimum})" in re.sub(r"\s+", " ", page)
