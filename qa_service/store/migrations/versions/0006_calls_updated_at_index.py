"""An index on ``calls.updated_at``: the statistics cache reads its maximum on every request
(qa_service/services/stats_cache.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_calls_updated_at", "calls", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_calls_updated_at", table_name="calls")
