"""Portable search: text terms as SQL conditions, ranked in one statement.

This is the whole search on a database without SQLite's FTS5 index (words match
as substrings, without typo tolerance), and on SQLite the path for queries with
nothing to look up in the index (only filters and negated words). Tags are
matched here for both: a reader has few, so their names are compared in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rapidfuzz.distance import OSA
from sqlalchemy import Select, String, and_, case, cast, exists, func, or_, select
from sqlmodel import Session, col

from models.search.filters import Condition, apply_filters
from models.search.query import Query, TextTerm, index_tokens
from models.search.typos import max_typos
from models.shelf.papers import newest_first
from models.store.tables import Note, Paper, PaperTag, Tag

#: Ranks of the portable order; the FTS5 search keeps the same meaning with finer steps.
ALL_IN_TITLE, SOME_IN_TITLE, ELSEWHERE = 1, 3, 5


class TextConditions(Protocol):
    """How a backend says, in SQL over `Paper`, where a text term matches."""

    def matches(self, term: TextTerm) -> Condition: ...

    def in_title(self, term: TextTerm) -> Condition: ...


def ranked_select(query: Query, *, reader_id: int, conditions: TextConditions) -> Select:
    """Paper ids matching every term and filter: best rank first, then library order."""
    statement = apply_filters(
        select(col(Paper.id)), query.filters, reader_id=reader_id, paper_id=col(Paper.id)
    )
    for term in query.terms:
        condition = conditions.matches(term)
        statement = statement.where(~condition if term.negated else condition)
    words = query.words
    if words:
        titles = [conditions.in_title(word) for word in words]
        rank = case((and_(*titles), ALL_IN_TITLE), (or_(*titles), SOME_IN_TITLE), else_=ELSEWHERE)
        statement = statement.order_by(rank)
    return newest_first(statement)


class LikeConditions:
    """Text terms as case-insensitive substring matches: portable, unindexed, no typos."""

    def __init__(self, session: Session, reader_id: int) -> None:
        self.session = session
        self.reader_id = reader_id

    def matches(self, term: TextTerm) -> Condition:
        pattern = _pattern(term)
        if term.column == "authors":
            return func.coalesce(cast(Paper.authors, String), "").ilike(pattern)
        if term.column == "venue":  # a venue or an arXiv comment line naming one
            return or_(*(func.coalesce(c, "").ilike(pattern) for c in (Paper.venue, Paper.comment)))
        # Empty for NULL, so that `-word` keeps papers lacking a column (NOT NULL is NULL).
        text = [
            func.coalesce(column, "")
            for column in (
                Paper.title,
                Paper.abstract,
                cast(Paper.authors, String),
                Paper.venue,
                Paper.comment,
            )
        ]
        noted = exists(
            select(col(Note.id)).where(
                col(Note.paper_id) == col(Paper.id),
                col(Note.reader_id) == self.reader_id,
                col(Note.body).ilike(pattern),
            )
        )
        conditions = [column.ilike(pattern) for column in text] + [noted]
        tag_ids = matching_tag_ids(self.session, term)
        if tag_ids:
            conditions.append(col(Paper.id).in_(tagged_papers(self.reader_id, tag_ids)))
        return or_(*conditions)

    def in_title(self, term: TextTerm) -> Condition:
        return col(Paper.title).ilike(_pattern(term))


def _pattern(term: TextTerm) -> str:
    # Tokens hold letters and digits only, so no LIKE wildcard can come from the user.
    return "%" + "%".join(term.tokens) + "%"


def tagged_papers(reader_id: int, tag_ids: list[int]) -> Select:
    """The papers the reader gave one of these tags."""
    return select(col(PaperTag.paper_id)).where(
        col(PaperTag.reader_id) == reader_id, col(PaperTag.tag_id).in_(tag_ids)
    )


def matching_tag_ids(
    session: Session, term: TextTerm, corrections: Iterable[str] = ()
) -> list[int]:
    """Tags whose words hold the term's words, as the index matches text: a word also as
    a prefix, and unless negated from five letters on with a typo (tags are few, so
    each is compared)."""
    accepted = tuple(corrections)
    typos = 0 if term.negated or term.is_phrase else max_typos(term.tokens[0])
    found = []
    for tag_id, name in session.execute(select(col(Tag.id), col(Tag.name))).all():
        if _holds(index_tokens(name), term.tokens, accepted, typos=typos, phrase=term.is_phrase):
            found.append(tag_id)
    return found


def _holds(
    words: list[str],
    tokens: tuple[str, ...],
    accepted: tuple[str, ...],
    *,
    typos: int,
    phrase: bool,
) -> bool:
    if phrase:
        size = len(tokens)
        return any(tuple(words[i : i + size]) == tokens for i in range(len(words) - size + 1))
    token = tokens[0]
    prefix = len(token) > 2
    return any(
        word == token
        or word.startswith(accepted)
        or (prefix and word.startswith(token))
        or (typos and OSA.distance(word, token, score_cutoff=typos) <= typos)
        for word in words
    )
