"""search keys: paper ids and dates kept where the index's recency key holds them

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-01 10:30:00

A paper's index rowid is `(2**22 - day) * 2**32 + id` (migration 0002). That key is
unique only while every id is below 2**32 and every day below 2**22; a backup
restored before this revision could bring ids of 2**32 or more (searches then
returned the wrong paper, and an id of 2**63-1 made every later import overflow).

The key's layout stays: 32 bits of id are four billion papers, and the imports now
refuse ids and dates outside those ranges (`models/core/fields.py`). What this
revision adds is the schema's own guard, so no writer at all can store a paper whose
key would collide: triggers abort an insert or update with an id outside 1..2**32-1
or a date outside the years 1000-2999. A library that already holds such papers has
them renumbered below 2**32 (their reader state moved with them) and out-of-range
dates cleared, then its paper index rebuilt.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None

MAX_ID = 4294967295
BAD_ID = f"{{row}}.id < 1 OR {{row}}.id > {MAX_ID}"
BAD_DATE = (
    "{row}.published IS NOT NULL AND "
    "({row}.published < '1000-01-01' OR {row}.published >= '3000-01-01')"
)
#: The tables that point at a paper by id.
CHILDREN = ("reading_state", "status_change", "paper_tag", "note", "paper_source")


def _guard(name: str, event: str, condition: str, reason: str) -> str:
    return f"""CREATE TRIGGER {name} AFTER {event} ON paper WHEN {condition} BEGIN
        SELECT RAISE(ABORT, '{reason}');
    END"""


GUARDS = {
    "paper_id_range_insert": ("INSERT", BAD_ID, "paper id outside 1-4294967295"),
    "paper_id_range_update": ("UPDATE OF id", BAD_ID, "paper id outside 1-4294967295"),
    "paper_date_range_insert": ("INSERT", BAD_DATE, "publication date outside 1000-2999"),
    "paper_date_range_update": ("UPDATE OF published", BAD_DATE, "date outside 1000-2999"),
}


def _repair() -> bool:
    """Renumber papers with ids past the key's 32 bits and clear dates past its range;
    whether anything changed (and the index must be rebuilt)."""
    bind = op.get_bind()
    bad_dates = bind.exec_driver_sql(
        f"SELECT count(*) FROM paper WHERE {BAD_DATE.format(row='paper')}"
    ).scalar_one()
    if bad_dates:
        op.execute(
            "UPDATE paper SET published = NULL, published_precision = NULL "
            f"WHERE {BAD_DATE.format(row='paper')}"
        )
    bad_ids = [
        row[0]
        for row in bind.exec_driver_sql(
            f"SELECT id FROM paper WHERE {BAD_ID.format(row='paper')} ORDER BY id"
        )
    ]
    if bad_ids:
        # Children are moved after their paper: checked at commit, not statement by statement.
        op.execute("PRAGMA defer_foreign_keys = ON")
        next_id = bind.exec_driver_sql(
            f"SELECT coalesce(max(id), 0) + 1 FROM paper WHERE id BETWEEN 1 AND {MAX_ID}"
        ).scalar_one()
        for old_id in bad_ids:
            for statement in [
                f"UPDATE paper SET id = {next_id} WHERE id = {old_id}",
                *(
                    f"UPDATE {t} SET paper_id = {next_id} WHERE paper_id = {old_id}"
                    for t in CHILDREN
                ),
            ]:
                op.execute(statement)
            next_id += 1
    return bool(bad_dates or bad_ids)


def _rebuild_paper_index() -> None:
    """Empty the paper index and queue every paper: the next open indexes them in key order."""
    op.execute("INSERT INTO paper_fts(paper_fts) VALUES ('delete-all')")
    op.execute("UPDATE paper_fts_state SET indexed_upto = 0 WHERE id = 1")
    op.execute("UPDATE paper_text_version SET changes = changes + 1 WHERE id = 1")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    if _repair():
        _rebuild_paper_index()
    for name, (event, condition, reason) in GUARDS.items():
        op.execute(_guard(name, event, condition.format(row="new"), reason))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in GUARDS:
        op.execute(f"DROP TRIGGER {name}")
