"""Supervisor API: roles renamed, sign-in tokens, log-in throttling, queue flags, review results.

- roles are admin / supervisor / trainer / auditor / agent (qa_supervisor and service_manager become
  supervisor, compliance_auditor becomes auditor); agents are tied to their ``agent_id``; ``pii_access``
  lets a user hear unbleeped audio;
- ``api_tokens`` (sha256 of opaque tokens) and ``login_failures``;
- ``call_flags``: why a call is in the queue;
- the human result beside the automatic one: ``scorecards.final_score/final_passed``,
  ``findings.final_outcome`` (filled from the automatic values), ``reviews.score``, ``calls.review_state``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_ROLE_RENAMES = {"qa_supervisor": "supervisor", "service_manager": "supervisor", "compliance_auditor": "auditor"}


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("agent_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("pii_access", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index(batch.f("ix_users_agent_id"), ["agent_id"], unique=False)
    for old, new in _ROLE_RENAMES.items():
        op.execute(sa.text("UPDATE users SET role = :new WHERE role = :old").bindparams(new=new, old=old))

    op.create_table(
        "api_tokens",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "login_failures",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_username_at", "login_failures", ["username", "at"], unique=False)
    op.create_table(
        "call_flags",
        sa.Column("call_pk", _ID, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_pk"], ["calls.id"], name=op.f("fk_call_flags_call_pk_calls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("call_pk", "reason", name=op.f("pk_call_flags")),
    )
    op.create_index("ix_call_flags_reason", "call_flags", ["reason"], unique=False)

    with op.batch_alter_table("calls") as batch:
        batch.add_column(
            sa.Column("review_state", sa.String(length=16), nullable=False, server_default="unreviewed")
        )
        batch.create_index(batch.f("ix_calls_review_state"), ["review_state"], unique=False)
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("score", sa.Float(), nullable=True))

    # final values start as the automatic ones
    with op.batch_alter_table("scorecards") as batch:
        batch.add_column(sa.Column("final_score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("final_passed", sa.Boolean(), nullable=True))
    op.execute("UPDATE scorecards SET final_score = score, final_passed = passed")
    with op.batch_alter_table("scorecards") as batch:
        batch.alter_column("final_score", existing_type=sa.Float(), nullable=False)
        batch.alter_column("final_passed", existing_type=sa.Boolean(), nullable=False)
        batch.create_index(batch.f("ix_scorecards_final_score"), ["final_score"], unique=False)
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("final_outcome", sa.String(length=16), nullable=True))
    op.execute("UPDATE findings SET final_outcome = outcome")
    with op.batch_alter_table("findings") as batch:
        batch.alter_column("final_outcome", existing_type=sa.String(length=16), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("final_outcome")
    with op.batch_alter_table("scorecards") as batch:
        batch.drop_index(batch.f("ix_scorecards_final_score"))
        batch.drop_column("final_passed")
        batch.drop_column("final_score")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("score")
    with op.batch_alter_table("calls") as batch:
        batch.drop_index(batch.f("ix_calls_review_state"))
        batch.drop_column("review_state")
    op.drop_index("ix_call_flags_reason", table_name="call_flags")
    op.drop_table("call_flags")
    op.drop_index("ix_login_failures_username_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.execute("UPDATE users SET role = 'qa_supervisor' WHERE role = 'supervisor'")
    op.execute("UPDATE users SET role = 'compliance_auditor' WHERE role = 'auditor'")
    with op.batch_alter_table("users") as batch:
        batch.drop_index(batch.f("ix_users_agent_id"))
        batch.drop_column("pii_access")
        batch.drop_column("agent_id")
