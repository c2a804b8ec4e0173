"""The note editor: Markdown in a TextArea, saved through the app's writer while you type
(at most half a second behind), so quitting or a kill loses nothing but the last moment."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static, TextArea

from tui.app.messages import WriteDone, WriteFailed
from tui.app.notes import NoteDraft
from tui.app.writer import LibraryWriter, WriteJob

SAVE_EVERY = 0.5  # seconds: the most typing a kill -9 can lose


class NoteEditor(Vertical):
    """Edits one note of one paper; its screen's `escape` saves and leaves."""

    DEFAULT_CSS = """
    NoteEditor { height: 1fr; border-top: heavy $accent; background: $surface; }
    NoteEditor > #note-header { height: 1; color: $text-muted; padding: 0 1; }
    NoteEditor > TextArea { height: 1fr; border: none; }
    """

    def __init__(self, draft: NoteDraft, writer: LibraryWriter, reader_id: int) -> None:
        super().__init__()
        self.draft = draft
        self.writer = writer
        self.reader_id = reader_id
        self._timer: Timer | None = None
        self._saving = False
        self._saved_at: datetime | None = None
        self._problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._header(), id="note-header")
        yield TextArea(
            self.draft.text, id="note-text", soft_wrap=True, tab_behavior="indent", language=None
        )

    @property
    def area(self) -> TextArea:
        return self.query_one(TextArea)

    def _header(self) -> Text:
        state = "new note" if self.draft.note_id is None else "note"
        if self._problem:
            saved = f" · {self._problem}"
        elif self._saved_at:
            saved = f" · saved {self._saved_at:%H:%M:%S}"
        else:
            saved = ""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{state}{saved} · esc leaves · ", "dim")
        text.append(self.draft.title)
        return text

    def _show_header(self) -> None:
        self.query_one("#note-header", Static).update(self._header())

    @on(TextArea.Changed)
    def _changed(self) -> None:
        self.draft.set_text(self.area.text)
        if self._timer is None and not self._saving:
            self._timer = self.set_timer(SAVE_EVERY, self.save)

    def save(self) -> None:
        """Send the latest text to the writer (unless a save of it is on its way)."""
        self._timer = None
        if self._saving or self.draft.unsaved() is None:
            return
        self._saving = True
        self.writer.submit(self.save_job(final=False, reply_to=self))

    def save_job(self, *, final: bool, reply_to) -> WriteJob:
        draft, reader_id = self.draft, self.reader_id
        return WriteJob(
            "note" if final else "note (saved as you type)",
            lambda session: draft.save(session, reader_id=reader_id, final=final),
            reply_to=reply_to,
            unsaved_text=draft.unsaved,
        )

    @on(WriteDone)
    def _saved(self, message: WriteDone) -> None:
        message.stop()
        self._saving = False
        self._problem = None
        self._saved_at = datetime.now()
        self._show_header()
        if self.draft.unsaved() is not None and self._timer is None:
            self._timer = self.set_timer(SAVE_EVERY, self.save)

    @on(WriteFailed)
    def _not_saved(self, message: WriteFailed) -> None:
        message.stop()
        self._problem = "not saved: the library is locked by another program; retrying"
        if not message.retrying:
            self._saving = False
            self._problem = "not saved; saving again as you type"
        self._show_header()
        self.app.notify(self._problem, severity="warning", markup=False)
