"""config.toml: defaults, the shipped example, and one-line errors that name key, line and fix."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from analyzer.config import Config, check_base_url, check_time, load_config, parse_config
from analyzer.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_example_config_loads_and_equals_the_defaults() -> None:
    loaded = load_config(ROOT / "config.toml")
    assert loaded.github == Config().github
    assert loaded.scores == Config().scores
    assert loaded.report == Config().report


def test_values_are_typed_and_globs_filter_repositories(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[github]\norganizations = ["acme"]\ninclude = ["api*", "web"]\nexclude = ["*-old"]\n'
        'max_wait = 60\n[people.aliases]\n"jd-work" = "jd"\n[scores.weights]\nci = 2\n'
    )
    config = load_config(path)
    assert config.github.organizations == ("acme",)
    assert config.github.max_wait == 60.0 and isinstance(config.github.max_wait, float)
    assert config.people.aliases == (("jd-work", "jd"),)
    assert dict(config.scores.weights.values)["ci"] == 2.0
    assert [n for n in ["api", "api-old", "web", "docs"] if config.github.wants(n)] == ["api", "web"]


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ('[github]\nbase_url = "https://x"\norganisations = ["a"]\n', ["c.toml:3", '"github.organisations"', 'did you mean "organizations"']),
        ('[githib]\n', ["c.toml:1", '"githib"', 'did you mean "github"']),
        ('[github]\npage_size = "fifty"\n', ["c.toml:2", "github.page_size", "whole number"]),
        ('[github]\npage_size = 0\n', ["c.toml:2", "github.page_size", "from 1 to 100", "got 0"]),
        ('[github]\nmax_page_size = 500\n', ["c.toml:2", "github.max_page_size", "from 1 to 100", "got 500"]),
        ('[github]\npage_size = 60\nmax_page_size = 40\n', ["c.toml:3", "max_page_size (40) is below", "(60)"]),
        ('[report]\npseudonymize = "yes"\n', ["c.toml:2", "report.pseudonymize", "true or false"]),
        ('[github]\nrepositories = ["just-a-name"]\n', ["c.toml:2", "owner/name"]),
        ('[github]\nbase_url = "ftp://x"\n', ["c.toml:2", "http(s) URL"]),
        ('[window]\nsince = "last year"\n', ["window.since", "2025-01-31"]),
        ('[scores.weights]\ndocz = 1\n', ['"scores.weights.docz"', 'did you mean "docs"']),
        ('[scores.weights]\nkindness = 1\n', ['"scores.weights.kindness"', "expected one of: empathy"]),
        ('[github]\ntoken = "ghp_abc"\n', ["c.toml:2", "never read from config.toml", "GITHUB_TOKEN"]),
        ('[github\n', ["not valid TOML"]),
        ("[scores.weights]\nci = nan\n", ["c.toml:2", "scores.weights.ci", "finite"]),
        ("[scores.weights]\nempathy = inf\n", ["c.toml:2", "scores.weights.empathy", "finite"]),
        ("[github]\nmax_wait = -inf\n", ["github.max_wait", "finite"]),
        ("[window]\nmonths = 100000\n", ["c.toml:2", "window.months", "from 1 to 1200"]),
        ("[people]\nnewcomer_days = 10000000\n", ["people.newcomer_days", "36500"]),
        ('[window]\nsince = "0001-01-01"\n', ["window.since", "between 1970-01-01 and 2200-01-01"]),
        ('[window]\nuntil = "9999-12-31"\n', ["window.until", "9999-12-31"]),
        ('[github]\nbase_url = "not-a-url"\n', ["c.toml:2", "http(s) URL"]),
        ('[github]\nbase_url = "https://ghe.example.com:99999/api/v3"\n', ["c.toml:2", "port outside 1-65535"]),
        ('[github]\nbase_url = "https://ghe example.com"\n', ["c.toml:2", "http(s) URL"]),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", ["nest too deeply"]),
    ],
)
def test_mistakes_give_one_line_naming_key_line_and_fix(tmp_path: Path, text: str, needles: list[str]) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, message


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_window_bounds_and_enterprise_web_url() -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    start, end = parse_config({"window": {"months": 6}}).window.bounds(now)
    assert end == now and (now - start).days == 183
    ghes = parse_config({"github": {"base_url": "https://ghe.example.com/api/v3"}})
    assert ghes.web_url() == "https://ghe.example.com"
    assert Config().web_url() == "https://github.com"
    with pytest.raises(ConfigError, match="before"):
        parse_config({"window": {"since": "2026-12-01", "until": "2026-01-01"}}).window.bounds(now)


def test_a_config_that_is_not_utf8_or_is_a_folder_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b'[report]\ntitle = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_config(path)
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)


def test_tilde_means_home_in_every_path_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "c.toml"
    path.write_text(
        '[github]\ntoken_file = "~/t"\n[store]\npath = "~/s.sqlite"\nparquet_dir = "~/p"\nscore_cache = "~/c"\n'
        '[report]\noutput = "~/r.html"\ntitle = "~ stays"\n'
    )
    config = load_config(path)
    assert (config.store.path, config.store.parquet_dir, config.store.score_cache) == (
        f"{tmp_path}/s.sqlite", f"{tmp_path}/p", f"{tmp_path}/c")
    assert config.report.output == f"{tmp_path}/r.html" and config.github.token_file == f"{tmp_path}/t"
    assert config.report.title == "~ stays"  # only paths


def test_base_url_and_time_checks_are_shared_with_the_cli() -> None:
    assert check_base_url("https://ghe.example.com:8443/api/v3") == "https://ghe.example.com:8443/api/v3"
    for bad in ("ftp://x", "not-a-url", "http://127.0.0.1:99999", "https://", ""):
        with pytest.raises(ConfigError, match="--base-url"):
            check_base_url(bad, "--base-url")
    assert check_time(datetime(2026, 11, 1, tzinfo=UTC), "--now").year == 2026
    for year in (1, 1969, 2200, 9999):
        with pytest.raises(ConfigError, match="--now must lie between"):
            check_time(datetime(year, 12, 31, tzinfo=UTC), "--now")
