"""Undo and redo: what each change replaced and what it made, so either can be put back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from models.shelf.reading import (
    StateSnapshot,
    add_note,
    delete_note,
    restore_states,
    share_note,
    update_note,
)
from models.shelf.removal import RemovedPapers, delete_papers, restore_papers


@dataclass
class StateChange:
    """Status, rating or tags of some papers: the snapshots before and after."""

    description: str
    before: StateSnapshot
    after: StateSnapshot

    @property
    def papers(self) -> list[int]:
        return list(self.before.states)

    def apply(self, session: Session, *, reader_id: int, undo: bool) -> None:
        snapshot = self.before if undo else self.after
        restore_states(session, reader_id=reader_id, snapshot=snapshot)


@dataclass(eq=False)
class NoteRef:
    """The row a note is now. Undo can delete a note and redo write it again under a new id
    (PostgreSQL never hands an id out twice), so every change to one note shares one ref."""

    id: int | None


@dataclass
class NoteChange:
    """One note's text before and after an edit (None: no note), and which note it is."""

    description: str
    paper_id: int
    note: NoteRef
    before: str | None
    after: str | None

    @property
    def papers(self) -> list[int]:
        return [self.paper_id]

    def apply(self, session: Session, *, reader_id: int, undo: bool) -> None:
        text = self.before if undo else self.after
        if text is None:
            if self.note.id is not None:
                delete_note(session, reader_id=reader_id, note_id=self.note.id)
            self.note.id = None
        elif self.note.id is None:  # the note is gone: write it again, under a new id
            self.note.id = add_note(
                session, reader_id=reader_id, paper_id=self.paper_id, body=text
            ).id
        else:
            update_note(session, reader_id=reader_id, note_id=self.note.id, body=text)


@dataclass
class ShareChange:
    """A note of the reader's shared with the library's other readers, or made private."""

    description: str
    paper_id: int
    note: NoteRef
    shared: bool

    @property
    def papers(self) -> list[int]:
        return [self.paper_id]

    def apply(self, session: Session, *, reader_id: int, undo: bool) -> None:
        if self.note.id is not None:
            share_note(
                session, reader_id=reader_id, note_id=self.note.id, shared=self.shared ^ undo
            )


def sharing_toggled(paper_id: int, note_id: int, *, shared: bool) -> ShareChange:
    """The change that shares the note (`shared` is how it is now) or makes it private."""
    what = "note made private" if shared else "note shared with the library's other readers"
    return ShareChange(what, paper_id, NoteRef(note_id), not shared)


@dataclass
class PapersChange:
    """Papers deleted (`deletes`) or imported: the change holds their rows while they are
    out of the library, so either way can be taken back."""

    description: str
    paper_ids: list[int]
    deletes: bool
    removed: RemovedPapers | None = None

    @property
    def papers(self) -> list[int]:
        return list(self.paper_ids)

    def apply(self, session: Session, *, reader_id: int, undo: bool) -> None:
        present = undo if self.deletes else not undo
        if present and self.removed is not None:
            restore_papers(session, self.removed)
            self.removed = None
        elif not present and self.removed is None:
            self.removed = delete_papers(session, paper_ids=self.paper_ids)


Change = StateChange | NoteChange | ShareChange | PapersChange


@dataclass
class History:
    """The changes that `ctrl+z` takes back, and those that `ctrl+y` makes again."""

    done: list[Change] = field(default_factory=list)
    undone: list[Change] = field(default_factory=list)

    def record(self, change: Change) -> None:
        if isinstance(change, NoteChange | ShareChange) and change.note.id is not None:
            for earlier in self.done:  # a change to a note made earlier follows that note
                if (
                    isinstance(earlier, NoteChange | ShareChange)
                    and earlier.note.id == change.note.id
                ):
                    change.note = earlier.note
        self.done.append(change)
        self.undone.clear()

    def step(self, *, undo: bool) -> tuple[Change, Callable[[Session, int], None]] | None:
        """The change to take back (or make again) and the write that does it; moves it over."""
        source, target = (self.done, self.undone) if undo else (self.undone, self.done)
        if not source:
            return None
        change = source.pop()
        target.append(change)

        def write(session: Session, reader_id: int) -> None:
            change.apply(session, reader_id=reader_id, undo=undo)

        return change, write
