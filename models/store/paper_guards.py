"""The schema's guard on a paper's id and date, and how a large import sets part of it
aside for the length of its transaction.

Migration 0006's triggers refuse a paper whose id is outside 1..2**32-1 or whose date is
outside the years 1000-2999, because the search index's rowid holds both. A trigger on
INSERT costs SQLite a statement journal for every row inserted, which doubles the cost
of an import's inserts. So `insert_guards_lifted` drops the two INSERT triggers inside
the importer's transaction and puts them back before the transaction ends. It then has
the UPDATE triggers judge the new rows once: an UPDATE that sets a guarded column to
itself, on only the rows the guard would refuse, aborts with the guard's own message.

The import holds the write lock throughout, so no other writer ever meets the library
without its guard, and a failure rolls the drop back with everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from models.core.fields import MAX_ID, YEARS

INSERT_GUARDS = ("paper_id_range_insert", "paper_date_range_insert")
#: The UPDATE statements that make the UPDATE guards look at the papers above an id.
_JUDGED = (
    f"UPDATE paper SET id = id WHERE id > ? AND id > {MAX_ID}",
    "UPDATE paper SET published = published WHERE id > ? AND published IS NOT NULL "
    f"AND (published < '{YEARS[0]:04d}-01-01' OR published >= '{YEARS[-1] + 1:04d}-01-01')",
)


@contextmanager
def insert_guards_lifted(connection: Connection) -> Iterator[None]:
    """Inside a write transaction on SQLite: insert papers without the INSERT guards,
    which are back, and have judged the new papers, when the block ends (nothing is
    changed elsewhere)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    names = ", ".join(f"'{name}'" for name in INSERT_GUARDS)
    guards = connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
    ).all()
    last = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM paper").scalar_one()
    for name, _ in guards:
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    yield  # on an error the caller's rollback brings the triggers back
    for _, sql in guards:
        connection.exec_driver_sql(sql)
    for statement in _JUDGED:
        connection.exec_driver_sql(statement, (last,))
