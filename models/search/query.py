"""The search query language: parse a query into text terms and filters, or say what is wrong.

    reinforcment learning "reward model" tag:rl -status:read rating:>=4 year:2023..2025

Free words and quoted phrases are text terms; `field:value` pairs are filters; a
leading `-` negates either. Every term keeps its character span, so a QueryError
can point at the bad part and a caller can underline it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.core.keys import parse_arxiv_id
from models.core.text import strip_accents
from models.search.values import EXAMPLES, PaperRef, parse_value

#: The query language in brief, for `papershelf search --help` and the app's help screen.
QUERY_HELP = """\
words            every word must match: title, abstract, authors, venue, your tags
                 or notes; from 3 letters also as a prefix, from 5 with a typo
"a phrase"       these words in this order
-word  -"a b"    without it (any term or filter can be negated)
status:to-read   new, to-read, reading, read, skipped
tag:rl           tagged rl (tag:rl tag:survey: both)
rating:4         also rating:>=4, >4, <=2, <2, 2..4
year:2024        also year:2023..2025, year:2023.., year:..2020, year:>=2024
author:chen      author:"Wei Chen" for a full name
venue:KDD
has:notes        also has:tags, has:rating, has:title, has:abstract, has:venue
id:2502.19178    an arXiv id (any spelling, or just the id) or a paper number
lab:read>=2      what the library's readers did: lab:readers>=3, lab:to-read,
                 lab:rating>=4 (their mean rating)
Best matches first: words in the title, then exact spellings, then newest.
"""
#: Bounds on a query, so none keeps the index busy for a second at 100,000 papers
#: (bench/worst_query.py): its characters; its words and phrases (each one an FTS5
#: query in every rank tier, a negated or short one a pass over much of the index); and
#: its words, a phrase's one by one, and filters together (each filter a sub-query).
MAX_QUERY_CHARS = 1_000
MAX_QUERY_WORDS = 8
MAX_QUERY_TERMS = 24
FIELDS = ("status", "tag", "rating", "year", "author", "venue", "has", "id", "lab")
FIELD_ALIASES = {"arxiv": "id"}
_FIELD = re.compile(r"([A-Za-z]+):")
_TOKEN = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """A query that cannot be understood; `start`/`end` point at the bad part."""

    def __init__(self, message: str, start: int = 0, end: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end if end is not None else start


def index_tokens(text: str) -> list[str]:
    """Text as the search index tokenises it: lower case, accents dropped, words only."""
    return _TOKEN.findall(strip_accents(text.lower()))


@dataclass(frozen=True)
class TextTerm:
    """Words to find: one word, or a phrase (quoted, or a word with punctuation inside)."""

    tokens: tuple[str, ...]
    negated: bool = False
    #: None for anywhere (title, abstract, authors, venue, notes, tags), else one column.
    column: str | None = None
    quoted: bool = False

    @property
    def is_phrase(self) -> bool:
        return self.quoted or len(self.tokens) > 1


@dataclass(frozen=True)
class Filter:
    """A `field:value` condition with its value already checked and converted."""

    field: str
    value: object
    negated: bool = False


@dataclass
class Query:
    """A parsed query: what text must (not) match, and which filters must (not) hold."""

    terms: list[TextTerm] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)

    @property
    def words(self) -> list[TextTerm]:
        """The terms that must match anywhere: these decide ranking."""
        return [t for t in self.terms if not t.negated and t.column is None]

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.filters)


def filter_query(*, status: str | None = None, tags: tuple[str, ...] = ()) -> Query:
    """Only these filters: `papershelf list --status S --tag T`, and the app's views."""
    filters = [Filter("status", status)] if status else []
    return Query(filters=filters + [Filter("tag", tag) for tag in tags])


def parse_query(text: str) -> Query:
    """Parse `text`; raises QueryError for an unclosed quote, unknown field or bad value,
    and for a query longer than `MAX_QUERY_CHARS` or of more than `MAX_QUERY_TERMS` terms."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"a query has at most {MAX_QUERY_CHARS} characters, this one {len(text)}",
            MAX_QUERY_CHARS,
            len(text),
        )
    query = Query()
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        start = position
        negated = text[position] == "-"
        if negated:
            position += 1
            if position == len(text) or text[position].isspace():
                continue  # a lone dash, as in a pasted "Title - Subtitle"
        if text[position] == '"':
            value, position = _quoted(text, position)
            _add_text(query, value, negated, None, quoted=True)
            continue
        end = _word_end(text, position)
        raw = text[position:end]
        field_match = _FIELD.match(raw)
        arxiv = parse_arxiv_id(raw)
        if arxiv and not (field_match and field_match[1].lower() in FIELDS):
            query.filters.append(Filter("id", PaperRef(arxiv_id=arxiv[0]), negated))
            position = end
            continue
        if field_match and _is_field(field_match[1], text, position + field_match.end()):
            name = field_match[1].lower()
            name = FIELD_ALIASES.get(name, name)
            value_start = position + field_match.end()
            if name not in FIELDS:
                known = ", ".join(FIELDS)
                raise QueryError(
                    f"unknown field {field_match[1]!r} (fields: {known})",
                    position,
                    value_start - 1,
                )
            if value_start < len(text) and text[value_start] == '"':
                value, position = _quoted(text, value_start)
            else:
                position = _word_end(text, value_start)
                value = text[value_start:position]
            if not value:
                raise QueryError(f"{name}: needs a value, as in {EXAMPLES[name]}", start, position)
            if name in ("author", "venue"):
                column = "authors" if name == "author" else name
                _add_text(query, value, negated, column, quoted=False, span=(start, position))
                continue
            try:
                parsed = parse_value(name, value)
            except ValueError as error:
                raise QueryError(str(error), value_start, position) from None
            query.filters.append(Filter(name, parsed, negated))
            continue
        _add_text(query, raw, negated, None, quoted=False)
        position = end
    if len(query.terms) > MAX_QUERY_WORDS:
        raise QueryError(
            f"a query has at most {MAX_QUERY_WORDS} words and phrases, this one {len(query.terms)}",
            0,
            0,
        )
    size = sum(len(term.tokens) for term in query.terms) + len(query.filters)
    if size > MAX_QUERY_TERMS:
        raise QueryError(
            f"a query has at most {MAX_QUERY_TERMS} words and filters, this one {size}", 0, 0
        )
    return query


def _is_field(name: str, text: str, value_start: int) -> bool:
    """`name:` is a field unless it is an unknown name with nothing after it (`Review: A`)."""
    known = name.lower() in FIELDS or name.lower() in FIELD_ALIASES
    has_value = value_start < len(text) and not text[value_start].isspace()
    if has_value and text.startswith("//", value_start):  # a URL: https://...
        return False
    return known or has_value


def _word_end(text: str, position: int) -> int:
    """Where a bare word starting at `position` ends: at white space or a quote."""
    end = position
    while end < len(text) and not text[end].isspace() and (text[end] != '"' or end == position):
        end += 1
    return end


def _quoted(text: str, quote: int) -> tuple[str, int]:
    """The text inside the quotes opening at `quote`, and the position after the closing one."""
    closing = text.find('"', quote + 1)
    if closing < 0:
        raise QueryError('unclosed quote: add the closing "', quote, len(text))
    return text[quote + 1 : closing], closing + 1


def _add_text(
    query: Query,
    value: str,
    negated: bool,
    column: str | None,
    *,
    quoted: bool,
    span: tuple[int, int] | None = None,
) -> None:
    tokens = tuple(index_tokens(value))
    if tokens:
        query.terms.append(TextTerm(tokens, negated, column, quoted))
    elif column is not None and span is not None:
        raise QueryError(f"{column.rstrip('s')}: needs a word, not only punctuation", *span)
