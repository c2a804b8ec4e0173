"""Search the library: the one function behind the app's search pane and `papershelf search`.

For now a plain case-insensitive match: every word must appear in the title,
abstract, venue or arXiv id. The query language (filters, phrases, typos, ranking)
replaces the inside of `search_ids` without changing its signature.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlmodel import Session

from models.papers import PaperView, newest_first, paper_views, with_state
from models.tables import Paper


class QueryError(ValueError):
    """A query that cannot be understood; `start`/`end` point at the bad part."""

    def __init__(self, message: str, start: int = 0, end: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end if end is not None else start


def _word_condition(word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    columns = (Paper.title, Paper.abstract, Paper.venue, Paper.arxiv_id)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def search_ids(
    session: Session,
    *,
    reader_id: int,
    query: str,
    limit: int | None = 50,
    offset: int = 0,
) -> list[int]:
    """Ids of the papers matching `query`, best first; an empty query lists the library."""
    statement = with_state(select(Paper.id), reader_id)
    for word in query.split():
        statement = statement.where(_word_condition(word))
    statement = newest_first(statement).offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.execute(statement).scalars())


def search_papers(
    session: Session, *, reader_id: int, query: str, limit: int | None = 50, offset: int = 0
) -> list[PaperView]:
    ids = search_ids(session, reader_id=reader_id, query=query, limit=limit, offset=offset)
    return paper_views(session, reader_id=reader_id, ids=ids)
