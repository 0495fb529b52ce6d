"""Database objects only one backend has, which the ORM models cannot describe: the transcript
search objects (:mod:`qa_service.search.index`) and the PostgreSQL queue sort indexes
(:data:`qa_service.store.queue.PG_SORT_INDEXES`). :func:`include_name` hides them from Alembic's
comparison of the models with a database."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Literal

from qa_service.search.index import FTS_TABLE, PG_INDEX
from qa_service.store.queue import PG_SORT_INDEXES

_NameKind = Literal["schema", "table", "column", "index", "unique_constraint", "foreign_key_constraint",
                    "check_constraint"]
_ParentKey = Literal["schema_name", "table_name", "schema_qualified_table_name"]


def include_name(name: str | None, type_: _NameKind, parent_names: MutableMapping[_ParentKey, str | None]) -> bool:
    """Alembic ``include_name`` hook: False for the objects only one backend has."""
    if name is None:
        return True
    if type_ == "table":
        return not (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))
    if type_ == "index":
        return name != PG_INDEX and name not in PG_SORT_INDEXES
    return True
