"""Notes from the app: open the editor on the highlighted paper, and remember each edit
so `ctrl+z` can take it back. Mixed into `PapershelfApp`."""

from __future__ import annotations

from tui.app.actions.state import UndoEntry
from tui.app.widgets import NoteEditor


class NoteActions:
    """`n` writes a new note, `e` edits the latest."""

    # --- notes ------------------------------------------------------------------

    def action_new_note(self) -> None:
        self._open_editor(latest=False)

    def action_edit_note(self) -> None:
        self._open_editor(latest=True)

    def _open_editor(self, *, latest: bool) -> None:
        paper = self.paper_list.current
        if paper is None or self.query(NoteEditor):
            return
        note = paper.notes[-1] if latest and paper.notes else None
        if latest and note is None:
            self.notify("No note yet: n writes one.")
            return
        editor = NoteEditor(
            self.library,
            paper_id=paper.id,
            title=paper.display_title,
            note_id=note.id if note else None,
            body=note.body if note else "",
        )
        self.query_one("#side").mount(editor)

    def on_note_editor_closed(self, event: NoteEditor.Closed) -> None:
        if event.before != event.after:
            what = "new note" if event.before is None else "note edit"
            self.undo_stack.append(
                UndoEntry(
                    what, note=(event.paper_id, event.note_id, event.before), focus=event.paper_id
                )
            )
        self.paper_list.focus()
        self.reload([event.paper_id])
