"""watch lists and feed validators

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 09:40:00

`watch`: a reader's named searches (`papershelf watch add NAME QUERY`).
`fetch_validator`: the ETag and Last-Modified a feed last sent, per URL, so the next
fetch can ask "changed since?" and the feed can answer 304 instead of resending it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("query", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["reader_id"], ["reader.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reader_id", "name", name="uq_watch_reader_name"),
    )
    op.create_table(
        "fetch_validator",
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url"),
    )


def downgrade() -> None:
    op.drop_table("fetch_validator")
    op.drop_table("watch")
