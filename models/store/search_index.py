"""The search index's upkeep: SQLite FTS5 tables kept in step with the papers.

Migration 0002 keeps two contentless FTS5 tables: `paper_fts` (title, abstract,
authors, venue) and `note_fts` (note bodies). A paper's index rowid is its recency
key, `(2**22 - day) * 2**32 + id` (day 0 when undated), so rowids in ascending order
are the library's order (newest first, then by id, undated last) and FTS5 hands out
matches in that order, stopping once a page is full. Reading the index is
`models/search/fts.py`'s job; keeping it current is this module's.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    cast,
    column,
    func,
    insert,
    literal,
    literal_column,
    select,
    table,
)
from sqlmodel import Session, col

from models.store.library import Library
from models.store.tables import Paper

KEY_SHIFT = 1 << 32

ID_MASK = KEY_SHIFT - 1

#: Above every Julian day number (year 6700), so a newer day makes a smaller key.
LAST_DAY = 1 << 22

#: `julianday()` of a date, less its fraction, is the date's ordinal plus this.
JULIAN_DAY_OFFSET = 1721424

PAPER_FTS = table("paper_fts", column("rowid", Integer), column("paper_fts"))

NOTE_FTS = table("note_fts", column("rowid", Integer), column("note_fts"))

PAPER_TERMS = table("paper_terms", column("term"), column("doc", Integer))

TEXT_VERSION = table("paper_text_version", column("changes", Integer))

KEY = PAPER_FTS.c.rowid

_MARK = "(SELECT indexed_upto FROM paper_fts_state WHERE id = 1)"

#: Authors as the index holds them: the names in the JSON list, not the JSON text.
_AUTHOR_NAMES = (
    "CASE WHEN json_valid(paper.authors) "
    "THEN (SELECT group_concat(value, ', ') FROM json_each(paper.authors)) END"
)

#: The index's venue column holds the venue and the arXiv comment line (migration 0005).
_VENUE_TEXT = "nullif(trim(coalesce(paper.venue, '') || ' ' || coalesce(paper.comment, '')), '')"
PAPER_FTS_ROW = table(
    "paper_fts", *(column(name) for name in ("rowid", "title", "abstract", "authors", "venue"))
)


def has_pending(connection: Connection) -> bool:
    """Whether papers wait to be indexed (ids above the mark); False before schema 0002."""
    state = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'paper_fts_state'")
    if state.first() is None:  # a library not yet at schema 0002 (opened unmigrated)
        return False
    newest = connection.exec_driver_sql(f"SELECT max(id) FROM paper WHERE id > {_MARK}")
    return newest.scalar_one() is not None


def index_pending(connection: Connection) -> int:
    """Index the papers added since the last call (ids above the mark), in key order;
    1 if there were any, else 0.

    An import runs it after each batch of new papers, inside the import's transaction; a fetch
    runs it after its merge commits; opening a library runs it for papers that a fetch
    committed but did not get to index."""
    if not has_pending(connection):
        return 0
    rows = (
        _index_rows()
        .where(Paper.id > literal_column(_MARK))
        .order_by(paper_key())  # FTS5 takes rows fastest in rowid order
    )
    connection.execute(insert(PAPER_FTS_ROW).from_select(list(PAPER_FTS_ROW.c), rows))
    connection.exec_driver_sql(
        "UPDATE paper_fts_state SET indexed_upto = (SELECT max(id) FROM paper) WHERE id = 1"
    )
    connection.exec_driver_sql("UPDATE paper_text_version SET changes = changes + 1 WHERE id = 1")
    return 1


def _index_rows() -> Select:
    """A paper's row in the index, as the triggers write it (the venue with the comment)."""
    return select(
        paper_key(),
        col(Paper.title),
        col(Paper.abstract),
        literal_column(_AUTHOR_NAMES),
        literal_column(_VENUE_TEXT),
    )


def is_available(session: Session) -> bool:
    """Whether this library has the FTS5 index (SQLite at schema 0002 or later)."""
    return session.get_bind().dialect.name == "sqlite"


def recency_key(published: date | None, paper_id: int) -> int:
    """A paper's rowid in the index."""
    day = published.toordinal() + JULIAN_DAY_OFFSET if published else 0
    return (LAST_DAY - day) * KEY_SHIFT + paper_id


def paper_id_of_key(key: int) -> int:
    return key & ID_MASK


def paper_id_column(key: ColumnElement) -> ColumnElement:
    return key.op("&")(literal(ID_MASK))


def paper_key() -> ColumnElement:
    """`recency_key` in SQL, over the paper table."""
    day = func.coalesce(cast(func.julianday(Paper.published), Integer), 0)
    return (LAST_DAY - day) * KEY_SHIFT + Paper.id


def update_index(library: Library) -> int:
    """Bring the search index up to date after papers were added (a no-op off SQLite)."""
    with library.read() as session:  # most calls find nothing to do: no write lock
        if not (is_available(session) and has_pending(session.connection())):
            return 0
    with library.write() as session:
        return index_pending(session.connection())


def index_papers(session: Session, paper_ids: list[int]) -> None:
    """Index these papers again (papers restored after a delete: below the mark, which
    `index_pending` never looks under)."""
    rows = (
        _index_rows()
        .where(col(Paper.id).in_(paper_ids), col(Paper.id) <= literal_column(_MARK))
        .order_by(paper_key())
    )
    session.execute(insert(PAPER_FTS_ROW).from_select(list(PAPER_FTS_ROW.c), rows))
    session.connection().exec_driver_sql(
        "UPDATE paper_text_version SET changes = changes + 1 WHERE id = 1"
    )
