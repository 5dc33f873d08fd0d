"""Integer codes for text and id columns, shared by the mentoring modules: matching a few hundred
distinct names as integers instead of merging or grouping million-row text columns."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

TEXT = pd.StringDtype(na_value=np.nan)
NA_ID = np.iinfo(np.int64).min  # a missing integer id: matches only another missing id, as in a merge


def text_codes(*columns: pd.Series) -> list[npt.NDArray[np.int64]]:
    """Integer codes of text columns, consistent across them (-1: missing): one factorisation of their
    concatenation, so equal codes mean equal text."""
    codes, _ = pd.factorize(pd.concat(columns, ignore_index=True))
    bounds = np.cumsum([len(c) for c in columns])[:-1]
    return [part.astype(np.int64) for part in np.split(codes, bounds)]


def join_key(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Codes for a join: a missing value (-1) becomes its own key, since merges match missing with missing."""
    return np.where(codes >= 0, codes, NA_ID)


def int_ids(values: pd.Series) -> npt.NDArray[np.int64]:
    """Integer ids with missing ones as ``NA_ID``."""
    return values.to_numpy(dtype=np.int64, na_value=NA_ID)


def bool_mask(values: pd.Series) -> npt.NDArray[np.bool_]:
    """A boolean column as numpy, missing = False (``fillna(False)``)."""
    return values.to_numpy(dtype=bool, na_value=False)


def in_window(times: pd.Series, start: datetime, end: datetime) -> npt.NDArray[np.bool_]:
    return ((times >= pd.Timestamp(start)) & (times <= pd.Timestamp(end))).to_numpy(dtype=bool, na_value=False)
