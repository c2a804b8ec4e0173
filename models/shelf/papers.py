"""Reading the library: find papers, list and count them, and view one with its reader state.

The command line and the app call these same functions, so a list in one is the
list in the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlmodel import Session, col

from models.core.dates import published_text
from models.core.fields import MAX_ID
from models.core.keys import paper_url, parse_arxiv_id
from models.core.text import clean_text
from models.core.times import iso_time
from models.core.values import Status
from models.shelf.lab import LabView, SharedNote, lab_views, shared_notes
from models.store.bulk import chunked
from models.store.tables import (
    PAPER_FIELDS,
    ColumnExpr,
    Note,
    Paper,
    PaperSource,
    PaperTag,
    ReadingState,
    SourceFile,
    Tag,
)


class PaperNotFound(LookupError):
    """No paper has the id or arXiv id the user gave."""


@dataclass
class NoteView:
    id: int
    body: str
    created: datetime
    updated: datetime
    shared: bool = False  # the library's other readers see it too

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "body": self.body,
            "created": iso_time(self.created),
            "updated": iso_time(self.updated),
            "shared": self.shared,
        }


@dataclass
class PaperView:
    """A paper with one reader's state on it: what lists, details and exports show."""

    paper: Paper
    status: str = Status.NEW
    rating: int | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[NoteView] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: Every reader's state counted (`models/shelf/lab.py`), and the others' shared notes.
    lab: LabView = field(default_factory=LabView)
    shared_notes: list[SharedNote] = field(default_factory=list)

    @property
    def id(self) -> int:
        assert self.paper.id is not None  # a view is of a stored paper
        return self.paper.id

    @property
    def url(self) -> str | None:
        return paper_url(self.paper.arxiv_id, self.paper.doi)

    @property
    def display_title(self) -> str:
        return display_title(self.paper.title, self.paper.abstract)

    def to_json(self) -> dict[str, Any]:
        paper = self.paper
        return {
            "id": paper.id,
            **{name: json_value(getattr(paper, name)) for name in PAPER_FIELDS},
            "published": published_text(paper.published, paper.published_precision),
            "status": self.status,
            "rating": self.rating,
            "tags": self.tags,
            "notes": [note.to_json() for note in self.notes],
            "sources": self.sources,
            "lab": self.lab.to_json(),
            "shared_notes": [note.to_json() for note in self.shared_notes],
        }


def json_value(value: Any) -> Any:
    """A column value as JSON holds it: dates as ISO text, the rest as they are."""
    return value.isoformat() if isinstance(value, date) else value


UNTITLED = "(untitled) "
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])")


def display_title(title: str | None, abstract: str | None, limit: int = 160) -> str:
    """The title, or for a paper without one its abstract's first sentence, marked."""
    if title:
        return title
    if not abstract:
        return UNTITLED.strip()
    sentence = _SENTENCE_END.split(abstract, maxsplit=1)[0]
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return UNTITLED + sentence


def find_paper(session: Session, reference: str | int) -> Paper:
    """The paper with this internal id or arXiv id (any spelling, with or without version)."""
    text = str(reference).strip()
    paper = None
    if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID:
        paper = session.get(Paper, int(text))
    if paper is None:
        parsed = parse_arxiv_id(text)
        if parsed:
            paper = (
                session.execute(select(Paper).where(col(Paper.arxiv_id) == parsed[0]))
                .scalars()
                .first()
            )
    if paper is None:
        raise PaperNotFound(f"no paper with id or arXiv id {clean_text(text[:80])!r}")
    return paper


def status_column(reader_id: int):
    """The reader's status of each paper, `new` where no state row exists."""
    return func.coalesce(ReadingState.status, Status.NEW.value)


PAPER_ID = col(Paper.id)


def with_state(statement: Select, reader_id: int, paper_id: ColumnExpr = PAPER_ID) -> Select:
    """Join the reader's state (outer: no row means new and unrated).

    `paper_id` is the column that holds the paper's id in `statement` (search
    passes its index's, to spare a join with the paper table).
    """
    return statement.outerjoin(
        ReadingState,
        and_(col(ReadingState.paper_id) == paper_id, col(ReadingState.reader_id) == reader_id),
    )


def same_tag(name: str) -> ColumnElement[bool]:
    """A condition: the tag is `name` in any case. Both sides fold in SQL, so the match is
    the database's own (ASCII-only on SQLite, whose lower() leaves 'À' alone)."""
    return func.lower(Tag.name) == func.lower(name)


def has_tag(reader_id: int, name: str, paper_id: ColumnExpr = PAPER_ID):
    """A condition: the reader tagged the paper `name` (case-insensitive)."""
    return exists(
        select(col(PaperTag.paper_id))
        .join(Tag, col(Tag.id) == col(PaperTag.tag_id))
        .where(
            col(PaperTag.paper_id) == paper_id,
            col(PaperTag.reader_id) == reader_id,
            same_tag(name),
        )
    )


def newest_first(statement: Select) -> Select:
    """The library's order: newest publication first, undated last, then as imported."""
    return statement.order_by(col(Paper.published).desc().nulls_last(), col(Paper.id))


def list_ids(
    session: Session,
    *,
    reader_id: int,
    limit: int | None = None,
    offset: int = 0,
) -> list[int]:
    """Ids of every paper in library order, one page at a time (filters: `models.search`)."""
    statement = newest_first(select(col(Paper.id))).offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.execute(statement).scalars())


def count_by_status(session: Session, *, reader_id: int) -> dict[str, int]:
    """How many papers the reader has in each status, every status present."""
    column = status_column(reader_id)
    rows = session.execute(
        with_state(select(column, func.count(col(Paper.id))), reader_id).group_by(column)
    ).all()
    counts = {status.value: 0 for status in Status}
    counts.update({status: count for status, count in rows})
    return counts


def list_papers(
    session: Session,
    *,
    reader_id: int,
    limit: int | None = None,
    offset: int = 0,
) -> list[PaperView]:
    ids = list_ids(session, reader_id=reader_id, limit=limit, offset=offset)
    return paper_views(session, reader_id=reader_id, ids=ids)


def paper_views(session: Session, *, reader_id: int, ids: Sequence[int]) -> list[PaperView]:
    """Views of these papers, in this order, with state, tags and notes in a few queries."""
    views: dict[int, PaperView] = {}
    for chunk in chunked(ids):
        _load_views(session, reader_id, list(chunk), views)
    found = list(views)
    for paper_id, lab in lab_views(session, found).items():
        views[paper_id].lab = lab
    for paper_id, notes in shared_notes(session, reader_id=reader_id, ids=found).items():
        views[paper_id].shared_notes = notes
    return [views[paper_id] for paper_id in ids if paper_id in views]


def each_paper_view(session: Session, *, reader_id: int, ids: Sequence[int]) -> Iterator[PaperView]:
    """`paper_views` of any number of ids, loaded a chunk at a time (exports of everything)."""
    for chunk in chunked(ids):
        yield from paper_views(session, reader_id=reader_id, ids=chunk)


def _load_views(
    session: Session, reader_id: int, ids: list[int], views: dict[int, PaperView]
) -> None:
    for paper in session.execute(select(Paper).where(col(Paper.id).in_(ids))).scalars():
        views[paper.id] = PaperView(paper=paper)
    states = select(ReadingState).where(
        col(ReadingState.reader_id) == reader_id, col(ReadingState.paper_id).in_(ids)
    )
    for state in session.execute(states).scalars():
        views[state.paper_id].status = state.status
        views[state.paper_id].rating = state.rating
    tags = (
        select(col(PaperTag.paper_id), col(Tag.name))
        .join(Tag, col(Tag.id) == col(PaperTag.tag_id))
        .where(col(PaperTag.reader_id) == reader_id, col(PaperTag.paper_id).in_(ids))
        .order_by(Tag.name)
    )
    for paper_id, name in session.execute(tags).all():
        views[paper_id].tags.append(name)
    notes = (
        select(Note)
        .where(col(Note.reader_id) == reader_id, col(Note.paper_id).in_(ids))
        .order_by(col(Note.created), col(Note.id))
    )
    for note in session.execute(notes).scalars():
        views[note.paper_id].notes.append(
            NoteView(note.id, note.body, note.created, note.updated, note.shared)
        )
    for paper_id, line, source in source_rows(session, ids):
        views[paper_id].sources.append(
            {
                "path": source.path,
                "format": source.format,
                "line": line,
                "imported": iso_time(source.imported_at),
            }
        )


def source_rows(session: Session, ids: Sequence[int]) -> list[tuple[int, int | None, SourceFile]]:
    """(paper id, line, source file) for every file that named these papers, oldest first."""
    rows = (
        select(col(PaperSource.paper_id), col(PaperSource.line), SourceFile)
        .join(SourceFile, col(SourceFile.id) == col(PaperSource.source_id))
        .where(col(PaperSource.paper_id).in_(ids))
        .order_by(col(SourceFile.imported_at), col(SourceFile.id))
    )
    return [tuple(row) for row in session.execute(rows).all()]


def paper_view(session: Session, *, reader_id: int, paper_id: int) -> PaperView:
    return paper_views(session, reader_id=reader_id, ids=[paper_id])[0]


def tag_names(session: Session, *, reader_id: int) -> list[str]:
    """The tags this reader uses, most used first: for completion."""
    statement = (
        select(col(Tag.name))
        .join(PaperTag, col(PaperTag.tag_id) == col(Tag.id))
        .where(col(PaperTag.reader_id) == reader_id)
        .group_by(Tag.name)
        .order_by(func.count().desc(), Tag.name)
    )
    return list(session.execute(statement).scalars())


def published_year(value: date | None) -> str:
    return str(value.year) if value else ""
