"""What both full-text backends do with their rank tiers, written once.

SQLite's FTS5 search (`fts.py`) and PostgreSQL's `tsvector` search (`pg.py`) build
their tiers in their own syntax; reading them is the same: each tier newest first
until a page is full, every paper once, then the papers that match some word only in
the reader's notes or tags. Counting is the last tier's matches plus those.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlmodel import Session, col

from models.search.query import Query, TextTerm
from models.search.sql import matching_tag_ids, ranked_select, tagged_papers
from models.store.tables import Note


class TieredSearch:
    """One parsed query for one reader, run tier by tier against a full-text index.

    A backend says how a tier and the extras are selected (`text_matches`, `extras`,
    `_notes_matching`), which column a result is read as and ordered by, and how a
    result becomes a paper id."""

    session: Session
    query: Query
    reader_id: int
    tiers: Any  # the backend's tiers, best first; the last matches every result
    #: What a tier's rows are read as, and what orders them (library order).
    result: ColumnElement
    order: ColumnElement

    @property
    def uses_index(self) -> bool:
        """Whether anything must match the index (else the query only filters and excludes)."""
        raise NotImplementedError

    def text_matches(self, tier: Any, *columns: Any) -> Select:
        raise NotImplementedError

    def extras(self, *columns: Any) -> Select | None:
        raise NotImplementedError

    def extras_result(self) -> tuple[ColumnElement, ColumnElement]:
        """What the extras' rows are read as and ordered by (the tiers' by default)."""
        return self.result, self.order

    def _notes_matching(self, word: Any) -> Select:
        """The ids of notes whose text holds the word (any reader's)."""
        raise NotImplementedError

    def paper_ids(self, results: list[int]) -> list[int]:
        return results

    # The portable path's TextConditions, for queries that only exclude words.
    def matches(self, term: TextTerm) -> ColumnElement[bool]:
        raise NotImplementedError

    def in_title(self, term: TextTerm) -> ColumnElement[bool]:
        raise NotImplementedError

    # --- shared ----------------------------------------------------------------------

    def page(self, *, limit: int | None, offset: int) -> list[int]:
        """Ids of the matches from `offset`, at most `limit` (all with None), best first."""
        if not self.uses_index:
            statement = ranked_select(self.query, reader_id=self.reader_id, conditions=self)
            return list(self.session.execute(statement.offset(offset).limit(limit)).scalars())
        wanted = None if limit is None else offset + limit
        return self.paper_ids(self.best(wanted)[offset:wanted])

    def count(self) -> int:
        """How many papers match in all."""
        if not self.uses_index:
            statement = ranked_select(self.query, reader_id=self.reader_id, conditions=self)
            counting = select(func.count()).select_from(statement.subquery())
            return self.session.execute(counting).scalar_one()
        total = self.session.execute(self.text_matches(self.tiers[-1], func.count())).scalar_one()
        extras = self.extras(func.count())
        return total + (self.session.execute(extras).scalar_one() if extras is not None else 0)

    def best(self, wanted: int | None) -> list[int]:
        """The best `wanted` results (all with None), tier by tier, each once."""
        found: dict[int, None] = {}
        for tier in self.tiers:
            statement = self.text_matches(tier, self.result).order_by(self.order).limit(wanted)
            found.update(dict.fromkeys(self.session.execute(statement).scalars()))
            if wanted is not None and len(found) >= wanted:
                return list(found)
        result, order = self.extras_result()
        extras = self.extras(result)
        results = list(found)
        if extras is not None:
            rest = None if wanted is None else wanted - len(results)
            results += self.session.execute(extras.order_by(order).limit(rest)).scalars()
        return results

    def _elsewhere(self, word: Any) -> list[Select]:
        """Queries for the papers whose reader's notes or tags hold the word, if any do."""
        parts = []
        # Note ids IN the matches, not a join: joined, SQLite probes the index once per
        # note of the reader, about 0.2 ms each.
        notes = select(col(Note.paper_id)).where(
            col(Note.id).in_(self._notes_matching(word)), col(Note.reader_id) == self.reader_id
        )
        if self.session.execute(notes.limit(1)).first():
            parts.append(notes)
        tag_ids = matching_tag_ids(self.session, word.term, word.corrections)
        if tag_ids:
            parts.append(tagged_papers(self.reader_id, tag_ids))
        return parts
