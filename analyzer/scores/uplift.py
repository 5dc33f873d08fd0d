"""The multiplier effect (uplift): how much better the people around each engineer get.

docs/methodology.md, "Multiplier effect (uplift)", is the specification. In short, per outcome (``OUTCOMES``):

    E[y_j] = exp( a_author + g_(repo, month) + b1 log1p(size) + b2 log1p(prior PRs)
                  + b3 [PR j changes a doc file]
                  + sum_r beta_r * exposure_(j, r) + sum_r c_r * [r reviews PR j] )

over merged human PRs of the window. Counts and 0/1 outcomes (review rounds, CI failure on the first push,
rework) are fitted by Poisson quasi-likelihood, time to merge by OLS of its log; author and repository x
month effects are absorbed by (weighted) alternating demeaning, the fitting is statsmodels' (OLS, WLS in
the Poisson iterations) with standard errors the larger of the author-clustered and the conventional
quasi-likelihood one (``standard_errors``). Exposure (``analyzer.scores.exposure``) is by
default "the author worked with r in the last 90 days: r reviewed one of the author's PRs, or wrote (in a
merged PR) a doc file this PR changes"; the current-review indicator keeps a strict reviewer's own rounds
on the PR out of beta_r. exp(beta_r) - 1 is the relative change on the PRs
of the three months after working with r; the log ratios of everyone are shrunk towards no effect by
empirical Bayes, with FAB intervals that cover each person's own effect at the stated level (Yu and Hoff
2018, ``analyzer.scores.fab_intervals``; the robust intervals of Armstrong, Kolesar and Plagborg-Moller
2022 around linear shrinkage, ``shrink``, remain a setting). People with fewer
than ``min_authors`` exposed authors get "insufficient data" and stay out of the model.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import linalg, optimize, special
from scipy import stats as sps
from threadpoolctl import threadpool_limits

from analyzer.frames.model import Frames
from analyzer.scores.codes import bool_mask
from analyzer.scores.exposure import DEFAULT_KERNEL, Kernel, PRInteractions, exposure_matrix, recent_doc_writes
from analyzer.scores.fab_intervals import fab_intervals
from analyzer.scores.fixed_effects import (
    DEMEAN_BLOCK,
    ClusteredFit,
    Effects,
    Regressors,
    clustered_fit,
    demean,
    gram_and_rhs,
    group_effects,
    regressors,
)
from analyzer.scores.fixed_effects import fitted as within_fitted
from analyzer.scores.options import ScoringOptions
from analyzer.scores.outcomes import OUTCOMES, Outcome, pr_outcomes
from analyzer.scores.tables import UPLIFT

FloatArray = npt.NDArray[np.float64]
# the cells of the time effects: repository x month (the model's), repository x quarter, month over the
# whole org, or none (repository alone; the author effects already absorb each author's usual repository)
TimeEffects = Literal["repo_month", "repo_quarter", "month", "repo"]
TIME_EFFECTS: tuple[TimeEffects, ...] = ("repo_month", "repo_quarter", "month", "repo")
EXPOSED = 0.05  # an author "worked with" r before a PR when the exposure is at least this
NAIVE_EXPOSED = 1 - np.exp(-np.exp(-1.0))  # naive contrast: a review by r within the last tau
UPLIFT_DTYPES: dict[str, str] = dict(UPLIFT.dtypes)  # the uplift table's columns and dtypes (scores.tables)
UPLIFT_COLUMNS = tuple(UPLIFT_DTYPES)


@dataclass(frozen=True)
class UpliftSettings:
    """The model's choices (config.toml [scores] uplift_*; the notebook varies them)."""

    # the defaults are ScoringOptions' (see ``settings_from``)
    tau_days: float = ScoringOptions.uplift_decay_days
    min_authors: int = ScoringOptions.min_uplift_authors
    level: float = ScoringOptions.level
    shrink: bool = True
    kernel: Kernel = DEFAULT_KERNEL  # the exposure's shape (analyzer.scores.exposure)
    docs: bool = True  # the docs channel of the exposure (False: reviews only; the notebook's sensitivity)
    # the shrunk intervals: "fab" (per-person coverage, analyzer.scores.fab_intervals) or "linear" (robust
    # empirical-Bayes intervals around linear shrinkage: coverage on average over people, ``shrink``)
    intervals: Literal["fab", "linear"] = "fab"
    # the time effects absorbed beside the author effects (``TIME_EFFECTS``); coarser cells are the
    # notebook's and the validity study's sensitivity, not a recommendation
    # (docs/methodology.md, "Power at the demo's size")
    time_effects: TimeEffects = "repo_month"


def settings_from(options: ScoringOptions) -> UpliftSettings:
    """The scoring options' uplift knobs (a decay shorter than a day is read as one day)."""
    return UpliftSettings(
        tau_days=max(float(options.uplift_decay_days), 1.0), min_authors=options.min_uplift_authors, level=options.level
    )


@dataclass(frozen=True)
class Design:
    """Everything one fit needs, built once for all outcomes."""

    prs: pd.DataFrame  # pr_outcomes rows in the window with a merge, in model order (+ ``changes_docs``)
    exposure: npt.NDArray[np.float32] | npt.NDArray[np.bool_]  # n_prs x n_people (``exposure_dtype``)
    reviewing: npt.NDArray[np.bool_]  # n_prs x n_people: the person reviewed the PR
    people: pd.Index  # the people of the columns (everyone with an interaction: a review or docs)
    n_authors: npt.NDArray[np.int64]  # per person: distinct authors with exposure >= EXPOSED
    n_prs: npt.NDArray[np.int64]
    author: npt.NDArray[np.intp]  # per PR row: the code of its author
    repo_month: npt.NDArray[np.intp]  # per PR row: its cell of time effects (``time_cells``; repository x month)


def interactions(frames: Frames, prs: pd.DataFrame) -> pd.DataFrame:
    """One row per (reviewer, PR): the reviewer's first review of a PR in ``prs`` (author, reviewer, at)."""
    reviews = frames.reviews
    keep = ~bool_mask(reviews["is_bot"]) & reviews[["pr_id", "person", "submitted_at"]].notna().all(axis=1).to_numpy()
    rows = reviews.loc[keep, ["pr_id", "person", "submitted_at"]]
    author = pd.Series(prs["person"].to_numpy(), index=prs["pr_id"].to_numpy())
    rows = rows.assign(author=author.reindex(rows["pr_id"].to_numpy(dtype=np.int64)).to_numpy())
    rows = rows[rows["author"].notna() & (rows["person"].astype(object) != rows["author"])]
    first = rows.sort_values("submitted_at", kind="stable").drop_duplicates(["person", "pr_id"])
    return pd.DataFrame(
        {
            "pr_id": first["pr_id"].to_numpy(dtype=np.int64),
            "author": first["author"].astype(object).to_numpy(),
            "person": first["person"].astype(object).to_numpy(),
            "at": first["submitted_at"].to_numpy(),
        }
    )


def doc_files(frames: Frames, every: pd.DataFrame) -> pd.DataFrame:
    """The docs channel's input: one row per (PR of ``every``, documentation file it changes: the frames'
    ``is_doc``) with the PR's author and repository and its merge time (NaT when not merged). A merged
    PR's rows are writes of those docs by its author; any modelled PR's rows say which docs it changes.
    ``every`` holds human PRs only, so bots neither write nor touch docs here."""
    files = frames.pr_files
    files = files.loc[bool_mask(files["is_doc"]) & files["pr_id"].notna().to_numpy(), ["pr_id", "path"]]
    prs = frames.prs.dropna(subset=["pr_id"]).drop_duplicates("pr_id").set_index("pr_id")["merged_at"]
    pr = pd.Series(np.arange(len(every)), index=every["pr_id"].to_numpy())
    at = pr.reindex(files["pr_id"].to_numpy(dtype=np.int64)).to_numpy()
    here = ~np.isnan(at)
    rows, ids = at[here].astype(np.intp), files["pr_id"].to_numpy(dtype=np.int64)[here]
    return pd.DataFrame(
        {
            "pr_id": ids,
            "person": every["person"].to_numpy(dtype=object)[rows],
            "repo": every["repo"].to_numpy(dtype=object)[rows],
            "path": files["path"].astype(object).to_numpy()[here],
            "merged_at": pd.to_datetime(prs.reindex(ids).to_numpy(), utc=True),
        }
    ).drop_duplicates(["pr_id", "path"], ignore_index=True)


def build_design(frames: Frames, start: datetime, end: datetime, settings: UpliftSettings) -> Design:
    """PR rows of the window, their exposure to everyone, and who reviewed them (history before the window
    counts towards exposure)."""
    every = pr_outcomes(frames)
    return design_from(every, interactions(frames, every), doc_files(frames, every), start, end, settings)


def design_from(
    every: pd.DataFrame,
    met: pd.DataFrame,
    docs: pd.DataFrame,
    start: datetime,
    end: datetime,
    settings: UpliftSettings,
) -> Design:
    """``build_design`` from its only inputs: every PR's outcomes (``pr_outcomes``), the reviewer
    interactions (``interactions``) and the doc files of the PRs (``doc_files``); nothing else of the
    frames enters the model."""
    created = every["created_at"]
    in_window = (created >= pd.Timestamp(start)) & (created <= pd.Timestamp(end))
    prs = every[in_window.to_numpy() & every["review_rounds"].notna().to_numpy()].reset_index(drop=True)
    prs["changes_docs"] = prs["pr_id"].isin(docs["pr_id"]).to_numpy(dtype=float)
    authors = pd.Index(sorted(set(every["person"]) | set(met["author"])), dtype=object)
    author_code = authors.get_indexer(prs["person"]).astype(np.int64)
    created_ns = _ns(prs["created_at"])
    own = docs_channel(
        docs if settings.docs else docs.iloc[:0], prs, authors, author_code, created_ns, settings.tau_days
    )
    people = pd.Index(sorted(set(met["person"]) | set(authors[own.person])), dtype=object)
    exposure = exposure_matrix(
        author_code,
        created_ns,
        authors.get_indexer(met["author"]).astype(np.int64),
        people.get_indexer(met["person"]).astype(np.int64),
        _ns(met["at"]),
        len(people),
        settings.tau_days,
        exposure_dtype(settings.kernel),
        settings.kernel,
        replace(own, person=people.get_indexer(authors[own.person]).astype(np.int64)),
    )
    reviewing = np.zeros(exposure.shape, dtype=np.bool_)
    row_of = pd.Series(np.arange(len(prs)), index=prs["pr_id"].to_numpy())
    at_row = row_of.reindex(met["pr_id"].to_numpy()).to_numpy()
    here = ~np.isnan(at_row)
    reviewing[at_row[here].astype(np.intp), people.get_indexer(met["person"][here])] = True
    exposed = exposure >= EXPOSED
    n_authors = np.array([len(np.unique(author_code[exposed[:, k]])) for k in range(len(people))], dtype=np.int64)
    return Design(
        prs,
        exposure,
        reviewing,
        people,
        n_authors,
        exposed.sum(axis=0).astype(np.int64),
        pd.factorize(prs["person"])[0],
        time_cells(prs, settings.time_effects),
    )


def time_cells(prs: pd.DataFrame, time_effects: TimeEffects) -> npt.NDArray[np.intp]:
    """Per PR row, the code of its cell of time effects (``UpliftSettings.time_effects``)."""
    # to_datetime: an empty window arrives as an object column, which has no .dt
    created = pd.to_datetime(prs["created_at"], utc=True)
    repo = prs["repo"].astype(object).to_numpy()
    month = created.dt.strftime("%Y-%m").to_numpy(dtype=object)
    quarter = (created.dt.year.astype(str) + "Q" + ((created.dt.month - 1) // 3 + 1).astype(str)).to_numpy(dtype=object)
    keys = {"repo_month": repo + "|" + month, "repo_quarter": repo + "|" + quarter, "month": month, "repo": repo}
    return np.asarray(pd.factorize(keys[time_effects])[0], dtype=np.intp)


def docs_channel(
    docs: pd.DataFrame,
    prs: pd.DataFrame,
    authors: pd.Index,
    author_code: npt.NDArray[np.int64],
    created_ns: npt.NDArray[np.int64],
    tau_days: float,
) -> PRInteractions:
    """Per modelled PR (row of ``prs``), the recent writes by others of the doc files it changes
    (``exposure.recent_doc_writes``); persons as codes of ``authors``."""
    files = pd.factorize(docs["repo"].astype(object).to_numpy() + "\0" + docs["path"].astype(object).to_numpy())[0]
    writes = docs["merged_at"].notna().to_numpy()
    row = pd.Series(np.arange(len(prs)), index=prs["pr_id"].to_numpy()).reindex(docs["pr_id"].to_numpy()).to_numpy()
    touch = ~np.isnan(row)
    rows = row[touch].astype(np.int64)
    return recent_doc_writes(
        rows,
        files[touch].astype(np.int64),
        author_code[rows],
        created_ns[rows],
        files[writes].astype(np.int64),
        authors.get_indexer(pd.Index(docs["person"].to_numpy(dtype=object)[writes])).astype(np.int64),
        docs["pr_id"].to_numpy(dtype=np.int64)[writes],
        _ns(docs["merged_at"][writes]),
        tau_days,
    )


def exposure_dtype(kernel: Kernel) -> type[np.generic]:
    """How the design holds exposure: the window kernel's 0/1 as booleans, the decayed kernel's values
    in [0, 1] as float32 (a quarter, a half of float64: the largest arrays the model keeps)."""
    return np.bool_ if kernel == "window" else np.float32


def _ns(times: pd.Series | npt.NDArray[np.generic]) -> npt.NDArray[np.int64]:
    values = pd.to_datetime(pd.Series(times), utc=True).to_numpy(dtype="datetime64[ns]")
    return values.view(np.int64)


@dataclass(frozen=True)
class Fit:
    """Per modelled person: beta, its cluster-robust standard error, and the counterfactual mean."""

    people: pd.Index
    beta: FloatArray
    se: FloatArray
    baseline: FloatArray


@dataclass(frozen=True)
class Within:
    """The within-transformed design of one outcome's PR rows: the regressors ``x`` less ``effects``
    (analyzer.scores.fixed_effects; never held whole: PRs x people in float64 is a run's largest array)."""

    rows: npt.NDArray[np.intp]  # PR rows of the design in the model
    author: npt.NDArray[np.intp]  # cluster codes of those rows
    repo_month: npt.NDArray[np.intp]
    x: FloatArray | Regressors  # regressors of the usable columns (an array, or read from the design)
    usable: npt.NDArray[np.bool_]  # over [exposure..., reviewing..., covariates...]
    effects: Effects | None = None  # author and repository x month effects of x's columns (None: x is demeaned)


@dataclass(frozen=True)
class DesignColumns:
    """Regressors of a fit read from the design's compact arrays a block at a time (``Regressors``):
    the columns at ``which`` of [exposure..., reviewing..., covariates...] of the people at
    ``people``, on the PR rows ``rows``."""

    exposure: npt.NDArray[np.float32] | npt.NDArray[np.bool_]  # the design's (window PRs x people)
    reviewing: npt.NDArray[np.bool_]
    covariates: FloatArray  # model rows x ``covariates``
    rows: npt.NDArray[np.intp]
    people: npt.NDArray[np.intp]
    which: npt.NDArray[np.intp]  # ascending

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.which)

    def block(self, rows: slice, cols: slice) -> FloatArray:
        k, which, pick = len(self.people), self.which[cols], self.rows[rows]
        n_exposure, n_reviewing = int((which < k).sum()), int((which < 2 * k).sum())
        out = np.empty((len(pick), len(which)))
        out[:, :n_exposure] = _gather(self.exposure, pick, self.people[which[:n_exposure]])
        out[:, n_exposure:n_reviewing] = _gather(self.reviewing, pick, self.people[which[n_exposure:n_reviewing] - k])
        out[:, n_reviewing:] = self.covariates[rows][:, which[n_reviewing:] - 2 * k]
        return out


def _gather(matrix: npt.NDArray[Any], rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp]) -> npt.NDArray[Any]:
    """matrix[np.ix_(rows, cols)], taking first whichever of rows and columns keeps less of the matrix
    (measured: 2 to 4 times faster than ix_, whose gather these blocks of the fit spent 4.5 s in)."""
    n_rows, n_cols = matrix.shape
    if len(rows) * n_cols <= n_rows * len(cols):
        return np.take(matrix[rows], cols, axis=1)
    return np.take(matrix, cols, axis=1)[rows]


def model_rows(design: Design, outcome: Outcome) -> npt.NDArray[np.bool_]:
    """The PRs one outcome is modelled on: those with the outcome (log outcomes: positive), of authors with
    at least two of them (one PR carries no within-author information). A Poisson fit also leaves out the
    authors and repository months whose outcome is zero throughout: their fixed effect is minus infinity
    and they say nothing about anyone's effect."""
    y = design.prs[outcome.name].to_numpy(dtype=float)
    keep: npt.NDArray[np.bool_] = np.isfinite(y) & ((y > 0) if outcome.model == "log" else True)
    author, repo_month = design.author, design.repo_month
    for _ in range(20):  # dropping rows can empty a group of the other grouping: until nothing changes
        before = int(keep.sum())
        keep &= np.bincount(author, weights=keep, minlength=author.max(initial=0) + 1)[author] > 1
        if outcome.model == "poisson":
            positive = np.where(keep, y, 0.0)
            for codes in (author, repo_month):
                keep &= np.bincount(codes, weights=positive, minlength=codes.max(initial=0) + 1)[codes] > 0
        if int(keep.sum()) == before:
            break
    return keep


def covariates(prs: pd.DataFrame) -> FloatArray:
    """The PR-level controls, one column each: log1p(size), log1p(the author's earlier PRs), and whether
    the PR changes a doc file. The last because the docs channel can only expose a PR that changes docs:
    without it, whatever sets docs-changing PRs apart (smaller, fewer rounds) would be credited to the
    people who write docs; with it, the docs channel compares docs-changing PRs with and without a
    person's recent docs."""
    return np.column_stack(
        [
            np.log1p(prs["size"].to_numpy(dtype=float)),
            np.log1p(prs["prior_prs"].to_numpy(dtype=float)),
            prs["changes_docs"].to_numpy(dtype=float),
        ]
    )


def within_design(design: Design, columns: npt.NDArray[np.intp], keep: npt.NDArray[np.bool_]) -> Within | None:
    """Demean the regressors of the rows in ``keep``: exposure and current-review indicators of the people
    at ``columns`` and the ``covariates``, by author and by repository x month. None without two authors."""
    rows, k = np.flatnonzero(keep), len(columns)
    if len(rows) < 3 or len(np.unique(design.author[rows])) < 2:
        return None
    controls = covariates(design.prs)[rows]
    x = DesignColumns(design.exposure, design.reviewing, controls, rows, columns, np.arange(2 * k + controls.shape[1]))
    codes, rm_codes = pd.factorize(design.author[rows])[0], pd.factorize(design.repo_month[rows])[0]
    effects, norms = group_effects(x, [codes, rm_codes])
    usable = norms > 1e-8 * np.sqrt(len(rows))
    if len(rows) <= int(usable.sum()):  # no residual degrees of freedom: no standard error to give
        return None
    x = replace(x, which=x.which[usable])
    return Within(rows, codes, rm_codes, x, usable, [e[:, usable] for e in effects])


def poisson_fe(y: FloatArray, within: Within, max_iter: int = 30, tol: float = 1e-5) -> ClusteredFit:
    """Poisson regression (log link) of counts ``y`` on the regressors with author and repository x month
    fixed effects: iteratively reweighted least squares, each step a weighted within transform (restarted
    from the last step's group effects, so a step costs a few demeaning passes) and the weighted least
    squares of the working response; the last step is statsmodels' WLS with errors clustered by author
    (``fixed_effects.clustered_fit``), whose sandwich at the solution is the Poisson quasi-likelihood's (the
    scores are x'(y - mu)). Correct for the mean whatever the variance (counts overdispersed, 0/1
    outcomes): it only needs E[y] = exp(x b + ...). ``within`` is left as it was."""
    groups, x = [within.author, within.repo_month], regressors(within.x)
    effects = within.effects  # the unweighted ones: a valid start for any weights
    mu = (y + y.mean()) / 2  # the usual start: positive everywhere, near y
    eta = np.log(mu)
    z = eta + (y - mu) / mu
    zd = z.copy()
    beta_before: FloatArray | None = None
    for _ in range(max_iter):
        zd = demean(zd[:, None], groups, weights=mu, copy=False)[:, 0]
        effects = group_effects(x, groups, mu, effects, with_norms=False)[0]
        gram, rhs = gram_and_rhs(x, groups, effects, mu, zd)
        beta = ridge_solve(gram, rhs)
        # the fitted linear predictor, fixed effects included
        eta = np.clip(z - (zd - within_fitted(x, groups, effects, beta)), -30.0, 30.0)
        if beta_before is not None and np.max(np.abs(beta - beta_before), initial=0.0) <= tol:
            break
        beta_before, mu = beta, np.exp(eta)
        z_next = eta + (y - mu) / mu
        zd += z_next - z  # the new working response, less the old group effects: a warm start
        z = z_next
    return clustered_fit(x, groups, effects or [], within.author, mu, zd, (gram, rhs))


def ols_fe(y: FloatArray, within: Within) -> ClusteredFit:
    """OLS of ``y`` on the regressors with author and repository x month fixed effects (the within
    transform of both), errors clustered by author: statsmodels' (``fixed_effects.clustered_fit``)."""
    groups, x = [within.author, within.repo_month], regressors(within.x)
    yd = demean(y[:, None], groups)[:, 0]
    effects = within.effects if within.effects is not None else []
    return clustered_fit(x, groups if effects else [], effects, within.author, np.ones(len(yd)), yd)


def ridge_solve(gram: FloatArray, rhs: FloatArray) -> FloatArray:
    """(gram + tiny ridge) b = rhs by Cholesky: the iterations' step (collinear people get the near
    minimum-norm answer the final fit's pseudo-inverse gives; a tenth of an eigendecomposition's cost)."""
    ridge = 1e-10 * max(float(np.trace(gram)) / max(len(gram), 1), 1e-300)
    factor = linalg.cho_factor(gram + ridge * np.eye(len(gram)), check_finite=False)
    return np.asarray(linalg.cho_solve(factor, rhs, check_finite=False), dtype=np.float64)


def fit_outcomes(design: Design, columns: npt.NDArray[np.intp], level: float) -> list[Fit]:
    """Every outcome's fit (in ``OUTCOMES`` order). Outcomes modelled on the same PRs share one within
    transform: the log fits first, so the last Poisson fit on it may reweight it in place."""
    masks = [model_rows(design, o) for o in OUTCOMES]
    order = sorted(range(len(OUTCOMES)), key=lambda i: OUTCOMES[i].model == "poisson")
    fits: dict[int, Fit] = {}
    shared: tuple[npt.NDArray[np.bool_], Within | None] | None = None  # one design alive at a time
    for position, i in enumerate(order):
        if shared is None or not np.array_equal(shared[0], masks[i]):
            shared = None  # free the last design before building the next
            shared = (masks[i], within_design(design, columns, masks[i]) if len(columns) else None)
        again = any(np.array_equal(masks[j], masks[i]) for j in order[position + 1 :])
        fits[i] = fit_outcome(design, shared[1], OUTCOMES[i], columns, level, in_place=not again)
    return [fits[i] for i in range(len(OUTCOMES))]


def fit_outcome(
    design: Design,
    within: Within | None,
    outcome: Outcome,
    columns: npt.NDArray[np.intp],
    level: float,
    in_place: bool = False,
) -> Fit:
    """One outcome's fit on the exposure of the people at ``columns`` (``within``: its rows' design):
    log-ratio effects (``beta``) and their cluster-robust standard errors."""
    nan = np.full(len(columns), np.nan)
    if within is None:
        return Fit(design.people[columns], nan, nan.copy(), nan.copy())
    raw_y = design.prs[outcome.name].to_numpy(dtype=float)[within.rows]
    # neither fit changes ``within`` (``in_place`` is kept for callers; it no longer saves a copy)
    result = poisson_fe(raw_y, within) if outcome.model == "poisson" else ols_fe(np.log(raw_y), within)
    params = np.full(len(within.usable), np.nan)
    ses = params.copy()
    params[within.usable] = result.params
    ses[within.usable] = standard_errors(result, within, level)
    beta, se = params[: len(columns)], ses[: len(columns)]
    exposure = design.exposure[np.ix_(within.rows, columns)]
    return Fit(design.people[columns], beta, se, baseline(exposure, raw_y, np.nan_to_num(beta), outcome))


def standard_errors(result: Any, within: Within, level: float) -> FloatArray:
    """Per coefficient, the larger of its cluster-robust (CR1, by author) and its conventional
    (quasi-likelihood: (X'WX)^-1 times the Pearson dispersion) standard error, in t(G - 1) units
    (docs/methodology.md, "Standard errors"). With a few dozen authors and a parameter per person the
    robust one alone is too small on average and noisy (the simulation study measured estimates spread
    1.11 times their robust standard error); the larger of the two is the rule of Angrist and Pischke
    (2009, section 8.1). Absorbed levels are parameters too: repository x month levels for both (author
    levels nest within the clusters), author levels as well for the conventional one. t(G - 1) is folded
    into the error, so the normal quantiles of the intervals give the t interval."""
    n, k = len(within.rows), len(result.params)
    absorbed, clusters = int(within.repo_month.max()), int(within.author.max()) + 1
    robust = result.bse * np.sqrt(max(n - k, 1) / max(n - k - absorbed, 1))
    bread = np.clip(np.diag(np.asarray(result.normalized_cov_params, dtype=np.float64)), 0.0, None)
    conventional = np.sqrt(bread * float(result.scale) * max(n - k, 1) / max(n - k - absorbed - clusters, 1))
    quantile = 0.5 + level / 2
    t_ratio = float(sps.t.ppf(quantile, max(clusters - 1, 1)) / sps.norm.ppf(quantile))
    return np.asarray(np.fmax(robust, conventional) * t_ratio, dtype=np.float64)


def baseline(exposure: npt.NDArray[Any], y: FloatArray, beta: FloatArray, outcome: Outcome) -> FloatArray:
    """Per person, what the exposed PRs would have had without them: the exposure-weighted mean of
    y exp(-beta e) (log outcomes: the geometric mean), a block of columns at a time."""
    out = np.empty(exposure.shape[1])
    log_y = np.log(y) if outcome.model == "log" else y
    for start in range(0, exposure.shape[1], DEMEAN_BLOCK):
        e = exposure[:, start : start + DEMEAN_BLOCK].astype(np.float64)
        b = beta[start : start + DEMEAN_BLOCK]
        with np.errstate(invalid="ignore", divide="ignore"):
            if outcome.model == "log":
                out[start : start + DEMEAN_BLOCK] = np.exp((log_y @ e - b * (e * e).sum(axis=0)) / e.sum(axis=0))
            else:
                out[start : start + DEMEAN_BLOCK] = (y @ (e * np.exp(-e * b))) / e.sum(axis=0)
    return out


def column_sums(matrix: npt.NDArray[Any], weights: FloatArray, squared: bool = False) -> FloatArray:
    """weights @ matrix (or @ matrix**2) in float64, a block of columns at a time, so no rows x columns
    float64 temporary is made (the exposure matrix is the stage's largest array)."""
    out = np.empty(matrix.shape[1])
    for start in range(0, matrix.shape[1], DEMEAN_BLOCK):
        block = matrix[:, start : start + DEMEAN_BLOCK].astype(np.float64)
        out[start : start + DEMEAN_BLOCK] = weights @ (block * block if squared else block)
    return out


def _non_coverage(m2: float, chi: float) -> float:
    """Worst-case non-coverage of estimate +/- chi sd when the normalised bias b has E[b^2] = m2: the
    concave envelope of r(t) = P(|Z - sqrt(t)| > chi) at m2 (a mixture of b = 0 and b^2 = t >= m2)."""

    def r(t: FloatArray) -> FloatArray:
        root = np.sqrt(t)
        return np.asarray(special.ndtr(-chi - root) + special.ndtr(root - chi), dtype=np.float64)

    if m2 <= 0:
        return float(r(np.zeros(1))[0])
    grid = m2 * np.geomspace(1.0, 1e4, 400)
    r0 = float(r(np.zeros(1))[0])
    return float(np.max(r0 + (m2 / grid) * (r(grid) - r0)))


@functools.lru_cache(maxsize=4096)
def robust_critical_value(m2: float, level: float) -> float:
    """The robust EBCI critical value cva(m2): the smallest chi whose worst-case non-coverage is 1 - level
    (cached: ``shrink`` asks with m2 rounded to 3 significant digits)."""
    alpha = 1 - level
    hi = np.sqrt(max(m2, 0.0) / alpha) + sps.norm.ppf(1 - alpha / 2) + 5.0  # Chebyshev bounds it
    return float(optimize.brentq(lambda chi: _non_coverage(m2, chi) - alpha, 1e-6, hi, xtol=1e-6))


def shrink(estimate: FloatArray, se: FloatArray, level: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Empirical-Bayes estimates towards no effect (mu = 0) with robust 90 % intervals.

    tau2 = max(mean(x^2 - se^2), 2 sum se^4 / (K sum se^2)) (the floor keeps the weights positive);
    w = tau2 / (tau2 + se^2); estimate w x; half width cva(m2) w se, m2 = (1 - w) / w (the normalised
    bias's second moment under the fitted tau2). Shrinking towards zero rather than the team mean: a claim
    about a person starts from "no effect"."""
    est, lo, hi = (np.full(len(estimate), np.nan) for _ in range(3))
    ok = np.isfinite(estimate) & np.isfinite(se) & (se > 0)
    if ok.sum() < 3:  # too few people to learn a spread from: no shrinkage
        half = sps.norm.ppf(0.5 + level / 2) * se
        return estimate.copy(), estimate - half, estimate + half
    x, s2 = estimate[ok], se[ok] ** 2
    mu = 0.0
    tau2 = max(float(np.mean((x - mu) ** 2 - s2)), 2 * float((s2**2).sum()) / (len(x) * float(s2.sum())))
    w = tau2 / (tau2 + s2)
    post = mu + w * (x - mu)
    m2 = [float(f"{(1 - wi) / wi:.3g}") for wi in w]  # the critical value is smooth in m2
    half = np.array([robust_critical_value(m, level) for m in m2]) * w * np.sqrt(s2)
    est[ok], lo[ok], hi[ok] = post, post - half, post + half
    return est, lo, hi


def naive_effects(design: Design, outcome: Outcome, level: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The naive before/after contrast per person: outcome of PRs opened within about tau after a review by
    r against all other PRs, as a ratio of means (log outcomes: of geometric means), with a delta-method
    interval; no author, time or size controls."""
    y = design.prs[outcome.name].to_numpy(dtype=float)
    defined = np.isfinite(y) & ((y > 0) if outcome.model == "log" else True)
    y = np.where(defined, np.log(np.where(defined, y, 1.0)) if outcome.model == "log" else y, 0.0)
    z = sps.norm.ppf(0.5 + level / 2)
    exposed = (design.exposure >= NAIVE_EXPOSED) & defined[:, None]
    n1 = exposed.sum(axis=0).astype(float)
    n0 = defined.sum() - n1
    with np.errstate(invalid="ignore", divide="ignore"):
        s1, q1 = column_sums(exposed, y), column_sums(exposed, y**2)
        m1, m0 = s1 / n1, (y.sum() - s1) / n0
        v1 = (q1 - n1 * m1**2) / np.maximum(n1 - 1, 1) / n1
        v0 = ((y**2).sum() - q1 - n0 * m0**2) / np.maximum(n0 - 1, 1) / n0
        if outcome.model == "log":
            diff, se = m1 - m0, np.sqrt(v1 + v0)
            return np.expm1(diff), np.expm1(diff - z * se), np.expm1(diff + z * se)
        ratio = m1 / m0
        se = ratio * np.sqrt(v1 / m1**2 + v0 / m0**2)
        return ratio - 1, ratio - 1 - z * se, ratio - 1 + z * se


def uplift_table(design: Design, settings: UpliftSettings) -> pd.DataFrame:
    """One row per (person with an interaction, outcome): see ``UPLIFT_COLUMNS``. Effects are fitted and
    shrunk as log ratios and stored as relative changes (-0.18: 18 % fewer)."""
    frames = []
    enough = design.n_authors >= settings.min_authors
    columns = np.flatnonzero(enough)
    z = sps.norm.ppf(0.5 + settings.level / 2)
    for outcome, fit in zip(OUTCOMES, fit_outcomes(design, columns, settings.level), strict=True):
        k = len(design.people)
        raw, raw_se, base = np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
        raw[columns], raw_se[columns], base[columns] = fit.beta, fit.se, fit.baseline
        if settings.shrink:
            shrunk = fab_intervals if settings.intervals == "fab" else shrink
            est, lo, hi = shrunk(raw, raw_se, settings.level)
        else:
            est, lo, hi = raw, raw - z * raw_se, raw + z * raw_se
        naive, naive_lo, naive_hi = naive_effects(design, outcome, settings.level)
        ok = enough & np.isfinite(est)
        frames.append(
            pd.DataFrame(
                {
                    "person": np.asarray(design.people, dtype=object),
                    "outcome": outcome.name,
                    "estimate": np.expm1(est),
                    "lo": np.expm1(lo),
                    "hi": np.expm1(hi),
                    "raw": np.expm1(raw),
                    "raw_lo": np.expm1(raw - z * raw_se),
                    "raw_hi": np.expm1(raw + z * raw_se),
                    "n_authors": design.n_authors,
                    "n_prs": design.n_prs,
                    "min_n": settings.min_authors,
                    "status": np.where(ok, "ok", "insufficient"),
                    "credited": ok & ((lo > 0) | (hi < 0)),
                    "baseline": base,
                    "naive": naive,
                    "naive_lo": naive_lo,
                    "naive_hi": naive_hi,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    cleared = table["status"] != "ok"
    table.loc[cleared, ["estimate", "lo", "hi", "raw", "raw_lo", "raw_hi"]] = np.nan
    return table[list(UPLIFT_COLUMNS)]


def uplift_scores(frames: Frames, start: datetime, end: datetime, settings: UpliftSettings) -> pd.DataFrame:
    """The uplift table of one scoring run (the ``score_uplift`` table).

    BLAS runs on one thread meanwhile: the scoring pipeline already keeps both cores busy, and BLAS
    threads on top of it spin against each other (measured on the 1M-comment corpus: the stage's CPU
    time doubles, 11.7 s -> 20 s)."""
    with threadpool_limits(limits=1, user_api="blas"):
        return uplift_table(build_design(frames, start, end, settings), settings)
