"""Store -> frames: the collected tables (``analyzer.store.collected`` reads them), typed, bots classified,
identities merged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analyzer.errors import NoDataError, StoreError
from analyzer.frames.bots import bot_spellings, classify_bots
from analyzer.frames.identity import bot_key, person_of, resolve_commit_logins
from analyzer.frames.model import SCHEMAS, STR, TS, Frames, conform, empty_frame
from analyzer.frames.paths import match_paths
from analyzer.scores.options import ScoringOptions
from analyzer.store.collected import read_collected, source_table

ESTABLISHED_ASSOCIATIONS = ("OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR")


def load_frames(store_path: str | Path, options: ScoringOptions) -> Frames:
    """Read the store at ``store_path`` into typed frames (bots classified, identities merged)."""
    path = Path(store_path).expanduser()
    if not path.is_file():
        raise StoreError(f"store not found: {path} (run `analyzer collect` first)")
    tables = read_collected(path, detect_app_comments=options.detect_app_comments)
    try:
        return build_frames(tables, options)
    except (ValueError, OverflowError) as exc:  # pandas' out-of-bounds and unparsable dates included
        culprit = unusable_time(tables)
        if culprit is None:
            raise
        raise StoreError(f"{path}: {culprit} is not a time analyzer can use (years 1677-2262); delete that row"
                         " or collect again from a server that sends real times") from exc


def unusable_time(tables: Mapping[str, pd.DataFrame]) -> str | None:
    """The first stored timestamp that cannot be a frame timestamp, as "table.column 'value'"."""
    for name, frame in tables.items():
        for col, dtype in SCHEMAS.get(name, {}).items():
            if dtype != TS or col not in frame or pd.api.types.is_datetime64_any_dtype(frame[col]):
                continue
            text = frame[col].astype(object)
            parsed = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")  # any unit: no overflow
            outside = (parsed < pd.Timestamp.min.tz_localize(UTC)) | (parsed > pd.Timestamp.max.tz_localize(UTC))
            bad = text.notna().to_numpy() & (parsed.isna() | outside).to_numpy()
            if bad.any():
                return f"{source_table(name)}.{col} {str(text[bad].iloc[0])[:40]!r}"
    return None


def build_frames(tables: Mapping[str, pd.DataFrame], options: ScoringOptions) -> Frames:
    """Type the raw ``tables`` (frame column names; missing tables/columns allowed) into ``Frames``."""

    def typed(name: str, source: str | None = None) -> pd.DataFrame:
        raw = tables.get(source or name)
        return empty_frame(name) if raw is None else conform(raw, name)

    prs, reviews = typed("prs"), typed("reviews")
    review_comments, issue_comments = typed("review_comments"), typed("issue_comments")
    commits, pr_commits = typed("commits"), typed("pr_commits")
    commits["author_login"] = resolve_commit_logins(commits["author_login"], _col(tables, "commits", "author_email"))
    pr_commits["author_login"] = resolve_commit_logins(
        pr_commits["author_login"], _col(tables, "pr_commits", "author_email")
    )
    bots = _classify(tables, prs, reviews, review_comments, issue_comments, commits, options)
    bot_names = bot_spellings(bots["login"])  # both spellings of a bot (dependabot, dependabot[bot]): one account
    bot_logins = set(bot_names)
    for frame, col in (
        (prs, "author"),
        (reviews, "author"),
        (review_comments, "author"),
        (issue_comments, "author"),
        (commits, "author_login"),
        (pr_commits, "author_login"),
    ):
        frame["person"] = person_of(frame[col], options.aliases, bot_names)
        if "is_bot" in frame:
            frame["is_bot"] = (
                frame[col]
                .astype(object)
                .map(lambda x: isinstance(x, str) and bot_key(x) in bot_logins)
                .astype("boolean")
            )
    pr_files = _flag_files(typed("pr_files"), options)
    commit_files = _flag_files(typed("commit_files"), options)
    runs = typed("workflow_runs")
    started = runs["run_started_at"].fillna(runs["created_at"])
    runs["duration_s"] = (runs["updated_at"] - started).dt.total_seconds().astype("float64")
    data_now = _newest(prs, reviews, review_comments, issue_comments, commits, runs)
    now, start, end = options.resolve_window(data_now)
    people = _people(tables, prs, reviews, review_comments, issue_comments, commits, bots, options, now)
    prs = _mark_newcomer_prs(prs, people)
    return Frames(
        people=conform(people, "people"),
        prs=conform(prs, "prs"),
        pr_files=pr_files,
        pr_commits=conform(pr_commits, "pr_commits"),
        reviews=conform(reviews, "reviews"),
        review_comments=conform(review_comments, "review_comments"),
        threads=typed("threads"),
        issue_comments=conform(issue_comments, "issue_comments"),
        commits=conform(commits, "commits"),
        commit_files=commit_files,
        workflow_runs=conform(runs, "workflow_runs"),
        bots=_bot_activity(bots, prs, reviews, review_comments, issue_comments),
        repos=typed("repos"),
        now=now,
        window_start=start,
        window_end=end,
    )


def _col(tables: Mapping[str, pd.DataFrame], name: str, col: str) -> pd.Series:
    frame = tables.get(name)
    if frame is None or col not in frame:
        size = 0 if frame is None else len(frame)
        return pd.Series(pd.NA, index=range(size), dtype=STR)
    return frame[col].reset_index(drop=True).astype(STR)


def _classify(
    tables: Mapping[str, pd.DataFrame],
    prs: pd.DataFrame,
    reviews: pd.DataFrame,
    rcs: pd.DataFrame,
    ics: pd.DataFrame,
    commits: pd.DataFrame,
    options: ScoringOptions,
) -> pd.DataFrame:
    def typed_accounts(frame: pd.DataFrame, login: str, kind: str | None) -> pd.DataFrame:
        types = frame[kind] if kind and kind in frame else pd.Series(pd.NA, index=frame.index)
        return pd.DataFrame({"login": frame[login].astype(STR), "type": types.astype(STR)})

    actors = tables.get("actors")
    parts = [typed_accounts(actors, "login", "type")] if actors is not None else []
    sources = [
        (tables.get("prs"), "author"),
        (tables.get("reviews"), "author"),
        (tables.get("review_comments"), "author"),
        (tables.get("issue_comments"), "author"),
    ]
    parts += [typed_accounts(t, c, "author_type") for t, c in sources if t is not None and c in t]
    parts.append(typed_accounts(commits, "author_login", None))
    accounts = pd.concat(parts, ignore_index=True).dropna(subset=["login"])
    # a "Bot" type anywhere wins over an unknown type elsewhere
    accounts = accounts.sort_values("type", na_position="last", key=lambda s: s.ne("Bot"))
    comments = pd.concat(
        [
            pd.DataFrame({"login": rcs["author"], "body": rcs["body"], "via_app": False}),
            pd.DataFrame(
                {
                    "login": ics["author"],
                    "body": ics["body"],
                    "via_app": ics["via_app"].fillna(False).astype(bool),
                }
            ),
        ],
        ignore_index=True,
    )
    return classify_bots(accounts, comments, options)


def _flag_files(files: pd.DataFrame, options: ScoringOptions) -> pd.DataFrame:
    paths = files["path"]
    files["is_generated"] = match_paths(paths, options.generated_globs).astype("boolean")
    is_doc = match_paths(paths, options.doc_globs) & ~files["is_generated"].astype(bool)
    files["is_doc"] = is_doc.astype("boolean")
    files["is_onboarding"] = (is_doc & match_paths(paths, options.onboarding_globs)).astype("boolean")
    files["is_ci"] = match_paths(paths, options.ci_globs).astype("boolean")
    return files


def _newest(*frames: pd.DataFrame) -> datetime:
    """Newest timestamp anywhere in the data: the default ``now`` (so scores never depend on the clock)."""
    candidates: list[pd.Timestamp] = []
    for frame in frames:
        for col in frame.columns:
            if str(frame[col].dtype) == TS and frame[col].notna().any():
                candidates.append(frame[col].max())
    if not candidates:
        raise NoDataError("the store holds no timestamped activity (collect some repositories first)")
    newest: datetime = max(candidates).floor("us").to_pydatetime()
    return newest.astimezone(UTC)


def _people(
    tables: Mapping[str, pd.DataFrame],
    prs: pd.DataFrame,
    reviews: pd.DataFrame,
    rcs: pd.DataFrame,
    ics: pd.DataFrame,
    commits: pd.DataFrame,
    bots: pd.DataFrame,
    options: ScoringOptions,
    now: datetime,
) -> pd.DataFrame:
    activity = pd.concat(
        [
            pd.DataFrame({"login": prs["author"], "person": prs["person"], "at": prs["created_at"]}),
            pd.DataFrame({"login": reviews["author"], "person": reviews["person"], "at": reviews["submitted_at"]}),
            pd.DataFrame({"login": rcs["author"], "person": rcs["person"], "at": rcs["created_at"]}),
            pd.DataFrame({"login": ics["author"], "person": ics["person"], "at": ics["created_at"]}),
            pd.DataFrame(
                {
                    "login": commits["author_login"],
                    "person": commits["person"],
                    "at": commits["authored_at"].fillna(commits["committed_at"]),
                }
            ),
        ],
        ignore_index=True,
    ).dropna(subset=["person"])
    if activity.empty:
        return empty_frame("people")
    grouped = activity.groupby("person", observed=True)
    people = grouped["at"].min().rename("first_activity_at").to_frame()
    people["logins"] = grouped["login"].agg(lambda s: ";".join(sorted(set(s.dropna()))))
    names = _display_names(tables, options)
    first_login = people["logins"].str.split(";").str[0]
    people["display_name"] = first_login.map(names).astype(object).fillna(people.index.to_series().astype(object))
    actors = tables.get("actors")
    if actors is not None and not actors.empty:
        types = person_of(actors["login"].astype(STR), options.aliases, bot_spellings(bots["login"]))
        type_map = pd.Series(actors["type"].to_numpy(), index=types.to_numpy())
        people["type"] = people.index.to_series().map(type_map[~type_map.index.duplicated()])
    bot_reason = pd.Series(bots["reason"].to_numpy(), index=person_of(bots["login"], options.aliases).to_numpy())
    people["bot_reason"] = people.index.to_series().map(bot_reason[~bot_reason.index.duplicated()])
    people["is_bot"] = people["bot_reason"].notna()
    authored = prs.dropna(subset=["person"]).groupby("person", observed=True)
    people["first_pr_at"] = authored["created_at"].min()
    people["n_prs_authored"] = authored.size().reindex(people.index).fillna(0).astype("int64")
    people["n_merged_prs"] = authored["merged_at"].count().reindex(people.index).fillna(0).astype("int64")
    people["newcomer_until"] = _newcomer_until(prs, people, options)
    now_ts = pd.Timestamp(now)
    is_author = people["n_prs_authored"] > 0
    people["is_newcomer"] = is_author & (people["newcomer_until"].isna() | (people["newcomer_until"] > now_ts))
    return people.rename_axis("person").reset_index()


def _display_names(tables: Mapping[str, pd.DataFrame], options: ScoringOptions) -> pd.Series:
    actors = tables.get("actors")
    if actors is None or actors.empty or "name" not in actors:
        return pd.Series(dtype=object)
    names = actors.dropna(subset=["name"])
    return pd.Series(names["name"].to_numpy(), index=names["login"].to_numpy())


def _newcomer_until(prs: pd.DataFrame, people: pd.DataFrame, options: ScoringOptions) -> pd.Series:
    """When each author stops being a newcomer (docs/methodology.md, "Newcomers"):
    the later of first PR + 90 days and the merge of
    their 5th PR; <NaT> while they have fewer than 5 merged PRs (still a newcomer)."""
    first = people["first_pr_at"] + pd.Timedelta(days=options.newcomer_days)
    merged = prs.dropna(subset=["person", "merged_at"]).sort_values("merged_at")
    rank = merged.groupby("person", observed=True).cumcount() + 1
    nth = merged.loc[rank == options.newcomer_max_merged].set_index("person")["merged_at"]
    fifth = nth.reindex(people.index)
    until = pd.concat([first, fifth], axis=1).max(axis=1)
    until = until.where(fifth.notna()).astype(TS)
    established = _established_before_data(prs, people, options)
    return until.mask(established, people["first_pr_at"]).astype(TS)


def _established_before_data(prs: pd.DataFrame, people: pd.DataFrame, options: ScoringOptions) -> pd.Series:
    """Left censoring: whoever opens their first PR in the data within ``newcomer_days`` of the data's
    first PR may well have contributed before the data starts. When GitHub's author_association on that
    first PR shows prior standing (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR) they are established, not
    new; first-timers and unknown associations keep the history-based rule."""
    dated = prs.dropna(subset=["person", "created_at"])
    if dated.empty:
        return pd.Series(False, index=people.index, dtype=bool)
    censored_until = dated["created_at"].min() + pd.Timedelta(days=options.newcomer_days)
    first_pr = dated.sort_values(["created_at", "pr_id"]).drop_duplicates("person").set_index("person")
    association = first_pr["author_association"].astype(object).fillna("").str.upper()
    standing = association.isin(ESTABLISHED_ASSOCIATIONS).reindex(people.index, fill_value=False)
    censored = (people["first_pr_at"] < censored_until).fillna(False)
    established: pd.Series = (censored & standing.astype(bool)).astype(bool)
    return established


def _mark_newcomer_prs(prs: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """``author_newcomer``: the author was a newcomer when the PR was opened (bots never are)."""
    until = people.set_index("person")["newcomer_until"]
    author_until = prs["person"].map(until)
    newcomer = prs["person"].notna() & (author_until.isna() | (prs["created_at"] < author_until))
    prs["author_newcomer"] = (newcomer & ~prs["is_bot"].fillna(False).astype(bool)).astype("boolean")
    return prs


def _bot_activity(
    bots: pd.DataFrame, prs: pd.DataFrame, reviews: pd.DataFrame, rcs: pd.DataFrame, ics: pd.DataFrame
) -> pd.DataFrame:
    def counts(series: pd.Series) -> pd.Series:
        return series.value_counts().reindex(bots["login"]).fillna(0).astype("int64")

    out = bots.copy()
    out["n_prs"] = counts(prs["author"]).to_numpy()
    out["n_comments"] = (counts(rcs["author"]) + counts(ics["author"])).to_numpy()
    out["n_reviews"] = counts(reviews["author"]).to_numpy()
    return conform(out, "bots")
