"""The note editor's screen: over the list, so keys typed into it never reach the list."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from tui.app.notes import NoteDraft
from tui.app.widgets.key_footer import KeyFooter
from tui.app.widgets.note_editor import NoteEditor
from tui.app.writer import LibraryWriter


class NoteScreen(ModalScreen[None]):
    """Writes one note; `escape` saves and leaves (the final save goes to the list's screen)."""

    DEFAULT_CSS = """
    NoteScreen { align: right top; background: $background 50%; }
    NoteScreen > NoteEditor { width: 62%; min-width: 60; max-width: 100%; height: 1fr; }
    """
    BINDINGS = [
        Binding(
            "escape", "leave", "Leave editor", tooltip="Save the note and go back", priority=True,
            id="leave_editor",
        )
    ]  # fmt: skip

    def __init__(self, draft: NoteDraft, writer: LibraryWriter, reader_id: int) -> None:
        super().__init__()
        self.draft = draft
        self.writer = writer
        self.reader_id = reader_id
        self._early: list[str] = []  # keys that came before the text area had the focus
        self._left = False

    def compose(self) -> ComposeResult:
        yield NoteEditor(self.draft, self.writer, self.reader_id)
        yield KeyFooter()  # the editor's own keys, not the list's

    @property
    def editor(self) -> NoteEditor:
        return self.query_one(NoteEditor)

    def on_mount(self) -> None:
        area = self.editor.area
        self.set_focus(area)
        area.move_cursor(area.document.end)
        if self._early:
            area.insert("".join(self._early))
            self._early.clear()

    def on_key(self, event: events.Key) -> None:
        """Type-ahead: a key pressed while the screen was still opening is text."""
        if self.focused is None and not self._left:
            event.stop()
            if event.key == "enter":
                self._early.append("\n")
            elif event.is_printable and event.character:
                self._early.append(event.character)

    def action_leave(self) -> None:
        """Leave after the keys already typed have reached the text (they are queued there)."""
        if self._left:
            return
        self._left = True
        area = self.editor.area
        self.set_focus(None)
        area.call_later(self.leave_now)

    def leave_now(self) -> None:
        """Save the latest text as the edit's last save and close; never waits on the save."""
        editor = self.editor
        self.draft.set_text(editor.area.text)
        main = self.app.screen_stack[0]
        self.writer.submit(editor.save_job(final=True, reply_to=main))
        self.dismiss(None)
