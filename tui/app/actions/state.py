"""Changes of a reader's state from the app: status, rating, tags, and undoing them.

Mixed into `PapershelfApp`. Every change goes through the app's writer queue inside
one transaction and records a snapshot of what it replaced, which `ctrl+z` restores.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work

from models.shelf.papers import tag_names
from models.shelf.reading import (
    StateSnapshot,
    add_note,
    add_tag,
    delete_note,
    remove_tag,
    restore_states,
    set_rating,
    set_status,
    snapshot_states,
    update_note,
)
from tui.app.screens.prompt import TextPrompt
from tui.app.writer import WriteJob
from tui.errors import describe


@dataclass
class UndoEntry:
    """What one change did, and how to take it back."""

    description: str
    snapshot: StateSnapshot | None = None
    note: tuple[int, int | None, str | None] | None = None  # paper, note id, text before
    focus: int | None = None


class StateActions:
    """Triage, rating, tagging and undo: the keys a reader presses most."""

    # --- changes of state -------------------------------------------------------

    def targets(self) -> list[int]:
        """The selected papers, else the highlighted one."""
        papers = self.paper_list
        if papers.selected:
            return [paper_id for paper_id in papers.ids if paper_id in papers.selected]
        return [papers.current_id] if papers.current_id is not None else []

    def change_state(self, description: str, change, *, leaves_view: bool = False) -> None:
        """Apply `change(session, reader_id, paper_id)` to the targets, undoably."""
        ids = self.targets()
        if not ids:
            self.notify("No paper here.", severity="warning")
            return
        reader_id = self.library.reader_id
        papers = self.paper_list

        def write(session):
            snapshot = snapshot_states(session, reader_id=reader_id, paper_ids=ids)
            for paper_id in ids:
                change(session, reader_id=reader_id, paper_id=paper_id)
            return snapshot

        def done(snapshot: StateSnapshot) -> None:
            label = f"{description} ({len(ids)} papers)" if len(ids) > 1 else description
            self.undo_stack.append(UndoEntry(label, snapshot=snapshot, focus=ids[0]))
            if len(ids) > 1:
                self.notify(label)
            self.reload(ids, keep=None if leaves_view else papers.current_id)

        if leaves_view:  # answer the key now: the papers leave this view
            remaining = [paper_id for paper_id in papers.ids if paper_id not in set(ids)]
            cursor = papers.cursor
            papers.set_ids(remaining)
            papers.cursor = min(cursor, max(0, len(remaining) - 1))
        papers.clear_selection()
        self.writer.submit(WriteJob(write, done, self._write_failed))

    def _write_failed(self, error: Exception) -> None:
        self.notify(f"Not saved: {describe(error, self.library)}", severity="error", markup=False)
        self.reload(self.paper_list.ids)

    def action_set_status(self, status: str) -> None:
        leaves = self.status is not None and self.status != status
        self.change_state(
            f"status → {status}",
            lambda session, **state: set_status(session, **state, status=status),
            leaves_view=leaves,
        )

    def action_rate(self, rating: int) -> None:
        value = rating or None
        self.change_state(
            f"rating → {rating}" if rating else "rating cleared",
            lambda session, **state: set_rating(session, **state, rating=value),
        )

    @work(group="prompt", exit_on_error=False)
    async def action_add_tag(self) -> None:
        if not self.targets():
            return
        choices = await self._tag_choices()
        name = await self.push_screen_wait(
            TextPrompt("Add tag", choices=choices, placeholder="tag name")
        )
        if name:
            self.change_state(
                f"tagged #{name}",
                lambda session, **state: add_tag(session, **state, name=name),
            )

    @work(group="prompt", exit_on_error=False)
    async def action_remove_tag(self) -> None:
        current = self.paper_list.current
        choices = list(current.tags) if current else []
        if not choices and not self.paper_list.selected:
            self.notify("This paper has no tags.")
            return
        name = await self.push_screen_wait(
            TextPrompt("Remove tag", choices=choices, value=choices[0] if len(choices) == 1 else "")
        )
        if name:
            self.change_state(
                f"untagged #{name}",
                lambda session, **state: remove_tag(session, **state, name=name),
            )

    async def _tag_choices(self) -> list[str]:
        worker = self.run_worker(self._read_tags, thread=True, group="tags")
        return await worker.wait()

    def _read_tags(self) -> list[str]:
        with self.library.read() as session:
            return tag_names(session, reader_id=self.library.reader_id)

    @work(group="prompt", exit_on_error=False)
    async def action_filter_tag(self) -> None:
        choices = await self._tag_choices()
        name = await self.push_screen_wait(
            TextPrompt(
                "Show papers tagged (empty: every tag)", choices=choices, value=self.tag or ""
            )
        )
        self.tag = name
        self.paper_list.cursor = 0
        self.load_view()

    # --- undo -------------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        entry = self.undo_stack.pop()
        reader_id = self.library.reader_id

        def write(session) -> None:
            if entry.snapshot is not None:
                restore_states(session, reader_id=reader_id, snapshot=entry.snapshot)
            if entry.note is not None:
                paper_id, note_id, before = entry.note
                if before is None and note_id is not None:
                    delete_note(session, reader_id=reader_id, note_id=note_id)
                elif note_id is None and before is not None:
                    add_note(session, reader_id=reader_id, paper_id=paper_id, body=before)
                elif note_id is not None:
                    update_note(session, reader_id=reader_id, note_id=note_id, body=before)

        def done(_) -> None:
            self.notify(f"Undid {entry.description}.", markup=False)
            ids = list(entry.snapshot.states) if entry.snapshot else [entry.focus]
            self.reload(ids, keep=entry.focus)

        self.writer.submit(WriteJob(write, done, self._write_failed))
