"""Which store a notebook reads, wherever its kernel starts (JupyterLab starts it in notebooks/)."""

from __future__ import annotations

import os
from pathlib import Path

from analyzer.errors import NoDataError

STORE_ENV = "ANALYZER_DEMO_STORE"
DEMO_STORE = Path("out/demo/demo.sqlite")  # what `make demo` / `analyzer demo` writes
NO_STORE = "run make demo / analyzer collect first"


def _configured(folder: Path) -> Path | None:
    """The store a config.toml in ``folder`` names, when that file exists (paths relative to the folder)."""
    if not (folder / "config.toml").is_file():
        return None
    from analyzer.config import load_config

    path = Path(load_config(folder / "config.toml").store.path).expanduser()
    path = path if path.is_absolute() else folder / path
    return path if path.is_file() else None


def find_store(start: Path | str | None = None) -> Path:
    """The store to read: ``$ANALYZER_DEMO_STORE``; else, from ``start`` (default: the working directory)
    up to the filesystem root, the first folder with the store its config.toml names or with the demo
    store ``out/demo/demo.sqlite``. Raises NoDataError saying what to run when there is none."""
    named = os.environ.get(STORE_ENV)
    if named:
        path = Path(named).expanduser()
        if path.is_file():
            return path
        raise NoDataError(f"{STORE_ENV} names {path}, which does not exist: {NO_STORE}")
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        found = _configured(folder) or (folder / DEMO_STORE if (folder / DEMO_STORE).is_file() else None)
        if found is not None:
            return found
    raise NoDataError(f"no store found in {here} or any folder above it: {NO_STORE}")
