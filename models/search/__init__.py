"""Search the library: the functions behind the app's search pane and `papershelf search`.

A query is free words, "quoted phrases" and `field:value` filters, any of them
negated with `-` (the language is in `models/query.py` and the README). On SQLite
the words are looked up in the FTS5 index with typo tolerance (`fts.py`), on
PostgreSQL in its `tsvector` index, with the same rules (`pg.py`); elsewhere they
match as substrings (`sql.py`). Either way the best
matches come first: words in the title above words elsewhere, exact above corrected,
then newest first. An empty query lists the library in its usual order.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlmodel import Session

from models.search import fts as search_fts
from models.search import pg as search_pg
from models.search.query import Query, QueryError, parse_query
from models.search.sql import LikeConditions, ranked_select
from models.shelf.papers import PaperView, list_ids, paper_views
from models.store import pg_index
from models.store.search_index import is_available

__all__ = [
    "Query",
    "QueryError",
    "count_matches",
    "parse_query",
    "search_ids",
    "search_papers",
    "typo_readings",
    "warm_up",
]


def _parsed(query: Query | str) -> Query:
    return parse_query(query) if isinstance(query, str) else query


def search_ids(
    session: Session,
    *,
    reader_id: int,
    query: Query | str,
    limit: int | None = 50,
    offset: int = 0,
) -> list[int]:
    """Ids of the papers matching `query`, best first; raises QueryError if it is malformed."""
    parsed = _parsed(query)
    if parsed.is_empty:
        return list_ids(session, reader_id=reader_id, limit=limit, offset=offset)
    if is_available(session):
        return search_fts.ranked_ids(
            session, parsed, reader_id=reader_id, limit=limit, offset=offset
        )
    if pg_index.is_available(session):
        return search_pg.ranked_ids(
            session, parsed, reader_id=reader_id, limit=limit, offset=offset
        )
    statement = _portable(session, parsed, reader_id).offset(offset).limit(limit)
    return list(session.execute(statement).scalars())


def count_matches(session: Session, *, reader_id: int, query: Query | str) -> int:
    """How many papers `query` matches in all; raises QueryError if it is malformed."""
    parsed = _parsed(query)
    if is_available(session) and not parsed.is_empty:
        return search_fts.count_matches(session, parsed, reader_id=reader_id)
    if pg_index.is_available(session) and not parsed.is_empty:
        return search_pg.count_matches(session, parsed, reader_id=reader_id)
    statement = _portable(session, parsed, reader_id).order_by(None).subquery()
    return session.execute(select(func.count()).select_from(statement)).scalar_one()


def search_papers(
    session: Session,
    *,
    reader_id: int,
    query: Query | str,
    limit: int | None = 50,
    offset: int = 0,
) -> list[PaperView]:
    ids = search_ids(session, reader_id=reader_id, query=query, limit=limit, offset=offset)
    return paper_views(session, reader_id=reader_id, ids=ids)


def typo_readings(session: Session, query: Query) -> list[tuple[str, list[str]]]:
    """How search reads each mistyped word of `query`: (word, its corrections), in order."""
    if is_available(session):
        return search_fts.typo_readings(session, query)
    if pg_index.is_available(session):
        return search_pg.typo_readings(session, query)
    return []


def warm_up(session: Session) -> None:
    """Load now what the first search would: the index's vocabulary, most of a second at
    100,000 papers. The app can call it in a worker at start so typing never waits."""
    if is_available(session):
        search_fts.vocabulary(session)


def _portable(session: Session, parsed: Query, reader_id: int) -> Select:
    conditions = LikeConditions(session, reader_id)
    return ranked_select(parsed, reader_id=reader_id, conditions=conditions)
