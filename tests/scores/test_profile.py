"""Multiplier profile (§6): team z-scores, weights, >= 3 families rule and interval propagation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyzer.scores.options import ScoringOptions
from analyzer.scores.profile import multiplier_scores
from analyzer.scores.stats import Z90, family_rows


def families() -> pd.DataFrame:
    people = ["p0", "p1", "p2"]
    est = np.array([0.0, 1.0, 2.0])
    return pd.concat(
        [
            # considerate: intervals +/- 1.6449*0.5 -> se 0.5 on the z scale (team sd = 1)
            family_rows(
                people, "considerate", est, est - Z90 * 0.5, est + Z90 * 0.5, est, [30] * 3, 20, "s", True
            ),
            family_rows(
                people, "thoroughness", est[::-1], est[::-1], est[::-1], est, [30] * 3, 10, "s", True
            ),
            family_rows(people, "mentoring_reach", est, np.nan, np.nan, est, [1] * 3, 0, "n", True),
            # docs only for p0 and p1 with too few samples: status insufficient -> ignored
            family_rows(people[:2], "docs_upkeep", [0.1, 0.9], 0, 1, [0.1, 0.9], [2, 2], 10, "s", True),
            # ci only for p2: a single ok person cannot be standardised
            family_rows(["p2"], "ci_hours_saved", [5.0], [1.0], [9.0], [1.0], [1], 1, "h", True),
        ],
        ignore_index=True,
    )


def test_composite_equal_weights_by_hand() -> None:
    out = multiplier_scores(families(), ScoringOptions()).set_index("person")
    # z: empathy [-1, 0, 1], thoroughness [1, 0, -1] (reversed estimates), mentoring [-1, 0, 1]
    # p0 = (-1 + 1 - 1)/3 = -1/3; p2 = +1/3
    assert out.loc["p0", "estimate"] == pytest.approx(-1 / 3)
    assert out.loc["p2", "estimate"] == pytest.approx(1 / 3)
    assert (out["n"] == 3).all() and (out["status"] == "ok").all()
    # se_C = sqrt(0.5^2)/3 = 0.16667 -> half-width 1.6449*0.16667 = 0.27415
    assert out.loc["p0", "hi"] - out.loc["p0", "estimate"] == pytest.approx(Z90 * 0.5 / 3)


def test_composite_respects_weights_and_minimum_families() -> None:
    opts = ScoringOptions(
        weights={"empathy": 2.0, "thoroughness": 1.0, "mentoring": 1.0, "docs": 1.0, "ci": 1.0}
    )
    out = multiplier_scores(families(), opts).set_index("person")
    # p0 = (2*-1 + 1*1 + 1*-1)/4 = -0.5
    assert out.loc["p0", "estimate"] == pytest.approx(-0.5)
    fewer = families().query("family != 'mentoring_reach'")
    out2 = multiplier_scores(fewer, ScoringOptions()).set_index("person")
    assert (out2["status"] == "insufficient").all() and out2["estimate"].isna().all()
