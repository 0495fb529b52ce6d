"""Transcript search: ``utterances.search_doc`` and its phrase index, per backend.

- ``utterances.search_doc``: the index terms of the (redacted) utterance text, see
  ``qa_service.search.terms``; existing rows are filled here, in batches, in Python;
- SQLite: FTS5 external-content table ``utterances_fts(search_doc)`` over ``utterances`` and the
  insert/update/delete triggers that keep it in step;
- PostgreSQL: GIN index ``ix_utterances_search_doc_tsv`` on ``to_tsvector('simple', search_doc)``.

The FTS5 tables and the expression index are not in the ORM models; ``qa_service.search.index.
include_name`` keeps them out of the model comparison. On SQLite, a later migration that rebuilds
``utterances`` (``batch_alter_table`` with a table copy) drops the triggers with the old table and
must create them again (``_SQLITE_TRIGGERS``) and rebuild the FTS5 table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2000

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE utterances_fts USING fts5(search_doc, content='utterances', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')"
)
_SQLITE_TRIGGERS = (
    "CREATE TRIGGER utterances_fts_insert AFTER INSERT ON utterances BEGIN "
    "INSERT INTO utterances_fts(rowid, search_doc) VALUES (new.id, new.search_doc); END",
    "CREATE TRIGGER utterances_fts_delete AFTER DELETE ON utterances BEGIN "
    "INSERT INTO utterances_fts(utterances_fts, rowid, search_doc) VALUES ('delete', old.id, old.search_doc); END",
    "CREATE TRIGGER utterances_fts_update AFTER UPDATE OF id, search_doc ON utterances BEGIN "
    "INSERT INTO utterances_fts(utterances_fts, rowid, search_doc) VALUES ('delete', old.id, old.search_doc); "
    "INSERT INTO utterances_fts(rowid, search_doc) VALUES (new.id, new.search_doc); END",
)
_PG_INDEX = (
    "CREATE INDEX ix_utterances_search_doc_tsv ON utterances USING gin (to_tsvector('simple'::regconfig, search_doc))"
)


def _fill_search_doc() -> None:
    """``search_doc`` for the rows already there (none on a new database)."""
    from qa_service.search.terms import search_doc

    bind = op.get_bind()
    utterances = sa.table("utterances", sa.column("id", sa.Integer()), sa.column("text", sa.Text()),
                          sa.column("search_doc", sa.Text()))
    update = (sa.update(utterances).where(utterances.c.id == sa.bindparam("row_id"))
              .values(search_doc=sa.bindparam("doc")))
    last = 0
    while True:
        rows = bind.execute(sa.select(utterances.c.id, utterances.c.text).where(utterances.c.id > last)
                            .order_by(utterances.c.id).limit(_BATCH)).all()
        if not rows:
            return
        bind.execute(update, [{"row_id": row_id, "doc": search_doc(said)} for row_id, said in rows])
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table("utterances") as batch:
        batch.add_column(sa.Column("search_doc", sa.Text(), nullable=False, server_default=""))
    _fill_search_doc()
    if op.get_context().dialect.name == "postgresql":
        op.execute(_PG_INDEX)
        return
    op.execute(_SQLITE_FTS)
    op.execute("INSERT INTO utterances_fts(utterances_fts) VALUES ('rebuild')")
    for statement in _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_utterances_search_doc_tsv")
    else:
        for trigger in ("utterances_fts_insert", "utterances_fts_delete", "utterances_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS utterances_fts")
    with op.batch_alter_table("utterances") as batch:
        batch.drop_column("search_doc")
