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

Text stored before every source was cleaned at the boundary (DOIs, backups, file
names) may hold terminal escapes; it is cleaned here once, as an import would have
cleaned it, so `show`, the app and every export only ever meet plain text.
"""

from __future__ import annotations

import json

from alembic import op

from models.core.keys import abstract_key, doi_key, title_key
from models.core.text import clean_block, clean_text, path_label

revision = "0006"
down_revision = "0005"
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


def _unclean(value: object, *, lines: bool = False) -> bool:
    """Whether stored text holds what cleaning removes (line breaks are a note's own)."""
    if not isinstance(value, str):
        return False
    return not (value.replace("\n", " ") if lines else value).isprintable()


def _clean_list(stored: str | None) -> str | None | bool:
    """A JSON list of names cleaned, as the column stores it; False when already clean."""
    if not stored or "\\u" not in stored and not _unclean(stored):
        return False  # JSON writes every control as \uXXXX: none there, none to clean
    items = json.loads(stored)
    if not isinstance(items, list) or not any(_unclean(item) for item in items):
        return False
    cleaned = [clean_text(item) for item in items if isinstance(item, str)]
    kept = [item for item in cleaned if item]
    return json.dumps(kept) if kept else None


def _clean_papers() -> None:
    """Clean the text fields of papers that hold controls; their keys follow their text."""
    bind = op.get_bind()
    rows = bind.exec_driver_sql(
        "SELECT id, title, abstract, venue, doi, arxiv_id, authors, categories FROM paper"
    )  # about 0.9 s at 100,000 papers, read as a stream; only the changes are kept
    updates = []
    for paper_id, *texts, authors, categories in rows:
        values = dict(zip(("title", "abstract", "venue", "doi", "arxiv_id"), texts, strict=True))
        changed: dict[str, str | None] = {
            name: clean_text(value) for name, value in values.items() if _unclean(value)
        }
        for name, names in (("authors", authors), ("categories", categories)):
            cleaned_list = _clean_list(names)
            if not isinstance(cleaned_list, bool):
                changed[name] = cleaned_list
        if not changed:
            continue
        keys = {"title": title_key, "doi": doi_key, "abstract": abstract_key}
        for name, key in keys.items():
            if name in changed:
                changed[f"{name}_key"] = key(changed[name])
        updates.append((paper_id, changed))
    for paper_id, changed in updates:  # after the read: never while it is under way
        assignments = ", ".join(f"{name} = ?" for name in changed)
        bind.exec_driver_sql(
            f"UPDATE paper SET {assignments} WHERE id = ?", (*changed.values(), paper_id)
        )


def _clean_names(table: str, column: str, clean) -> None:
    """Clean unique names (tags, readers, source files); one that would then equal another
    is left as it is rather than merged."""
    bind = op.get_bind()
    rows = bind.exec_driver_sql(f"SELECT id, {column} FROM {table}").all()
    taken = {str(name).lower() for _, name in rows}
    for row_id, name in rows:
        if _unclean(name):
            cleaned = clean(name)
            if cleaned and cleaned.lower() not in taken:
                taken.add(cleaned.lower())
                update = f"UPDATE {table} SET {column} = ? WHERE id = ?"
                bind.exec_driver_sql(update, (cleaned, row_id))


def _clean_stored_text() -> None:
    _clean_papers()
    bind = op.get_bind()
    for note_id, body in bind.exec_driver_sql("SELECT id, body FROM note").all():
        if _unclean(body, lines=True):
            bind.exec_driver_sql(
                "UPDATE note SET body = ? WHERE id = ?", (clean_block(body).rstrip(), note_id)
            )
    _clean_names("tag", "name", clean_text)
    _clean_names("reader", "name", clean_text)
    _clean_names("source_file", "path", path_label)


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
    _clean_stored_text()
    for name, (event, condition, reason) in GUARDS.items():
        op.execute(_guard(name, event, condition.format(row="new"), reason))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in GUARDS:
        op.execute(f"DROP TRIGGER {name}")
