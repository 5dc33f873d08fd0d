"""The uplift model's cells of time effects (``UpliftSettings.time_effects``): repository x month by
default, and the coarser choices the notebook and the validity study compare it with."""

from __future__ import annotations

import pandas as pd
import pytest

from analyzer.scores.uplift import TIME_EFFECTS, time_cells

PRS = pd.DataFrame(
    {
        "repo": ["api", "api", "api", "web", "web"],
        "created_at": pd.to_datetime(
            ["2026-01-05", "2026-01-30", "2026-02-02", "2026-01-05", "2026-04-01"], utc=True
        ),
    }
)
# which PR rows share a cell, per choice
EXPECTED = {
    "repo_month": [0, 0, 1, 2, 3],
    "repo_quarter": [0, 0, 0, 1, 2],
    "month": [0, 0, 1, 0, 2],
    "repo": [0, 0, 0, 1, 1],
}


@pytest.mark.parametrize("choice", TIME_EFFECTS)
def test_each_choice_of_time_effects_groups_the_prs_it_names(choice: str) -> None:
    assert time_cells(PRS, choice).tolist() == EXPECTED[choice]  # type: ignore[arg-type]


def test_an_empty_window_has_no_cells() -> None:
    empty = pd.DataFrame({"repo": pd.Series([], dtype=object), "created_at": pd.Series([], dtype=object)})
    assert all(len(time_cells(empty, choice)) == 0 for choice in TIME_EFFECTS)
