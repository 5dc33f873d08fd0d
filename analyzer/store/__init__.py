"""The local SQLite store: typed columns plus the raw payload of every collected item."""

from analyzer.store.schema import SCHEMA_VERSION
from analyzer.store.store import Store, SyncState

__all__ = ["SCHEMA_VERSION", "Store", "SyncState"]
