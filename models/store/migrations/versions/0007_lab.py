"""lab: notes a reader shares with the others, and change notices for live views

Revision ID: 0007
Revises: 0002
Create Date: 2026-12-01 10:05:00

A note is its reader's alone unless `shared`. On PostgreSQL every committed change to
the papers or to anyone's reading state also sends a notice on the channel
`papershelf_changes` (statement triggers: one notice per statement, and PostgreSQL
folds equal notices of one transaction into one), which an open app LISTENs to
(`models/store/changes.py`). SQLite needs no triggers: `PRAGMA data_version` changes
whenever another connection commits.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: The tables whose changes an open view shows.
WATCHED = ("paper", "reading_state", "paper_tag", "note", "tag", "status_change")

NOTIFY = """CREATE FUNCTION papershelf_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('papershelf_changes', TG_TABLE_NAME);
    RETURN NULL;
END $$"""


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch copy: copying the table would drop SQLite's
    # search index triggers on it (migration 0002).
    op.add_column(
        "note", sa.Column("shared", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(NOTIFY)
    for name in WATCHED:
        op.execute(
            f"CREATE TRIGGER {name}_notify AFTER INSERT OR UPDATE OR DELETE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION papershelf_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in WATCHED:
            op.execute(f"DROP TRIGGER {name}_notify ON {name}")
        op.execute("DROP FUNCTION papershelf_notify_change()")
    op.execute("ALTER TABLE note DROP COLUMN shared")  # SQLite 3.35+ drops it in place
