"""Search through SQLite's FTS5 index: the one module that speaks SQLite full-text search.

Migration 0002 keeps two contentless FTS5 tables in step with the library:
`paper_fts` (title, abstract, authors, venue) and `note_fts` (note bodies). A
paper's index rowid is its recency key, `(2**22 - day) * 2**32 + id` (day 0 when
undated), so rowids in ascending order are the library's order (newest first, then
by id, undated last) and FTS5 hands out matches in that order, stopping once a page
is full.

Ranking comes in tiers, each one FTS5 query read newest first: every word in the
title (exact, then with typo corrections), some words in the title (likewise), the
rest (likewise); papers that need the reader's notes or tags for a word come last.
Every MATCH string is a bound parameter and every word in it a quoted FTS5 string.
"""

from __future__ import annotations

import threading
from functools import cached_property

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    or_,
    select,
    union,
)
from sqlmodel import Session, col

from models.search.filters import apply_filters, needs_paper_row
from models.search.query import Query, TextTerm
from models.search.tiers import TieredSearch
from models.search.typos import Vocabulary, max_typos
from models.store.search_index import (
    KEY,
    NOTE_FTS,
    PAPER_FTS,
    PAPER_TERMS,
    TEXT_VERSION,
    paper_id_column,
    paper_id_of_key,
    paper_key,
)
from models.store.tables import Paper

#: A prefix covering more indexed words than this stays an FTS5 prefix query.
MAX_SPELLED_OUT = 40


def _quote(text: str) -> str:
    """An FTS5 string: whatever the user typed, FTS5 reads it as words, never syntax."""
    return '"' + text.replace('"', '""') + '"'


def _is_word(term: TextTerm) -> bool:
    """A term that matches as a prefix, so wants the vocabulary."""
    return not term.is_phrase and len(term.tokens[0]) > 2


def _union(queries: list[Select]) -> Select | CompoundSelect:
    """One query for the rows of all; SQLite takes no compound inside a compound."""
    return queries[0] if len(queries) == 1 else union(*queries)


def _all(parts: list[str], joiner: str = "AND") -> str:
    return f" {joiner} ".join(f"({part})" for part in parts)


class Spelling:
    """A text term in FTS5 syntax: as typed, and with its typo corrections (`loose`).

    A word of three letters or more matches as a prefix. For the paper index the
    prefix is spelled out as the indexed words it covers (`"llm" OR "llms" OR ...`):
    FTS5 reads such an OR lazily, newest first, while a `"llm"*` query first merges
    every matching word's whole list (20 ms for a common prefix at 100,000 papers,
    paid again by each rank tier). Notes, whose words the vocabulary does not hold,
    keep FTS5's prefix syntax (`note_loose`).
    """

    def __init__(self, term: TextTerm, vocabulary: Vocabulary | None = None) -> None:
        self.term = term
        self.corrections: list[str] = []
        if term.is_phrase:
            forms, prefix = [" ".join(term.tokens)], False
        else:
            forms, prefix = [term.tokens[0]], len(term.tokens[0]) > 2
            if vocabulary and not term.negated and max_typos(forms[0]):
                self.corrections = vocabulary.corrections(forms[0])
        self.exact = _any([_in_index(forms[0], prefix, vocabulary)])
        self.loose = _any([_in_index(f, prefix, vocabulary) for f in forms + self.corrections])
        self.note_loose = _any([_quote(f) + "*" * prefix for f in forms + self.corrections])
        if term.column:
            self.exact = self.loose = f"{{{term.column}}}: ({self.exact})"

    def in_title(self, *, loose: bool) -> str:
        return f"{{title}}: ({self.loose if loose else self.exact})"


def _in_index(form: str, prefix: bool, vocabulary: Vocabulary | None) -> str:
    """`form` for the paper index: as itself, or as a prefix spelled out when it can be."""
    if not prefix:
        return _quote(form)
    words = vocabulary.with_prefix(form, MAX_SPELLED_OUT) if vocabulary else None
    if words is None:
        return _quote(form) + "*"
    return _any([_quote(word) for word in words]) if words else _quote(form)


def _any(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else _all(parts, "OR")


_vocabularies: dict[str, tuple[int, Vocabulary]] = {}
_vocabularies_lock = threading.Lock()


def vocabulary(session: Session) -> Vocabulary:
    """The index's words with their paper counts, reloaded when the indexed text changes.

    Reading them costs fts5vocab a pass over the index (most of a second at 100,000
    papers), so a process keeps them per library file until a trigger counts a change.
    """
    changes = session.execute(select(TEXT_VERSION.c.changes)).scalar_one()
    url = session.get_bind().engine.url
    cacheable = bool(url.database) and url.database != ":memory:"
    with _vocabularies_lock:
        cached = _vocabularies.get(str(url)) if cacheable else None
    if cached and cached[0] == changes:
        return cached[1]
    words = Vocabulary(session.execute(select(PAPER_TERMS.c.term, PAPER_TERMS.c.doc)).all())
    if cacheable:
        with _vocabularies_lock:
            _vocabularies[str(url)] = (changes, words)
    return words


def typo_readings(session: Session, query: Query) -> list[tuple[str, list[str]]]:
    """The words of `query` that search corrects, each with its corrections."""
    if not any(_is_word(t) for t in query.words):
        return []
    words = vocabulary(session)
    spellings = [Spelling(term, words) for term in query.words if _is_word(term)]
    return [(s.term.tokens[0], s.corrections) for s in spellings if s.corrections]


def ranked_ids(
    session: Session, query: Query, *, reader_id: int, limit: int | None, offset: int
) -> list[int]:
    return FtsSearch(session, query, reader_id).page(limit=limit, offset=offset)


def count_matches(session: Session, query: Query, *, reader_id: int) -> int:
    return FtsSearch(session, query, reader_id).count()


class FtsSearch(TieredSearch):
    """One parsed query run against the index for one reader."""

    result = order = KEY

    def __init__(self, session: Session, query: Query, reader_id: int) -> None:
        self.session = session
        self.query = query
        self.reader_id = reader_id
        words = vocabulary(session) if any(_is_word(t) for t in query.terms) else None
        self.words = [Spelling(word, words) for word in query.words]
        self.columns = [Spelling(t, words).exact for t in query.terms if t.column and not t.negated]
        negated = [Spelling(t, words) for t in query.terms if t.negated]
        self.negated = _all([t.exact for t in negated], "OR") if negated else ""
        self.negated_elsewhere = [
            source for t in negated if t.term.column is None for source in self._elsewhere(t)
        ]

    @property
    def uses_index(self) -> bool:
        """Whether anything must match the index (else the query only filters and excludes)."""
        return bool(self.words or self.columns)

    @cached_property
    def tiers(self) -> list[str]:
        """The FTS5 queries of the rank tiers, best first; the last matches every result.

        Without typo corrections a tier and its corrected twin are one query, and one
        word is all or none in the title, so most queries need two or three.
        """
        words = self.words
        if not words:
            tiers = [_all(self.columns)]
        else:
            some_in_title = _all([w.in_title(loose=True) for w in words], "OR")
            tiers = [
                _all([w.in_title(loose=False) for w in words]),
                _all([w.in_title(loose=True) for w in words]),
            ]
            if len(words) > 1:
                tiers += [_all([w.exact for w in words] + [some_in_title])]
                tiers += [_all([w.loose for w in words] + [some_in_title])]
            tiers += [_all([w.exact for w in words]), _all([w.loose for w in words])]
            if self.columns:
                tiers = [_all([tier, *self.columns]) for tier in tiers]
        if self.negated:
            tiers = [f"({tier}) NOT ({self.negated})" for tier in tiers]
        return list(dict.fromkeys(tiers))

    def text_matches(self, expression: str, *columns) -> Select:
        """Rows of the index matching `expression` whose papers pass the filters."""
        paper_id = paper_id_column(KEY)
        statement = select(*columns).select_from(PAPER_FTS)
        statement = statement.where(PAPER_FTS.c.paper_fts.match(expression))
        if needs_paper_row(self.query.filters):
            statement = statement.join(Paper, col(Paper.id) == paper_id)
        for source in self.negated_elsewhere:
            statement = statement.where(paper_id.not_in(source))
        return apply_filters(
            statement, self.query.filters, reader_id=self.reader_id, paper_id=paper_id
        )

    def extras_result(self) -> tuple[ColumnElement, ColumnElement]:
        return paper_key(), paper_key()

    def paper_ids(self, results: list[int]) -> list[int]:
        return [paper_id_of_key(key) for key in results]

    def extras(self, *columns) -> Select | None:
        """Papers that match some word only in the reader's notes or tags; None if none can."""
        sources = [self._elsewhere(word) for word in self.words]
        if not any(sources):
            return None
        key = paper_key()
        statement = select(*columns).select_from(Paper)
        statement = statement.where(
            col(Paper.id).in_(_union([s for parts in sources for s in parts]))
        )
        for word, source in zip(self.words, sources, strict=True):
            in_text: ColumnElement[bool] = key.in_(self._keys(word.loose))
            if source:
                in_text = or_(in_text, col(Paper.id).in_(_union(source)))
            statement = statement.where(in_text)
        statement = statement.where(key.not_in(self._keys(self.tiers[-1])))
        if self.columns:
            statement = statement.where(key.in_(self._keys(_all(self.columns))))
        if self.negated:
            statement = statement.where(key.not_in(self._keys(self.negated)))
        for excluded in self.negated_elsewhere:
            statement = statement.where(col(Paper.id).not_in(excluded))
        return apply_filters(
            statement, self.query.filters, reader_id=self.reader_id, paper_id=col(Paper.id)
        )

    def _keys(self, expression: str) -> Select:
        return select(KEY).where(PAPER_FTS.c.paper_fts.match(expression))

    def _notes_matching(self, word: Spelling) -> Select:
        return select(NOTE_FTS.c.rowid).where(NOTE_FTS.c.note_fts.match(word.note_loose))

    # The portable path's TextConditions, for queries that only exclude words.
    def matches(self, term: TextTerm) -> ColumnElement[bool]:
        spelling = Spelling(term)
        found = col(Paper.id).in_(self._paper_ids(spelling.exact))
        elsewhere = self._elsewhere(spelling) if term.column is None else []
        return or_(found, col(Paper.id).in_(_union(elsewhere))) if elsewhere else found

    def in_title(self, term: TextTerm) -> ColumnElement[bool]:
        return col(Paper.id).in_(self._paper_ids(Spelling(term).in_title(loose=False)))

    def _paper_ids(self, expression: str) -> Select:
        return select(paper_id_column(KEY)).where(PAPER_FTS.c.paper_fts.match(expression))
