"""The store's database fixtures (``db_settings``: SQLite and PostgreSQL), shared from tests/store."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("_store_conftest", Path(__file__).parents[1] / "store" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_store = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store)

pg_url = _store.pg_url
db_settings = _store.db_settings
