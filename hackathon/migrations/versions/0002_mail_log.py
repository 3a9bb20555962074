"""Mail log: requests for account mail of the last hour, to cap mail per account and per client.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("sent", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('verify', 'reset')", name=op.f("ck_mail_log_known_purpose")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mail_log_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_log")),
    )
    op.create_index("ix_mail_log_user_id_sent_at", "mail_log", ["user_id", "sent_at"])
    op.create_index("ix_mail_log_ip_sent_at", "mail_log", ["ip", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_log_ip_sent_at", "mail_log")
    op.drop_index("ix_mail_log_user_id_sent_at", "mail_log")
    op.drop_table("mail_log")
