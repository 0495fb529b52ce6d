"""Queue sort indexes: the flagged-call queue's default orders walk an index instead of sorting the
whole filtered set (at 100,000 calls the sort, not the filter, was most of a page's time).

- PostgreSQL only (``DESC NULLS LAST`` is not what a plain index gives there, and SQLite cannot declare
  it): ``ix_calls_newest`` (started_at DESC NULLS LAST, id DESC), ``ix_calls_longest`` (duration_s
  DESC NULLS LAST, id DESC). Named in ``qa_service.store.queue.PG_SORT_INDEXES`` and left out of the
  model comparison (``qa_service.store.backend_only.include_name``).
- Both: ``scorecards (final_score, call_pk)`` replaces the index on ``final_score`` alone (worst first,
  ties by call).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG = (
    "CREATE INDEX ix_calls_newest ON calls (started_at DESC NULLS LAST, id DESC)",
    "CREATE INDEX ix_calls_longest ON calls (duration_s DESC NULLS LAST, id DESC)",
)


def upgrade() -> None:
    op.drop_index("ix_scorecards_final_score", table_name="scorecards")
    op.create_index("ix_scorecards_final_score_call", "scorecards", ["final_score", "call_pk"])
    if op.get_context().dialect.name == "postgresql":
        for statement in _PG:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_calls_longest")
        op.execute("DROP INDEX IF EXISTS ix_calls_newest")
    op.drop_index("ix_scorecards_final_score_call", table_name="scorecards")
    op.create_index("ix_scorecards_final_score", "scorecards", ["final_score"])
