"""Issue 10 items 13 and 14, over the real CLI (`python -m analyzer` in a subprocess): every bad input
ends in one line with a non-zero exit, no traceback, and nothing changed in the working folder (the
store, its scores, the previous report and Parquet files byte for byte; no new file or folder). Plus
what must work: store names with #, ? and %; "~" in config paths; a store on read-only media (in
test_lock_and_store_checks)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.integrity.conftest import Mount
from tests.integrity.helpers import NOW, assert_one_line_error, cli

Setup = Callable[[Path], None]
COLLECT = ("collect", "--org", "acme", "--base-url", "http://127.0.0.1:9", "--quiet")  # port 9: never reached


@pytest.fixture(scope="module")
def scored(collected: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder: the store scored, a report, Parquet files, a file and a folder to trip over."""
    folder = tmp_path_factory.mktemp("scored")
    shutil.copyfile(collected, folder / "s.sqlite")
    assert cli(folder, "score", "--store", "s.sqlite", "--now", NOW, "--quiet").returncode == 0
    assert cli(folder, "report", "--store", "s.sqlite", "--now", NOW, "--out", "report.html", "--quiet").returncode == 0
    (folder / "notes.txt").write_text("a file, not a folder\n")
    (folder / "a-folder").mkdir()
    return folder


def state(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``folder``; SQLite's -wal/-shm side files aside (a
    read-only reader of a WAL store may create them; the store file itself is compared)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
        if not p.name.endswith(("-wal", "-shm"))
    }


def write(name: str, data: bytes | str) -> Setup:
    def setup(folder: Path) -> None:
        target = folder / name
        target.write_bytes(data.encode() if isinstance(data, str) else data)

    return setup


def pr_created_at(value: str) -> Setup:
    def setup(folder: Path) -> None:
        with closing(sqlite3.connect(folder / "s.sqlite")) as conn, conn:
            conn.execute("UPDATE pull_requests SET created_at = ? WHERE id = (SELECT MIN(id) FROM pull_requests)",
                         (value,))
        # the change into the store file itself now, not left in the -wal side file that state() skips:
        # otherwise the run under test, closing the store last, checkpoints it and the file "changes"
        with closing(sqlite3.connect(folder / "s.sqlite")) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    return setup


def nothing(folder: Path) -> None:
    return None


DEEP = "a = " + "[" * 5000 + "]" * 5000 + "\n"
CASES: list[tuple[str, Setup, tuple[str, ...], tuple[str, ...]]] = [
    # (case, setup, arguments, words the one line must hold)
    ("report --out a folder", nothing, ("report", "--store", "s.sqlite", "--out", "a-folder"), ("is a folder",)),
    ("report --out under a file", nothing, ("report", "--store", "s.sqlite", "--out", "notes.txt/r.html"),
     ("notes.txt is a file",)),
    ("--parquet-dir a file", nothing, ("score", "--store", "s.sqlite", "--parquet-dir", "notes.txt"),
     ("is a file, not a folder",)),
    ("--parquet-dir under a file", nothing, ("score", "--store", "s.sqlite", "--parquet-dir", "notes.txt/p"),
     ("notes.txt is a file",)),
    ("collect --store a folder", nothing, (*COLLECT, "--store", "a-folder"), ("is a folder",)),
    ("collect --store under a file", nothing, (*COLLECT, "--store", "notes.txt/s.sqlite"), ("notes.txt is a file",)),
    ("config not UTF-8", write("c.toml", b'[report]\ntitle = "caf\xe9"\n'), ("score", "--config", "c.toml"),
     ("not UTF-8", "c.toml")),
    ("config a folder", nothing, ("score", "--config", "a-folder"), ("is a folder",)),
    ("config nests 5,000 arrays", write("c.toml", DEEP), ("score", "--config", "c.toml"), ("nest too deeply",)),
    ("window.months = 100000", write("c.toml", "[window]\nmonths = 100000\n"),
     ("score", "--store", "s.sqlite", "--config", "c.toml"), ("window.months", "1 to 1200")),
    ("weight NaN", write("c.toml", "[scores.weights]\nci = nan\n"), ("score", "--store", "s.sqlite", "--config", "c.toml"),
     ("scores.weights.ci", "finite")),
    ("weight infinite", write("c.toml", "[scores.weights]\ndocs = inf\n"),
     ("score", "--store", "s.sqlite", "--config", "c.toml"), ("scores.weights.docs", "finite")),
    ("token file binary", write("token", b"\x00\x01\xfe\xff ghp"), (*COLLECT, "--token-file", "token"),
     ("not text",)),
    ("token file non-ASCII", write("token", "ghp_tökén\n"), (*COLLECT, "--token-file", "token"), ("non-ASCII",)),
    ("token file a folder", nothing, (*COLLECT, "--token-file", "a-folder"), ("token",)),
    ("--base-url ftp://x", nothing, ("collect", "--org", "acme", "--base-url", "ftp://x"), ("--base-url", "http(s)")),
    ("--base-url not-a-url", nothing, ("collect", "--org", "acme", "--base-url", "not-a-url"), ("--base-url",)),
    ("--base-url port 99999", nothing, ("collect", "--org", "acme", "--base-url", "https://ghe.example.com:99999"),
     ("port",)),
    ("score --now 0001-01-01", nothing, ("score", "--store", "s.sqlite", "--now", "0001-01-01"), ("--now", "1970")),
    ("score --now 9999-12-31", nothing, ("score", "--store", "s.sqlite", "--now", "9999-12-31"), ("--now", "2200")),
    ("report --now 9999-12-31", nothing, ("report", "--store", "s.sqlite", "--now", "9999-12-31"), ("--now",)),
    ("collect --now 0001-01-01", nothing, (*COLLECT, "--now", "0001-01-01"), ("--now",)),
    ("window.since 0001-01-01", write("c.toml", '[window]\nsince = "0001-01-01"\n'),
     ("score", "--store", "s.sqlite", "--config", "c.toml"), ("window.since",)),
    ("store time in year 9999", pr_created_at("9999-12-31T00:00:00Z"), ("score", "--store", "s.sqlite", "--now", NOW, "--quiet"),
     ("pull_requests.created_at", "9999-12-31")),
    ("store time in year 1", pr_created_at("0001-01-01T00:00:00Z"), ("score", "--store", "s.sqlite", "--now", NOW, "--quiet"),
     ("pull_requests.created_at", "0001-01-01")),
    ("store time not a time", pr_created_at("yesterday"), ("score", "--store", "s.sqlite", "--now", NOW, "--quiet"),
     ("pull_requests.created_at", "yesterday")),
]


@pytest.mark.parametrize(("case", "setup", "args", "needles"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_and_changes_nothing(scored: Path, tmp_path: Path, case: str, setup: Setup,
                                                   args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    folder = tmp_path / "work"
    shutil.copytree(scored, folder)
    setup(folder)
    before = state(folder)
    assert_one_line_error(cli(folder, *args, env={"GITHUB_TOKEN": ""}), *needles)
    assert state(folder) == before


@pytest.fixture()
def answers_200(request: pytest.FixtureRequest) -> Iterator[str]:
    """A server answering every request with HTTP 200 and the body ``request.param``."""
    body = request.param.encode()

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("answers_200", ["null", "[1, 2, 3]"], indirect=True)
def test_a_server_answering_200_with_null_or_an_array_is_one_line_and_creates_no_store(
    answers_200: str, tmp_path: Path
) -> None:
    (tmp_path / "c.toml").write_text("[github]\nmax_retries = 1\n")  # the answer never changes: retry once
    result = cli(tmp_path, "collect", "--org", "acme", "--base-url", answers_200, "--store", "s.sqlite",
                 "--config", "c.toml", env={"GITHUB_TOKEN": "ghp_" + "x" * 36})
    assert_one_line_error(result, "not a JSON object")
    assert [p.name for p in tmp_path.iterdir()] == ["c.toml"]


@pytest.mark.parametrize(
    ("case", "args", "needles"),
    [
        ("report", ("report", "--store", "s.sqlite", "--now", NOW, "--out", "{ro}/r.html"), ("read-only",)),
        ("parquet", ("score", "--store", "s.sqlite", "--now", NOW, "--parquet-dir", "{ro}/p"), ("read-only",)),
        ("collect", (*COLLECT, "--store", "{ro}/s.sqlite"), ("read-only",)),
    ],
)
def test_outputs_on_a_read_only_file_system_are_one_line(scored: Path, tmp_path: Path, read_only_mount: Mount,
                                                         case: str, args: tuple[str, ...],
                                                         needles: tuple[str, ...]) -> None:
    folder = tmp_path / "work"
    shutil.copytree(scored, folder)
    before = state(folder)
    filled = [a.replace("{ro}", str(read_only_mount.path)) for a in args]
    assert_one_line_error(cli(folder, *filled, env={"GITHUB_TOKEN": "ghp_" + "x" * 36}), *needles)
    assert state(folder) == before and list(read_only_mount.path.iterdir()) == []


def test_store_names_with_hash_question_mark_and_percent_are_used_as_named(scored: Path, tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    name = "team#1?x=%41.sqlite"
    shutil.copyfile(scored / "s.sqlite", folder / name)
    assert cli(folder, "score", "--store", name, "--now", NOW, "--quiet").returncode == 0
    result = cli(folder, "report", "--store", name, "--now", NOW, "--out", "r.html", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (folder / "r.html").read_bytes() == (scored / "report.html").read_bytes()
    # nothing but the store, its SQLite side files and lock, and the outputs asked for
    assert {p.name for p in folder.iterdir()} <= {name, f"{name}-wal", f"{name}-shm", f"{name}.score-lock", "out",
                                                  "r.html"}


def test_tilde_in_config_paths_means_the_home_folder(scored: Path, tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    folder.mkdir()
    shutil.copyfile(scored / "s.sqlite", home / "s.sqlite")
    (folder / "config.toml").write_text(
        '[store]\npath = "~/s.sqlite"\nparquet_dir = "~/scores"\nscore_cache = "~/cache"\n'
        '[report]\noutput = "~/report.html"\n'
    )
    for command in (("score", "--now", NOW, "--quiet"), ("report", "--now", NOW, "--quiet")):
        result = cli(folder, *command, env={"HOME": str(home)})
        assert result.returncode == 0, result.stderr
    assert (home / "report.html").read_bytes() == (scored / "report.html").read_bytes()
    assert (home / "scores" / "people.parquet").is_file() and (home / "cache" / "meta.json").is_file()
    assert [p.name for p in folder.iterdir()] == ["config.toml"]  # no folder named "~"
