"""The lab's view of a paper: what all the library's readers together did with it.

Each reader's status, rating, tags and notes stay theirs; beside them a paper shows
how many readers have it (a status other than `new`, a rating, a tag or a note), how
many of them are at each status, the mean of their ratings, and the notes they shared.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from models.core.values import Status
from models.store.bulk import chunked
from models.store.tables import ColumnExpr, Note, PaperTag, Reader, ReadingState


@dataclass
class LabView:
    """All readers' state of one paper, counted."""

    readers: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    mean_rating: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "readers": self.readers,
            "statuses": self.statuses,
            "mean_rating": self.mean_rating,
        }

    def summary(self) -> str | None:
        """`read by 3 · ★ 4.2`, or None when no reader has the paper."""
        if not self.readers:
            return None
        parts = [f"{self.readers} reader{'s' * (self.readers != 1)}"]
        read = self.statuses.get(Status.READ.value, 0)
        if read:
            parts = [f"read by {read}"] + (parts if read != self.readers else [])
        wanted = self.statuses.get(Status.TO_READ.value, 0)
        if wanted:
            parts.append(f"{wanted} to read")
        if self.mean_rating is not None:
            parts.append(f"★ {self.mean_rating:.1f}")
        return " · ".join(parts)


def lab_views(session: Session, ids: Sequence[int]) -> dict[int, LabView]:
    """The lab's view of each of these papers (papers nobody has get an empty one)."""
    holders: dict[int, set[int]] = defaultdict(set)
    statuses: dict[int, Counter[str]] = defaultdict(Counter)
    ratings: dict[int, list[int]] = defaultdict(list)
    for chunk in chunked(ids):
        states = select(
            col(ReadingState.paper_id),
            col(ReadingState.reader_id),
            col(ReadingState.status),
            col(ReadingState.rating),
        ).where(col(ReadingState.paper_id).in_(chunk))
        for paper_id, reader_id, status, rating in session.execute(states).all():
            if status != Status.NEW.value:
                statuses[paper_id][status] += 1
                holders[paper_id].add(reader_id)
            if rating is not None:
                ratings[paper_id].append(rating)
                holders[paper_id].add(reader_id)
        for table in (PaperTag, Note):
            rows = select(col(table.paper_id), col(table.reader_id)).where(
                col(table.paper_id).in_(chunk)
            )
            for paper_id, reader_id in session.execute(rows.distinct()).all():
                holders[paper_id].add(reader_id)
    return {
        paper_id: LabView(
            readers=len(holders[paper_id]),
            statuses=dict(sorted(statuses[paper_id].items())),
            mean_rating=_mean(ratings[paper_id]),
        )
        for paper_id in ids
    }


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass
class SharedNote:
    """A note another reader shared: its text and whose it is."""

    id: int
    author: str
    body: str
    created: Any
    updated: Any

    def to_json(self) -> dict[str, Any]:
        from models.core.times import iso_time

        return {
            "id": self.id,
            "author": self.author,
            "body": self.body,
            "created": iso_time(self.created),
            "updated": iso_time(self.updated),
        }


def shared_notes(
    session: Session, *, reader_id: int, ids: Sequence[int]
) -> dict[int, list[SharedNote]]:
    """The notes other readers shared on these papers, oldest first, by paper."""
    found: dict[int, list[SharedNote]] = defaultdict(list)
    for chunk in chunked(ids):
        rows = (
            select(Note, col(Reader.name))
            .join(Reader, col(Reader.id) == col(Note.reader_id))
            .where(
                col(Note.paper_id).in_(chunk), col(Note.shared), col(Note.reader_id) != reader_id
            )
            .order_by(col(Note.created), col(Note.id))
        )
        for note, author in session.execute(rows).all():
            found[note.paper_id].append(
                SharedNote(note.id, author, note.body, note.created, note.updated)
            )
    return found


# --- the query language's `lab:` filters -------------------------------------------


def readers_column(paper_id: ColumnExpr) -> ColumnElement:
    """How many readers have the paper, as a correlated count."""
    state, tag, note = aliased(ReadingState), aliased(PaperTag), aliased(Note)
    # Each EXISTS correlates with the paper two levels out, not only with the reader.
    holds = or_(
        exists(
            select(col(state.paper_id))
            .where(
                col(state.reader_id) == col(Reader.id),
                col(state.paper_id) == paper_id,
                or_(col(state.status) != Status.NEW.value, col(state.rating).is_not(None)),
            )
            .correlate_except(state)
        ),
        exists(
            select(col(tag.paper_id))
            .where(col(tag.reader_id) == col(Reader.id), col(tag.paper_id) == paper_id)
            .correlate_except(tag)
        ),
        exists(
            select(col(note.id))
            .where(col(note.reader_id) == col(Reader.id), col(note.paper_id) == paper_id)
            .correlate_except(note)
        ),
    )
    return select(func.count(col(Reader.id))).where(holds).scalar_subquery()


def status_count_column(status: str, paper_id: ColumnExpr) -> ColumnElement:
    """How many readers have the paper at `status`."""
    state = aliased(ReadingState)
    counted = select(func.count()).where(
        col(state.paper_id) == paper_id, col(state.status) == status
    )
    return counted.scalar_subquery()


def mean_rating_column(paper_id: ColumnExpr) -> ColumnElement:
    """The mean of the readers' ratings of the paper; NULL when nobody rated it."""
    state = aliased(ReadingState)
    return (
        select(func.avg(col(state.rating))).where(col(state.paper_id) == paper_id).scalar_subquery()
    )
