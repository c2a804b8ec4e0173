"""A note being written: what the editor last showed and what the library last took.

The editor (UI thread) sets `text`; save jobs on the writer thread read it when they
run, so a save that waited behind a lock writes the latest text, and a later save of
the same note finds the id the first one created.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlmodel import Session

from models.shelf.reading import add_note, delete_note, update_note
from tui.app.history import NoteChange, NoteRef


@dataclass(eq=False)
class NoteDraft:
    paper_id: int
    title: str
    note_id: int | None = None
    before: str | None = None  # the note's text when the editor opened; None: a new note
    text: str = ""
    saved: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.saved = self.before

    def set_text(self, text: str) -> None:
        with self._lock:
            self.text = text

    def unsaved(self) -> str | None:
        """The text the library does not have yet, if any."""
        with self._lock:
            return self.text if self.text != (self.saved or "") and self.text.strip() else None

    def save(self, session: Session, *, reader_id: int, final: bool) -> NoteChange | None:
        """Write the latest text (the first save creates the note; a final save of an
        emptied note deletes it); the whole edit as a change once `final`."""
        with self._lock:
            text = self.text
        if self.note_id is None:
            if text.strip():
                note = add_note(session, reader_id=reader_id, paper_id=self.paper_id, body=text)
                self.note_id = note.id
        elif final and not text.strip():
            delete_note(session, reader_id=reader_id, note_id=self.note_id)
            self.note_id = None
        elif text != self.saved:
            update_note(session, reader_id=reader_id, note_id=self.note_id, body=text)
        with self._lock:
            self.saved = text if self.note_id is not None else None
        if not final:
            return None
        after = text if self.note_id is not None else None
        if after == self.before:
            return None
        what = "new note" if self.before is None else "note edit"
        return NoteChange(what, self.paper_id, NoteRef(self.note_id), self.before, after)
