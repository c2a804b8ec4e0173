"""Changing a reader's state of a paper: status, rating, tags and notes.

Each function changes one thing inside the caller's transaction and returns what
was there before, so the app can undo it and the command line can report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import CursorResult, delete, func, select
from sqlmodel import Session, col

from models.core.times import utcnow
from models.core.values import (
    MAX_TAGS_PER_PAPER,
    InvalidValue,
    Status,
    clean_note,
    clean_tag,
    parse_rating,
    parse_status,
)
from models.shelf.papers import same_tag
from models.store.bulk import chunked
from models.store.tables import Note, PaperTag, ReadingState, StatusChange, Tag


def _state(session: Session, reader_id: int, paper_id: int) -> ReadingState:
    state = session.get(ReadingState, (reader_id, paper_id))
    if state is None:
        state = ReadingState(reader_id=reader_id, paper_id=paper_id, updated_at=utcnow())
        session.add(state)
    return state


def set_status(session: Session, *, reader_id: int, paper_id: int, status: str) -> str:
    """Move the paper to `status`, recording the change in the history; the old status."""
    new = parse_status(status)
    state = _state(session, reader_id, paper_id)
    old = state.status or Status.NEW
    if old != new:
        now = utcnow()
        state.status, state.updated_at = new.value, now
        session.add(
            StatusChange(
                reader_id=reader_id,
                paper_id=paper_id,
                old_status=old,
                new_status=new.value,
                changed_at=now,
            )
        )
    return str(old)


def set_rating(
    session: Session, *, reader_id: int, paper_id: int, rating: int | None
) -> int | None:
    """Rate the paper 1-5, or clear the rating with None; the old rating."""
    value = None if rating is None else parse_rating(rating)
    state = _state(session, reader_id, paper_id)
    old = state.rating
    state.rating, state.updated_at = value, utcnow()
    return old


def add_tag(session: Session, *, reader_id: int, paper_id: int, name: str) -> bool:
    """Tag the paper (reusing an existing tag of any case); False if it had the tag."""
    tag_name = clean_tag(name)
    tag = session.execute(select(Tag).where(same_tag(tag_name))).scalar()
    if tag is None:
        tag = Tag(name=tag_name)
        session.add(tag)
        session.flush()
    assert tag.id is not None  # stored, or given by the flush
    if session.get(PaperTag, (reader_id, paper_id, tag.id)):
        return False
    count = select(func.count()).where(
        col(PaperTag.reader_id) == reader_id, col(PaperTag.paper_id) == paper_id
    )
    if session.execute(count).scalar_one() >= MAX_TAGS_PER_PAPER:
        raise InvalidValue(f"a paper has at most {MAX_TAGS_PER_PAPER} tags")
    session.add(PaperTag(reader_id=reader_id, paper_id=paper_id, tag_id=tag.id, tagged_at=utcnow()))
    return True


def remove_tag(session: Session, *, reader_id: int, paper_id: int, name: str) -> bool:
    """Take the tag off the paper; False if it did not have it."""
    tag_name = clean_tag(name)
    tag_ids = select(col(Tag.id)).where(same_tag(tag_name))
    result = session.execute(
        delete(PaperTag).where(
            col(PaperTag.reader_id) == reader_id,
            col(PaperTag.paper_id) == paper_id,
            col(PaperTag.tag_id).in_(tag_ids),
        )
    )
    return cast(CursorResult, result).rowcount > 0


def add_note(
    session: Session, *, reader_id: int, paper_id: int, body: str, shared: bool = False
) -> Note:
    """A new dated note on the paper; `shared`, the library's other readers see it too."""
    now = utcnow()
    note = Note(
        reader_id=reader_id,
        paper_id=paper_id,
        body=clean_note(body),
        created=now,
        updated=now,
        shared=shared,
    )
    session.add(note)
    session.flush()
    return note


def update_note(session: Session, *, reader_id: int, note_id: int, body: str) -> str:
    """Replace a note's text (as the editor saves it); the old text."""
    note = session.get(Note, note_id)
    if note is None or note.reader_id != reader_id:
        raise InvalidValue(f"no note {note_id}")
    old = note.body
    cleaned = clean_note(body)
    if cleaned != old:
        note.body, note.updated = cleaned, utcnow()
    return old


def share_note(session: Session, *, reader_id: int, note_id: int, shared: bool) -> Note:
    """Let the library's other readers see one of this reader's notes (or no longer)."""
    note = session.get(Note, note_id)
    if note is None or note.reader_id != reader_id:  # another's note is no note of yours
        raise InvalidValue(f"no note {note_id}")
    note.shared = shared
    return note


def delete_note(session: Session, *, reader_id: int, note_id: int) -> Note | None:
    """Delete a note; the deleted note (detached) so it can be restored."""
    note = session.get(Note, note_id)
    if note is None or note.reader_id != reader_id:
        return None
    session.delete(note)
    return note


def status_history(session: Session, *, reader_id: int, paper_id: int) -> list[StatusChange]:
    statement = (
        select(StatusChange)
        .where(col(StatusChange.reader_id) == reader_id, col(StatusChange.paper_id) == paper_id)
        .order_by(col(StatusChange.changed_at), col(StatusChange.id))
    )
    return list(session.execute(statement).scalars())


@dataclass
class StateSnapshot:
    """One reader's status, rating and tags of some papers, as they were: what undo restores."""

    states: dict[int, tuple[str, int | None, tuple[str, ...]]] = field(default_factory=dict)


def snapshot_states(session: Session, *, reader_id: int, paper_ids: list[int]) -> StateSnapshot:
    snapshot = StateSnapshot({paper_id: (Status.NEW.value, None, ()) for paper_id in paper_ids})
    for chunk in chunked(paper_ids):
        rows = session.execute(
            select(ReadingState).where(
                col(ReadingState.reader_id) == reader_id, col(ReadingState.paper_id).in_(chunk)
            )
        ).scalars()
        for state in rows:
            snapshot.states[state.paper_id] = (state.status, state.rating, ())
        tags = session.execute(
            select(col(PaperTag.paper_id), col(Tag.name))
            .join(Tag, col(Tag.id) == col(PaperTag.tag_id))
            .where(col(PaperTag.reader_id) == reader_id, col(PaperTag.paper_id).in_(chunk))
            .order_by(Tag.name)
        ).all()
        for paper_id, name in tags:
            status, rating, names = snapshot.states[paper_id]
            snapshot.states[paper_id] = (status, rating, (*names, name))
    return snapshot


def restore_states(session: Session, *, reader_id: int, snapshot: StateSnapshot) -> None:
    """Put status, rating and tags back as the snapshot has them (history keeps the change)."""
    current = snapshot_states(session, reader_id=reader_id, paper_ids=list(snapshot.states))
    for paper_id, (status, rating, tags) in snapshot.states.items():
        now_status, now_rating, now_tags = current.states[paper_id]
        state = {"reader_id": reader_id, "paper_id": paper_id}
        if now_status != status:
            set_status(session, **state, status=status)
        if now_rating != rating:
            set_rating(session, **state, rating=rating)
        for name in set(now_tags) - set(tags):
            remove_tag(session, **state, name=name)
        for name in set(tags) - set(now_tags):
            add_tag(session, **state, name=name)
