"""Watch lists: a reader's named searches, each counted over the library and the Inbox.

A watch is a query in the search language (`models/query.py`) under a name, kept per
reader. Its counts are the search's own: `total` papers match, `new` of them are still
in the reader's Inbox (status `new`). A query that does not parse is refused when the
watch is added, so a stored watch always runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from models.core.text import clean_text
from models.core.times import utcnow
from models.search import count_matches, search_ids
from models.search.query import Filter, QueryError, parse_query
from models.store.tables import Watch

NAME_MAX = 128


class WatchError(ValueError):
    """A watch that cannot be added or found; the message is one line for the user."""


@dataclass(frozen=True)
class WatchCount:
    """A watch with what it matches now."""

    name: str
    query: str
    new: int
    total: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "query": self.query, "new": self.new, "total": self.total}


def inbox_query(query: str) -> str:
    """The watch's query narrowed to the Inbox; the language joins terms with AND."""
    return f"{query} status:new"


def add_watch(session: Session, *, reader_id: int, name: str, query: str) -> Watch:
    """Save `query` as the reader's watch `name`; raises QueryError if it does not parse."""
    name = clean_text(name) or ""
    if not name:
        raise WatchError("watch add: the name is empty")
    if len(name) > NAME_MAX:
        raise WatchError(f"watch add: the name is longer than {NAME_MAX} characters")
    query = clean_text(query) or ""
    if not query:
        raise WatchError("watch add: the query is empty (an empty query would match everything)")
    parse_query(query)
    if _find(session, reader_id, name) is not None:
        raise WatchError(f"watch add: {name!r} exists already (watch remove {name!r} first)")
    watch = Watch(reader_id=reader_id, name=name, query=query, created_at=utcnow())
    session.add(watch)
    session.flush()
    return watch


def remove_watch(session: Session, *, reader_id: int, name: str) -> Watch:
    """Delete the reader's watch `name`; the papers it matched are not touched."""
    watch = _find(session, reader_id, name)
    if watch is None:
        raise WatchError(f"watch remove: no watch named {name!r}")
    session.delete(watch)
    session.flush()
    return watch


def list_watches(session: Session, *, reader_id: int) -> list[WatchCount]:
    """The reader's watches in name order, each with its Inbox and total counts."""
    statement = select(Watch).where(col(Watch.reader_id) == reader_id).order_by(col(Watch.name))
    counts = []
    for watch in session.execute(statement).scalars():
        try:
            total = count_matches(session, reader_id=reader_id, query=watch.query)
            new = count_matches(session, reader_id=reader_id, query=inbox_query(watch.query))
        except QueryError:  # a query an older papershelf accepted: shown, matching nothing
            total = new = 0
        counts.append(WatchCount(watch.name, watch.query, new, total))
    return counts


def watched_in_inbox(session: Session, *, reader_id: int, paper_ids: list[int]) -> set[int]:
    """Which of `paper_ids` (a page of the app's list) are in the Inbox and match a watch:
    one search per watch, narrowed to these papers, so the cost is a page's, not a library's."""
    if not paper_ids:
        return set()
    statement = select(col(Watch.query)).where(col(Watch.reader_id) == reader_id)
    page = Filter("among", tuple(paper_ids))
    watched: set[int] = set()
    for text in session.execute(statement).scalars():
        try:
            query = parse_query(inbox_query(text))
        except QueryError:
            continue
        query.filters.append(page)
        watched.update(search_ids(session, reader_id=reader_id, query=query, limit=None))
    return watched


def _find(session: Session, reader_id: int, name: str) -> Watch | None:
    statement = select(Watch).where(col(Watch.reader_id) == reader_id, col(Watch.name) == name)
    return session.execute(statement).scalars().first()
