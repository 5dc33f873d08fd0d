"""The multiplier profile: profile groups of score families, team-standardised, combined with published weights.

The groups and their components are declared with the families (``families.profile_groups``: each family
names its group, and lower-is-better families enter with sign -1). Each group's score is the mean of its
components' team z-scores, computed over people whose component status is "ok". The composite is the
weighted mean of the available groups' z-scores (weights: ``options.weights``), only when at least
``options.min_families_for_multiplier`` groups have data; its 90 % interval propagates each component's
interval (converted to a standard error) as a normal approximation of the person-level bootstrap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analyzer.scores.families import MULTIPLIER, profile_groups
from analyzer.scores.options import ScoringOptions
from analyzer.scores.stats import family_rows, z_for


def standardise(rows: pd.DataFrame, level: float) -> pd.DataFrame:
    """Team z-scores of one component's ok rows: z, se_z (from the interval, 0 when there is none)."""
    ok = rows[rows["status"] == "ok"]
    sd = float(ok["estimate"].std(ddof=1)) if len(ok) >= 2 else 0.0
    if not np.isfinite(sd) or sd <= 0:
        return pd.DataFrame({"z": pd.Series(dtype=float), "se": pd.Series(dtype=float)})
    z = (ok["estimate"] - ok["estimate"].mean()) / sd
    se = ((ok["hi"] - ok["lo"]) / (2 * z_for(level)) / sd).fillna(0.0)
    return pd.DataFrame({"z": z.to_numpy(), "se": se.to_numpy()}, index=ok["person"].to_numpy())


def family_z(family_scores: pd.DataFrame, level: float) -> pd.DataFrame:
    """Wide frame person x profile group of (z, se): columns ``<group>_z``, ``<group>_se``."""
    out: dict[str, pd.Series] = {}
    for fam, components in profile_groups().items():
        zs, ses = [], []
        for name, sign in components:
            std = standardise(family_scores[family_scores["family"] == name], level)
            zs.append(sign * std["z"])
            ses.append(std["se"] ** 2)
        z_all = pd.concat(zs, axis=1).astype(float)
        if z_all.empty:
            continue
        k = z_all.notna().sum(axis=1)
        out[f"{fam}_z"] = z_all.mean(axis=1)
        out[f"{fam}_se"] = np.sqrt(pd.concat(ses, axis=1).astype(float).sum(axis=1, min_count=1)) / k
    return pd.DataFrame(out)


def multiplier_scores(family_scores: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    """Family rows ``multiplier``: weighted mean of available family z-scores (>= 3 families)."""
    wide = family_z(family_scores, options.level)
    if wide.empty:
        return family_rows([], MULTIPLIER.name, [], [], [], [], [], options.min_families_for_multiplier, "team z", True)
    fams = [f for f in profile_groups() if f"{f}_z" in wide]
    z = wide[[f"{f}_z" for f in fams]].to_numpy()
    se = wide[[f"{f}_se" for f in fams]].to_numpy()
    w = np.array([float(options.weights.get(f, 1.0)) for f in fams])
    have = np.isfinite(z)
    wsum = (have * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = np.nansum(np.where(have, z * w, 0.0), axis=1) / wsum
        se_c = np.sqrt(np.nansum(np.where(have, (w * np.nan_to_num(se)) ** 2, 0.0), axis=1)) / wsum
        raw = np.nanmean(np.where(have, z, np.nan), axis=1)
    n = have.sum(axis=1)
    half = z_for(options.level) * se_c
    enough = n >= options.min_families_for_multiplier
    est = np.where(enough, est, np.nan)
    return family_rows(
        wide.index,
        MULTIPLIER.name,
        est,
        est - half,
        est + half,
        raw,
        n,
        options.min_families_for_multiplier,
        "team z-score (weighted mean of families)",
        True,
    )
