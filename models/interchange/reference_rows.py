"""The papers a reference export needs, as plain rows: only the columns it writes and the
reader's tags, no ORM objects (which cost an export of 10,000 papers more than writing it).
JSON and date columns are read as text and converted here with the C-speed `json.loads`
and `date.fromisoformat`.

On SQLite the rows come from plain SQL on the driver's connection: one query for the
papers, one for the reader's tags. `sqlite_reference_views` serves both an export
through a session and the command line's export straight from the file, which never
imports SQLAlchemy (see `models.store.sqlite_reading`). Other databases go through
SQLAlchemy Core, a chunk of ids at a time.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from models.core.keys import paper_url

if TYPE_CHECKING:
    from sqlmodel import Session

TEXT_COLUMNS = ("arxiv_id", "doi", "title", "abstract", "published_precision", "venue")
JSON_COLUMNS = ("authors", "author_names", "categories")
_SELECT = f"SELECT {', '.join(('id', *TEXT_COLUMNS, *JSON_COLUMNS, 'published'))} FROM paper"
#: The library's order, as `models.shelf.papers.newest_first` writes it.
_ORDERED_IDS = "SELECT id FROM paper ORDER BY published DESC NULLS LAST, id"
_CHOSEN = " WHERE id IN (SELECT value FROM json_each(?))"  # any number of ids, one parameter
_TAGS = (
    "SELECT paper_tag.paper_id, tag.name FROM paper_tag JOIN tag ON tag.id = paper_tag.tag_id"
    " WHERE paper_tag.reader_id = ? ORDER BY tag.name"
)


@dataclass(slots=True)
class PaperRow:
    """The columns of a paper that reference formats write."""

    id: int
    arxiv_id: str | None
    doi: str | None
    title: str | None
    abstract: str | None
    published_precision: str | None
    venue: str | None
    authors: list[str] | None
    author_names: list[dict[str, str]] | None
    categories: list[str] | None
    published: date | None


@dataclass(slots=True)
class ReferenceView:
    """What `PaperView` offers the reference writers: `.paper` and `.tags`."""

    paper: PaperRow
    tags: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.paper.id

    @property
    def url(self) -> str | None:
        return paper_url(self.paper.arxiv_id, self.paper.doi)


def _row(values: Sequence[Any]) -> PaperRow:
    *head, authors, names, categories, published = values
    return PaperRow(*[*head, _json(authors), _json(names), _json(categories), _date(published)])


def _json(value: Any) -> Any:
    """SQLite hands JSON columns read as text back as text; PostgreSQL's driver decodes them."""
    return json.loads(value) if isinstance(value, str) else value or None


def _date(value: Any) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


#: Papers read, decoded and written a chunk at a time: an export of any size holds one
#: chunk's rows in memory, never the whole library's.
CHUNK = 1000


def sqlite_reference_views(
    connection: sqlite3.Connection, *, reader_id: int, ids: Sequence[int] | None
) -> Iterator[ReferenceView]:
    """These papers in this order (None: the whole library in its order), from SQLite."""
    tags: dict[int, list[str]] = defaultdict(list)
    for paper_id, name in connection.execute(_TAGS, (reader_id,)):
        tags[paper_id].append(name)
    if ids is None:  # ordered through the date index; sorting whole rows costs twice that
        ids = [paper_id for (paper_id,) in connection.execute(_ORDERED_IDS)]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = connection.execute(_SELECT + _CHOSEN, (json.dumps(list(chunk)),)).fetchall()
        found = {row.id: row for row in _rows(rows)}
        yield from (ReferenceView(found[i], tags.get(i, [])) for i in chunk if i in found)


def _rows(rows: list[Sequence[Any]]) -> Iterator[PaperRow]:
    """`_row` for many rows: each JSON column decoded in one `json.loads` over all of them
    (a call per value costs more than the decoding)."""
    width = 1 + len(TEXT_COLUMNS)
    decoded = [
        json.loads("[" + ",".join(row[width + n] or "null" for row in rows) + "]")
        for n in range(len(JSON_COLUMNS))
    ]
    for values, authors, names, categories in zip(rows, *decoded, strict=True):
        yield PaperRow(*[*values[:width], authors, names, categories, _date(values[-1])])


def driver_connection(session: Session) -> sqlite3.Connection | None:
    """The `sqlite3` connection under a session's transaction; None on other databases."""
    connection = session.connection().connection.driver_connection
    return connection if isinstance(connection, sqlite3.Connection) else None


def reference_views(
    session: Session, *, reader_id: int, ids: Sequence[int]
) -> Iterator[ReferenceView]:
    """These papers in this order."""
    connection = driver_connection(session)
    if connection is not None:
        yield from sqlite_reference_views(connection, reader_id=reader_id, ids=ids)
        return
    yield from _core_reference_views(session, reader_id=reader_id, ids=ids)


def _core_reference_views(
    session: Session, *, reader_id: int, ids: Sequence[int]
) -> Iterator[ReferenceView]:
    """Through SQLAlchemy Core, a chunk of ids at a time (PostgreSQL)."""
    from sqlalchemy import String, select, type_coerce
    from sqlmodel import col

    from models.store.bulk import chunked
    from models.store.tables import Paper, PaperTag, Tag, table_of

    paper = table_of(Paper)
    columns: list[Any] = [paper.c.id] + [paper.c[name] for name in TEXT_COLUMNS]
    columns += [type_coerce(paper.c[name], String) for name in (*JSON_COLUMNS, "published")]
    for chunk in chunked(ids):
        found = session.execute(select(*columns).where(paper.c.id.in_(chunk))).all()
        rows = {values[0]: _row(values) for values in found}
        tags: dict[int, list[str]] = defaultdict(list)
        statement = (
            select(col(PaperTag.paper_id), col(Tag.name))
            .join(Tag, col(Tag.id) == col(PaperTag.tag_id))
            .where(col(PaperTag.reader_id) == reader_id, col(PaperTag.paper_id).in_(chunk))
            .order_by(col(Tag.name))
        )
        for paper_id, name in session.execute(statement).all():
            tags[paper_id].append(name)
        for paper_id in chunk:
            if paper_id in rows:
                yield ReferenceView(rows[paper_id], tags.get(paper_id, []))
