"""The store owns the SQLite file: no module outside analyzer/store/ runs SQL or holds a connection.

Frames, collector, scores and report call the store's typed functions (``Store`` methods,
``store.collected.read_collected``, ``store.generations``, ``store.run_log``); a second place that talks
SQL would be a second description of the tables, free to drift from the schema.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "analyzer"
STORE = PACKAGE / "store"
DRIVERS = {"sqlite3", "apsw", "sqlalchemy", "duckdb", "sqlite_utils"}
CURSOR_CALLS = {"execute", "executemany", "executescript"}
PANDAS_SQL = {"read_sql", "read_sql_query", "read_sql_table", "to_sql"}
SQL_TEXT = re.compile(
    r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s"
    r"|CREATE\s+(TABLE|INDEX|VIEW)\s|DROP\s+TABLE\s|PRAGMA\s|BEGIN\b)",
    re.DOTALL,  # keywords in capitals, as this code base writes SQL: prose is not flagged
)


def sql_uses(source: str) -> list[str]:
    """What in ``source`` (one Python module) reads or writes SQLite, as "line: what"."""
    tree = ast.parse(source)
    own_modules = set()  # names bound to analyzer modules: a call like fast_graphql.execute(...) is ours
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name.split(".")[0] in DRIVERS]
            own_modules |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("analyzer")}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in DRIVERS:
                found.append(f"{node.lineno}: from {node.module} import ...")
            if node.module.startswith("analyzer"):
                own_modules |= {a.asname or a.name for a in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            ours = isinstance(receiver, ast.Name) and receiver.id in own_modules
            if node.func.attr in CURSOR_CALLS and not ours:
                found.append(f"{node.lineno}: .{node.func.attr}(...)")
            if node.func.attr in PANDAS_SQL:
                found.append(f"{node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, ast.Attribute) and node.attr in {"conn", "_conn"} and _is_store(node.value):
            found.append(f"{node.lineno}: store.{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
            found.append(f"{node.lineno}: SQL text {node.value.strip()[:30]!r}")
    return sorted(set(found))


def _is_store(node: ast.expr) -> bool:
    """``store`` or ``<anything>.store``: a Store's connection reached from outside."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name in {"store", "_store"}


def test_no_sql_outside_the_store() -> None:
    offenders = {
        str(path.relative_to(ROOT)): uses
        for path in sorted(PACKAGE.rglob("*.py"))
        if STORE not in path.parents and (uses := sql_uses(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "SQL outside analyzer/store/ (move it into a store function):\n" + "\n".join(
        f"{name}: {', '.join(uses)}" for name, uses in offenders.items()
    )


def test_the_check_sees_every_way_of_talking_sql() -> None:
    """The check above is only as good as what it detects: each of these alone must be flagged."""
    planted = {
        "import sqlite3": "import sqlite3",
        "from sqlite3 import connect": "from sqlite3 import",
        "store.conn.execute('x', ())": ".execute(",
        "conn.executemany(sql, rows)": ".executemany(",
        "cur.executescript(script)": ".executescript(",
        "pd.read_sql_query(q, c)": ".read_sql_query(",
        "frame.to_sql('t', c)": ".to_sql(",
        "x = self.store.conn": "store.conn",
        "x = store._conn": "store._conn",
        "q = 'SELECT id FROM pull_requests WHERE repo = ?'": "SQL text",
        'q = f"UPDATE commits SET files_fetched = 1 WHERE sha = {s}"': "SQL text",
        "q = 'INSERT OR REPLACE INTO actors (login) VALUES (?)'": "SQL text",
    }
    for source, expected in planted.items():
        uses = sql_uses(source)
        assert any(expected in use for use in uses), (source, uses)
    # our own modules' functions that happen to be named execute, and prose about selecting, are no SQL
    assert sql_uses("from analyzer.fakegithub import fast_graphql\nfast_graphql.execute(doc, {})") == []
    assert sql_uses("note = 'Select the people from the team'") == []
    assert sql_uses("self._conn.send(message)") == []  # a pipe, not the store's connection


def test_the_store_itself_is_where_the_sql_is() -> None:
    """Not vacuous: the same check finds the SQL inside analyzer/store/."""
    for module in ("store.py", "collected.py", "generations.py", "run_log.py"):
        assert sql_uses((STORE / module).read_text(encoding="utf-8")), module
