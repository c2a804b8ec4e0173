"""Changes of a reader's state as write jobs: each runs in one transaction on the writer
thread and returns the `StateChange` (snapshots before and after) that undo and redo use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from models.shelf.reading import add_tag, remove_tag, set_rating, set_status, snapshot_states
from tui.app.history import Change, StateChange

Apply = Callable[[Session, int, int], object]  # (session, reader_id, paper_id)


@dataclass(frozen=True)
class Replayed:
    """What an undo or a redo job returns: the change it took back or made again."""

    change: Change
    undo: bool


def state_change(
    description: str, ids: Sequence[int], reader_id: int, apply: Apply
) -> Callable[[Session], StateChange]:
    """A job that applies `apply` to each paper and returns the change, undoable."""
    paper_ids = list(ids)

    def change(session: Session) -> StateChange:
        before = snapshot_states(session, reader_id=reader_id, paper_ids=paper_ids)
        for paper_id in paper_ids:
            apply(session, reader_id, paper_id)
        session.flush()
        after = snapshot_states(session, reader_id=reader_id, paper_ids=paper_ids)
        label = f"{description} ({len(paper_ids)} papers)" if len(paper_ids) > 1 else description
        return StateChange(label, before, after)

    return change


def to_status(status: str) -> Apply:
    return lambda session, reader_id, paper_id: set_status(
        session, reader_id=reader_id, paper_id=paper_id, status=status
    )


def to_rating(rating: int | None) -> Apply:
    return lambda session, reader_id, paper_id: set_rating(
        session, reader_id=reader_id, paper_id=paper_id, rating=rating
    )


def with_tag(name: str, *, add: bool) -> Apply:
    change = add_tag if add else remove_tag
    return lambda session, reader_id, paper_id: change(
        session, reader_id=reader_id, paper_id=paper_id, name=name
    )


def cursor_after(ids: Sequence[int], cursor: int, touched: set[int]) -> int | None:
    """The paper nearest the cursor that a change did not touch: the first at or below
    it, else the nearest above; None when every paper was touched."""
    for paper_id in ids[cursor:]:
        if paper_id not in touched:
            return paper_id
    for paper_id in reversed(ids[:cursor]):
        if paper_id not in touched:
            return paper_id
    return None
