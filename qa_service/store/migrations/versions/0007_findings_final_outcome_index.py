"""An index on ``findings(item_id, final_outcome, call_pk)``: the queue's failed-item filter
(``failed_item=closing``) probes it once per candidate call, without reading the findings rows
(qa_service/store/queue.py), and counts its matches from it alone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_findings_item_final", "findings", ["item_id", "final_outcome", "call_pk"])


def downgrade() -> None:
    op.drop_index("ix_findings_item_final", table_name="findings")
