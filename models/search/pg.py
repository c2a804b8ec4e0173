"""Search through PostgreSQL's full-text index: the one module that speaks `tsquery`.

The index (`models/store/pg_index.py`) holds per paper its recency key, a `tsvector`
of the title and one of every word (title, abstract, authors, venue as weights A-D),
both GIN-indexed; `paper_words` counts the papers holding each word, with a trigram
index. The ranking is the FTS5 backend's (`models/search/fts.py`), tier by tier:
every word in the title (exact, then with typo corrections), some words in the title
and every word somewhere (likewise), every word somewhere (likewise); papers that need
the reader's notes or tags for a word come last; within a tier, newest first.

Typo corrections are chosen by the same rules as on SQLite (`models/search/typos.py`),
from the words `pg_trgm` finds similar to the typed one instead of from a word list
held in memory. Every word of a query is quoted; a query of plain words goes to the
server as a constant (`_tsquery`), any other as a bound parameter.
"""

from __future__ import annotations

import re
from functools import cached_property

from rapidfuzz.distance import OSA
from sqlalchemy import (
    Boolean,
    ColumnElement,
    CompoundSelect,
    Select,
    func,
    literal_column,
    not_,
    or_,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import Session, col

from models.search.filters import apply_filters, needs_paper_row
from models.search.query import Query, TextTerm
from models.search.tiers import TieredSearch
from models.search.typos import closest_corrections, max_typos
from models.store.pg_index import NOTE_SEARCH, PAPER_SEARCH, PAPER_WORDS, WEIGHTS
from models.store.tables import Paper

#: Below what trigram similarity a word is too far to be a typo: a swap of two letters
#: in a five-letter word keeps 2 of 10 trigrams.
SIMILARITY = 0.15
KEY, PAPER_ID = PAPER_SEARCH.c.key, PAPER_SEARCH.c.paper_id
#: The configuration the index was built with: no stemming, no stop words.
SIMPLE: ColumnElement = literal_column("'simple'::regconfig")
#: A tsquery text whose every word is ASCII letters, digits, or letters then digits,
#: which `to_tsquery('simple', unaccent(...))` leaves as they are.
_PLAIN_QUERY = re.compile(r"(?:'(?:[a-z]+[0-9]*|[0-9]+)'|[:*ABCD&|!<>()\- ]+)+")


def _lexeme(token: str, *, prefix: bool, weight: str = "") -> str:
    # Tokens hold letters and digits only (`index_tokens`), so no quote can come from them.
    return f"'{token}'" + (":" + "*" * prefix + weight if prefix or weight else "")


def _all(parts: list[str], joiner: str = "&") -> str:
    return parts[0] if len(parts) == 1 else f" {joiner} ".join(f"({part})" for part in parts)


def _union(*queries: Select) -> Select | CompoundSelect:
    return queries[0] if len(queries) == 1 else union(*queries)


def _tsquery(text: str) -> ColumnElement:
    """The query as a constant when its words are ones `to_tsquery` would keep as they are.

    `to_tsquery(...)` is STABLE, so the server runs it again for every row it tests (a
    common word's 10,000 rows: 150 ms) and the planner can only guess at a parameter's
    matches; a constant is parsed once and estimated from the index's statistics. Words
    with other letters (accents `unaccent` knows, `1e10x`, which the parser splits) take
    the function. The constant holds quoted words of letters and digits only."""
    if _PLAIN_QUERY.fullmatch(text):
        return literal_column("'" + text.replace("'", "''") + "'::tsquery", TSQUERY)
    return func.to_tsquery(SIMPLE, func.unaccent(text))


def _matches(vector: ColumnElement, text: str) -> ColumnElement[bool]:
    return vector.op("@@", return_type=Boolean)(_tsquery(text))


class Words:
    """The index's words as typo corrections need them, asked of the database."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.threshold_set = False

    def corrections(self, word: str) -> list[str]:
        typos = max_typos(word)
        if not self.threshold_set:  # for this transaction only
            setting = func.set_config("pg_trgm.similarity_threshold", str(SIMILARITY), True)
            self.session.execute(select(setting))
            self.threshold_set = True
        similar = select(PAPER_WORDS.c.word, PAPER_WORDS.c.docs).where(
            PAPER_WORDS.c.word.op("%")(word),
            func.length(PAPER_WORDS.c.word).between(len(word) - typos, len(word) + typos),
        )
        close = []
        for term, documents in self.session.execute(similar).all():
            distance = OSA.distance(word, term, score_cutoff=typos)
            if distance <= typos:
                close.append((term, distance, documents))
        known = select(func.coalesce(func.sum(PAPER_WORDS.c.docs), 0)).where(
            PAPER_WORDS.c.word.startswith(word, autoescape=True)
        )
        return closest_corrections(word, close, known=self.session.execute(known).scalar_one())


class Spelling:
    """A text term as `tsquery` text: as typed (`exact`), and with its typo corrections."""

    def __init__(self, term: TextTerm, words: Words | None = None) -> None:
        self.term = term
        self.corrections: list[str] = []
        weight = WEIGHTS[term.column] if term.column else ""
        if term.is_phrase:
            self.exact = " <-> ".join(_lexeme(t, prefix=False, weight=weight) for t in term.tokens)
            self.loose = self.exact
            return
        token = term.tokens[0]
        if words and not term.negated and max_typos(token):
            self.corrections = words.corrections(token)
        self.exact = _lexeme(token, prefix=len(token) > 2, weight=weight)
        forms = [self.exact, *(_lexeme(c, prefix=True, weight=weight) for c in self.corrections)]
        self.loose = _all(forms, "|")


#: A rank tier: what the title must match (or None) and what every word must match.
Tier = tuple[str | None, str | None]


def typo_readings(session: Session, query: Query) -> list[tuple[str, list[str]]]:
    """The words of `query` that search corrects, each with its corrections."""
    words = Words(session)
    spellings = [Spelling(term, words) for term in query.words if not term.is_phrase]
    return [(s.term.tokens[0], s.corrections) for s in spellings if s.corrections]


def ranked_ids(
    session: Session, query: Query, *, reader_id: int, limit: int | None, offset: int
) -> list[int]:
    return PgSearch(session, query, reader_id).page(limit=limit, offset=offset)


def count_matches(session: Session, query: Query, *, reader_id: int) -> int:
    return PgSearch(session, query, reader_id).count()


class PgSearch(TieredSearch):
    """One parsed query run against the index for one reader."""

    result, order = PAPER_ID, KEY

    def __init__(self, session: Session, query: Query, reader_id: int) -> None:
        self.session = session
        self.query = query
        self.reader_id = reader_id
        words = (
            Words(session) if any(not t.is_phrase and not t.negated for t in query.terms) else None
        )
        self.words = [Spelling(word, words) for word in query.words]
        self.columns = [Spelling(t, words).exact for t in query.terms if t.column and not t.negated]
        negated = [Spelling(t) for t in query.terms if t.negated]
        self.negated = _all([t.exact for t in negated], "|") if negated else ""
        self.negated_elsewhere = [
            source for t in negated if t.term.column is None for source in self._elsewhere(t)
        ]

    @property
    def uses_index(self) -> bool:
        return bool(self.words or self.columns)

    def _everywhere(self, parts: list[str]) -> str | None:
        """`parts`, the column terms and none of the negated ones, as one query (or None)."""
        parts = parts + self.columns
        if self.negated:
            parts.append(f"!({self.negated})")
        return _all(parts) if parts else None

    @cached_property
    def tiers(self) -> list[Tier]:
        """The tiers, best first; the last matches every result (as `fts.FtsSearch.tiers`)."""
        words = self.words
        if not words:
            return [(None, self._everywhere([]))]
        exact, loose = [w.exact for w in words], [w.loose for w in words]
        some_in_title = _all(loose, "|")
        tiers: list[Tier] = [
            (_all(exact), self._everywhere([])),
            (_all(loose), self._everywhere([])),
        ]
        if len(words) > 1:
            tiers += [(some_in_title, self._everywhere(exact))]
            tiers += [(some_in_title, self._everywhere(loose))]
        tiers += [(None, self._everywhere(exact)), (None, self._everywhere(loose))]
        return list(dict.fromkeys(tiers))

    def _tier_condition(self, tier: Tier) -> ColumnElement[bool]:
        title, body = tier
        conditions = [_matches(PAPER_SEARCH.c.title, title)] if title else []
        if body:
            conditions.append(_matches(PAPER_SEARCH.c.body, body))
        return conditions[0] if len(conditions) == 1 else conditions[0] & conditions[1]

    def text_matches(self, tier: Tier, *columns) -> Select:
        """Rows of the index matching `tier` whose papers pass the filters."""
        statement = select(*columns).select_from(PAPER_SEARCH).where(self._tier_condition(tier))
        if needs_paper_row(self.query.filters):
            statement = statement.join(Paper, col(Paper.id) == PAPER_ID)
        for source in self.negated_elsewhere:
            statement = statement.where(PAPER_ID.not_in(source))
        return apply_filters(
            statement, self.query.filters, reader_id=self.reader_id, paper_id=PAPER_ID
        )

    def extras(self, *columns) -> Select | None:
        """Papers that match some word only in the reader's notes or tags; None if none can."""
        sources = [self._elsewhere(word) for word in self.words]
        if not any(sources):
            return None
        statement = select(*columns).select_from(PAPER_SEARCH)
        statement = statement.where(PAPER_ID.in_(_union(*[s for parts in sources for s in parts])))
        for word, elsewhere in zip(self.words, sources, strict=True):
            in_text = _matches(PAPER_SEARCH.c.body, word.loose)
            if elsewhere:
                in_text = or_(in_text, PAPER_ID.in_(_union(*elsewhere)))
            statement = statement.where(in_text)
        statement = statement.where(not_(self._tier_condition(self.tiers[-1])))
        if self.columns:
            statement = statement.where(_matches(PAPER_SEARCH.c.body, _all(self.columns)))
        if self.negated:
            statement = statement.where(not_(_matches(PAPER_SEARCH.c.body, self.negated)))
        for excluded in self.negated_elsewhere:
            statement = statement.where(PAPER_ID.not_in(excluded))
        return apply_filters(
            statement, self.query.filters, reader_id=self.reader_id, paper_id=PAPER_ID
        )

    def _notes_matching(self, word: Spelling) -> Select:
        return select(NOTE_SEARCH.c.note_id).where(_matches(NOTE_SEARCH.c.doc, word.loose))

    # The portable path's TextConditions, for queries that only exclude words.
    def matches(self, term: TextTerm) -> ColumnElement[bool]:
        spelling = Spelling(term)
        indexed = select(PAPER_ID).where(_matches(PAPER_SEARCH.c.body, spelling.exact))
        found = col(Paper.id).in_(indexed)
        elsewhere = self._elsewhere(spelling) if term.column is None else []
        return or_(found, col(Paper.id).in_(_union(*elsewhere))) if elsewhere else found

    def in_title(self, term: TextTerm) -> ColumnElement[bool]:
        indexed = select(PAPER_ID).where(_matches(PAPER_SEARCH.c.title, Spelling(term).exact))
        return col(Paper.id).in_(indexed)
