"""The options layer: one set of defaults for config.toml, the CLI and the library (ScoringOptions), and
the options a scoring run records (meta["options"])."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from analyzer.config import Config, PathsSection, load_config, parse_config
from analyzer.errors import ConfigError
from analyzer.frames.paths import match_paths
from analyzer.scores.options import ScoringOptions, options_from_config, recorded_options

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW = ("now", "window_start", "window_end")  # resolved from --now / [window] dates, not defaults


def test_cli_and_library_have_the_same_defaults() -> None:
    """options_from_config(Config()) is what `analyzer score` uses without a config; ScoringOptions() is
    what a notebook or test uses: every option must be the same (they were not: the window was 548 days
    against 180, and the CLI's generated-file list lacked migrations)."""
    cli = options_from_config(Config(), NOW)
    library = ScoringOptions()
    for spec in fields(ScoringOptions):
        if spec.name not in (*WINDOW, "cache"):
            assert getattr(cli, spec.name) == getattr(library, spec.name), spec.name


def test_config_toml_states_the_declared_defaults() -> None:
    """The shipped config.toml documents the defaults: loading it gives exactly Config()."""
    shipped = load_config(ROOT / "config.toml")
    assert replace(shipped, source="") == Config()


def test_config_toml_shows_the_default_globs() -> None:
    """config.toml shows each [paths] default commented out; uncommented, they are exactly the defaults."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    paths = text[text.index("[paths]") : text.index("[scores]")]
    uncommented = tomllib.loads(re.sub(r"(?m)^# (?=\w+ = \[)|^#   ", "", paths))
    assert set(uncommented["paths"]) == {f.name for f in fields(PathsSection)}
    assert parse_config(uncommented).paths == Config().paths


def test_migrations_and_lockfiles_are_excluded_by_the_default_cli_options() -> None:
    """The methodology page says review size leaves out lockfiles, vendored code, snapshots, minified and
    generated files and migrations; the CLI's list now does too (``**/`` also matches the root)."""
    globs = options_from_config(Config(), NOW).generated_globs
    paths = pd.Series(["app/migrations/0001_initial.py", "migrations/0002.sql", "poetry.lock", "web/yarn.lock",
                       "go.sum", "vendor/lib.js", "src/app.py", "docs/guide.md"])
    assert match_paths(paths, globs).tolist() == [True, True, True, True, True, True, False, False]


def test_a_minimum_set_in_config_toml_reaches_the_options_and_what_the_run_records(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[scores]\nmin_comments_harsh = 12\n[people]\nnewcomer_days = 30\n'
                    '[paths]\ngenerated = ["**/*.gen.go"]\n[scores.weights]\nci = 2.5\n[window]\nmonths = 6\n')
    options = options_from_config(load_config(path), NOW)
    assert (options.min_harsh, options.newcomer_days, options.generated_globs) == (12, 30, ("**/*.gen.go",))
    assert options.weights["ci"] == 2.5 and options.window_days == 183
    recorded = recorded_options(options)
    assert (recorded["min_harsh"], recorded["newcomer_days"], recorded["weights"]["ci"]) == (12, 30, 2.5)


def test_recorded_options_hold_every_option_by_name_but_no_local_path() -> None:
    options = ScoringOptions(now=NOW, cache=Path.home() / "analyzer-cache")
    recorded = recorded_options(options)
    assert set(recorded) == {f.name for f in fields(ScoringOptions)} - {"cache"}
    assert str(Path.home()) not in json.dumps(recorded)
    assert recorded["generated_globs"] == list(options.generated_globs)
    assert json.loads(json.dumps(recorded)) == recorded  # plain JSON: what meta.json and the store hold


def test_weights_are_changed_by_group_name_as_notebooks_do() -> None:
    weights = Config().scores.weights.updated(mentoring=2.0)
    assert options_from_config(replace(Config(), scores=replace(Config().scores, weights=weights)), NOW).weights == {
        **ScoringOptions().weights, "mentoring": 2.0}
    with pytest.raises(ConfigError, match="unknown weight group.s. kindness"):
        Config().scores.weights.updated(kindness=1.0)
