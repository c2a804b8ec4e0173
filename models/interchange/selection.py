"""Which papers an export holds: the ones a query finds, else a sensible default."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlmodel import Session, col

from models.search import search_ids
from models.shelf.papers import list_ids, newest_first
from models.store.tables import Note, Paper


def ids_with_notes(session: Session, *, reader_id: int) -> list[int]:
    """The papers this reader wrote notes on, in library order."""
    noted = exists(
        select(col(Note.id)).where(
            col(Note.paper_id) == col(Paper.id), col(Note.reader_id) == reader_id
        )
    )
    return list(session.execute(newest_first(select(col(Paper.id)).where(noted))).scalars())


def export_ids(
    session: Session, *, reader_id: int, query: str | None, noted_by_default: bool
) -> list[int]:
    """The papers `query` finds; without one, the noted papers or the whole library.

    Raises `models.search.QueryError` for a query that cannot be understood.
    """
    if query and query.strip():
        return search_ids(session, reader_id=reader_id, query=query, limit=None)
    if noted_by_default:
        return ids_with_notes(session, reader_id=reader_id)
    return list_ids(session, reader_id=reader_id)
