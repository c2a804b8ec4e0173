"""The note editor: Markdown in a TextArea, saved while you type (at most half a second
behind), so closing or killing the app loses nothing but the last moment of typing."""

from __future__ import annotations

import asyncio
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from models.shelf.reading import add_note, delete_note, update_note
from models.store.library import Library

SAVE_EVERY = 0.5  # seconds: the most typing a kill -9 can lose


class NoteEditor(Vertical):
    """Edits one note of one paper; `escape` saves and leaves."""

    DEFAULT_CSS = """
    NoteEditor { height: 1fr; border-top: heavy $accent; }
    NoteEditor > #note-header { height: 1; color: $text-muted; padding: 0 1; }
    NoteEditor > TextArea { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding(
            "escape", "leave", "Leave editor", tooltip="Save the note and go back", priority=True
        )
    ]

    class Closed(Message):
        """The editor closed: what the note was before, and what it is now."""

        def __init__(
            self, paper_id: int, note_id: int | None, before: str | None, after: str | None
        ) -> None:
            super().__init__()
            self.paper_id = paper_id
            self.note_id = note_id
            self.before = before
            self.after = after

    def __init__(
        self,
        library: Library,
        *,
        paper_id: int,
        title: str,
        note_id: int | None = None,
        body: str = "",
    ) -> None:
        super().__init__()
        self.library = library
        self.paper_id = paper_id
        self.note_id = note_id
        self.title = title
        self.before = body if note_id is not None else None
        self._initial = body
        self._dirty = False
        self._saving = False
        self._timer: Timer | None = None
        self._saved_at: datetime | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._header(), id="note-header")
        yield TextArea(self._initial, id="note-text", soft_wrap=True, tab_behavior="indent")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def _header(self) -> Text:
        state = "new note" if self.note_id is None else f"note {self.note_id}"
        saved = f" · saved {self._saved_at:%H:%M:%S}" if self._saved_at else ""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{state}{saved} · esc leaves · ", "dim")
        text.append(self.title)
        return text

    @on(TextArea.Changed)
    def _changed(self) -> None:
        self._dirty = True
        if self._timer is None and not self._saving:
            self._timer = self.set_timer(SAVE_EVERY, self._save)

    def _save(self) -> None:
        self._timer = None
        if not self._dirty or self._saving:
            return
        body = self.text
        if self.note_id is None and not body.strip():
            self._dirty = False
            return
        self._dirty = False
        self._saving = True
        self._write(body)

    @work(thread=True, group="note-save", exit_on_error=False)
    def _write(self, body: str) -> None:
        note_id = self._store(body)
        self.app.call_from_thread(self._stored, note_id)

    def _store(self, body: str) -> int | None:
        """Write the note (creating it on the first save); its id."""
        with self.library.write() as session:
            if self.note_id is None:
                if not body.strip():
                    return None
                note = add_note(
                    session, reader_id=self.library.reader_id, paper_id=self.paper_id, body=body
                )
                return note.id
            update_note(session, reader_id=self.library.reader_id, note_id=self.note_id, body=body)
            return self.note_id

    def _stored(self, note_id: int | None) -> None:
        self.note_id = note_id
        self._saving = False
        self._saved_at = datetime.now()
        self.query_one("#note-header", Static).update(self._header())
        if self._dirty and self._timer is None:
            self._timer = self.set_timer(SAVE_EVERY, self._save)

    async def flush(self) -> None:
        """Save whatever is unsaved now (on leaving the editor or quitting the app)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        while self._saving:
            await asyncio.sleep(0.01)
        body = self.text
        if self.note_id is not None and not body.strip():
            await asyncio.to_thread(self._delete)
            return
        if self._dirty or (self.note_id is None and body.strip()):
            self._dirty = False
            self.note_id = await asyncio.to_thread(self._store, body)

    def _delete(self) -> None:
        with self.library.write() as session:
            delete_note(session, reader_id=self.library.reader_id, note_id=self.note_id)
        self.note_id = None

    async def action_leave(self) -> None:
        await self.flush()
        after = self.text if self.note_id is not None else None
        self.post_message(self.Closed(self.paper_id, self.note_id, self.before, after))
        await self.remove()
