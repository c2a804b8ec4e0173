"""What the main screen's keys and palette commands do: a collaborator of `MainScreen`
that reads its list and view, sends changes to the writer and opens prompts."""

from __future__ import annotations

import os
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import cast

from textual.screen import Screen

from models.fetch import UnknownCategory
from tui.app.commands import Command
from tui.app.fetching import QUESTION, plan_from_answer, plan_from_config
from tui.app.history import NoteChange, PapersChange, ShareChange, StateChange, sharing_toggled
from tui.app.keys import MAIN_BINDINGS
from tui.app.notes import NoteDraft
from tui.app.screens.help import HelpScreen, help_sections
from tui.app.screens.note import NoteScreen
from tui.app.screens.prompt import ConfirmPrompt, TextPrompt
from tui.app.shelf import Settings, Shelf
from tui.app.transfer import EXPORTS, Transfers
from tui.app.triage import Replayed, cursor_after, state_change, to_rating, to_status, with_tag
from tui.app.view import VIEW_ORDER
from tui.app.widgets import FetchBar, PaperList
from tui.display import VIEW_NAMES


class MainActions:
    """Status, rating, tags, notes, undo and redo, links, import and export."""

    def __init__(self, screen: Screen[None], shelf: Shelf) -> None:
        self.screen = screen  # the same object as `shelf`: its Textual side
        self.shelf = shelf
        self.library = shelf.library
        self.transfers = Transfers(screen, shelf.library)

    @property
    def app(self) -> Settings:
        return cast(Settings, self.screen.app)

    @property
    def papers(self) -> PaperList:
        return self.shelf.paper_list

    def _targets(self) -> list[int] | None:
        ids = self.papers.targets()
        if not ids:
            self.screen.notify("No paper here.", severity="warning")
            return None
        return ids

    # --- state ------------------------------------------------------------------

    def set_status(self, status: str) -> None:
        ids = self._targets()
        if ids is None:
            return
        papers, view = self.papers, self.shelf.view
        touched = set(ids)
        nearest = cursor_after(papers.ids, papers.cursor, touched)
        if view.status is not None and view.status != status and not view.searching:
            remaining = [paper_id for paper_id in papers.ids if paper_id not in touched]
            papers.set_ids(remaining, keep=nearest)  # they leave the view at once
        elif nearest is not None:
            papers.cursor = papers.ids.index(nearest)
        papers.clear_selection()
        reader_id = self.library.reader_id
        self.shelf.write(f"status → {status}", state_change(
            f"status → {status}", ids, reader_id, to_status(status)
        ))  # fmt: skip

    def rate(self, rating: int) -> None:
        ids = self._targets()
        if ids is None:
            return
        what = f"rating → {rating}" if rating else "rating cleared"
        self.papers.clear_selection()
        change = state_change(what, ids, self.library.reader_id, to_rating(rating or None))
        self.shelf.write(what, change)

    def ask_tag(self, *, add: bool) -> None:
        """Open the prompt now (so the next keys are typed into it); completion follows."""
        ids = self._targets()
        if ids is None:
            return
        current = self.papers.current
        if add:
            prompt = TextPrompt("Add tag", placeholder="tag name")
            self.shelf.load_tags(prompt)
        else:
            choices = list(current.tags) if current and len(ids) == 1 else []
            if len(ids) == 1 and not choices:
                self.screen.notify("This paper has no tags.")
                return
            value = choices[0] if len(choices) == 1 else ""
            prompt = TextPrompt("Remove tag", choices=choices, value=value)
            if len(ids) > 1:
                self.shelf.load_tags(prompt)

        def answered(name: str | None) -> None:
            if not name:
                return
            what = f"tagged #{name}" if add else f"untagged #{name}"
            self.papers.clear_selection()
            reader_id = self.library.reader_id
            self.shelf.write(what, state_change(what, ids, reader_id, with_tag(name, add=add)))

        self.screen.app.push_screen(prompt, answered)

    def ask_tag_filter(self) -> None:
        view = self.shelf.view
        prompt = TextPrompt("Show papers tagged (empty: every tag)", value=view.tag or "")
        self.shelf.load_tags(prompt)

        def answered(name: str | None) -> None:
            self.shelf.view = replace(self.shelf.view, tag=name)

        self.screen.app.push_screen(prompt, answered)

    # --- notes ------------------------------------------------------------------

    def open_note(self, *, latest: bool) -> None:
        paper = self.papers.current
        if paper is None:
            return
        note = paper.notes[-1] if latest and paper.notes else None  # e with none: a new one
        body = note.body if note else ""
        draft = NoteDraft(
            paper.id,
            paper.display_title,
            note_id=note.id if note else None,
            before=body if note else None,
            text=body,
        )
        screen = NoteScreen(draft, self.shelf.writer, self.library.reader_id)
        self.screen.app.push_screen(screen)

    def external_note(self) -> None:
        """The latest note (or a new one) in $VISUAL/$EDITOR, the app suspended meanwhile."""
        from tui.app.external import edit_externally

        paper = self.papers.current
        if paper is None:
            return
        note = paper.notes[-1] if paper.notes else None
        draft = NoteDraft(
            paper.id,
            paper.display_title,
            note_id=note.id if note else None,
            before=note.body if note else None,
            text=note.body if note else "",
        )
        text = edit_externally(self.screen.app, draft.text)
        if text is None or text == draft.text:
            return
        draft.set_text(text)
        reader_id = self.library.reader_id
        self.shelf.write(
            "note", lambda session: draft.save(session, reader_id=reader_id, final=True)
        )

    def toggle_sharing(self) -> None:
        """Share the paper's latest note (the one `e` edits) with the lab, or unshare it."""
        paper = self.papers.current
        if paper is None or not paper.notes:
            self.screen.notify("This paper has no note of yours to share.")
            return
        note = paper.notes[-1]
        change = sharing_toggled(paper.id, note.id, shared=note.shared)
        self.shelf.write(change.description, partial(_applied, change, self.library.reader_id))

    # --- after a write, undo and redo ------------------------------------------------

    def written(self, result: object) -> None:
        """A change of ours committed: remember it for undo and show what it did."""
        if isinstance(result, StateChange | NoteChange | ShareChange | PapersChange):
            self.shelf.history.record(result)
            if len(result.papers) > 1 or isinstance(result, ShareChange):
                self.screen.notify(result.description, markup=False)
            self.shelf.reload(result.papers)
        elif isinstance(result, Replayed):
            verb = "Undid" if result.undo else "Redid"
            self.screen.notify(f"{verb} {result.change.description}.", markup=False)
            self.shelf.reload(result.change.papers, keep=result.change.papers[0])
        else:
            self.shelf.reload()

    def replay(self, *, undo: bool) -> None:
        step = self.shelf.history.step(undo=undo)
        if step is None:
            self.screen.notify("Nothing to undo." if undo else "Nothing to redo.")
            return
        change, write = step
        reader_id = self.library.reader_id

        def job(session) -> Replayed:
            write(session, reader_id)
            return Replayed(change, undo)

        self.shelf.write(("undo " if undo else "redo ") + change.description, job)

    def delete(self) -> None:
        """Delete the targets after one confirmation; undoable."""
        ids = self._targets()
        if ids is None:
            return
        current = self.papers.current
        what = (
            f"{len(ids)} papers"
            if len(ids) > 1
            else f"“{current.display_title if current else ids[0]}”"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_papers(ids, f"deleted {what}")

        self.screen.app.push_screen(
            ConfirmPrompt(f"Delete {what}? Undo brings them back."), answered
        )

    def remove_papers(self, ids: list[int], description: str) -> None:
        papers = self.papers
        nearest = cursor_after(papers.ids, papers.cursor, set(ids))
        papers.set_ids([i for i in papers.ids if i not in set(ids)], keep=nearest)
        papers.clear_selection()
        change = PapersChange(description, ids, deletes=True)
        reader_id = self.library.reader_id

        def job(session) -> PapersChange:
            change.apply(session, reader_id=reader_id, undo=False)
            return change

        self.shelf.write(description, job)

    def take_back_import(self) -> None:
        """Delete the papers the last import added (fields it filled in stay); undoable."""
        imports = [c for c in self.shelf.history.done if isinstance(c, PapersChange)]
        imports = [c for c in imports if not c.deletes and c.removed is None]
        if not imports:
            self.screen.notify("No import to take back in this session.")
            return
        last = imports[-1]
        self.remove_papers(last.paper_ids, f"took back {last.description}")

    # --- links, help, palette ---------------------------------------------------------

    def open_paper(self) -> None:
        paper = self.papers.current
        if paper is None:
            return
        url = paper.url
        if url is None:
            self.screen.notify("This paper has no arXiv id or DOI to open.")
            return
        self.transfers.open_in_browser(url)

    def copy_id(self, cite: bool = False) -> None:
        """Copy the paper's citation key, the one every export gives it (or `\\cite{key}`)."""
        paper = self.papers.current
        if paper is not None:
            self.transfers.copy_citation_key(paper.id, cite=cite)

    def help(self) -> None:
        self.screen.app.push_screen(HelpScreen(help_sections()))

    def ask_import(self) -> None:
        prompt = TextPrompt(
            "Import a listing file or a folder of them", paths=True, value=str(Path.cwd()) + os.sep
        )

        def answered(answer: str | None) -> None:
            if answer:
                path = Path(answer).expanduser()
                if path.is_dir():
                    files = sorted(p for p in path.iterdir() if p.is_file())
                else:
                    files = [path]
                self.transfers.import_files(files)

        self.screen.app.push_screen(prompt, answered)

    def ask_export(self, kind: str) -> None:
        """Export the selected papers, or else the whole current view."""
        papers = self.papers
        ids = [i for i in papers.ids if i in papers.selected] or list(papers.ids)
        if not ids:
            self.screen.notify("Nothing to export in this view.", severity="warning")
            return
        title, default = EXPORTS[kind]
        remembered = self.app.export_target(kind)
        value = str(remembered or Path.cwd() / default)
        prompt = TextPrompt(f"{title} ({len(ids)} papers)", paths=True, value=value)

        def answered(answer: str | None) -> None:
            if answer:
                target = Path(answer).expanduser()
                self.app.remember_export(kind, target)
                self.transfers.export(kind, ids, target)

        self.screen.app.push_screen(prompt, answered)

    def fetch(self) -> None:
        """`F` and the palette's Fetch: the config's sources, or else ask for them and
        remember the answer in the config file."""
        try:
            plan = plan_from_config(self.app.config)
        except ValueError as error:
            self.screen.notify(str(error), severity="error", markup=False)
            return
        bar = self.screen.query_one(FetchBar)
        if not plan.is_empty:
            bar.start(plan)
            return

        def answered(answer: str | None) -> None:
            if not answer:
                return
            try:
                plan = plan_from_answer(answer)
            except UnknownCategory as error:
                self.screen.notify(str(error), severity="error", markup=False)
                return
            if not plan.is_empty:
                self.app.remember_fetch(plan.settings())
                bar.start(plan)

        self.screen.app.push_screen(TextPrompt(QUESTION, placeholder="cs.CL cs.AI hf"), answered)

    def show_view(self, status: str | None) -> None:
        self.shelf.view = self.shelf.view.showing(status)

    def palette_commands(self) -> list[Command]:
        app = self.app
        commands = [
            Command("Import file…", "Import a listing file or folder", self.ask_import),
        ]
        for status in VIEW_ORDER:
            commands.append(
                Command(
                    f"View: {VIEW_NAMES[status]}",
                    "Show this view",
                    partial(self.show_view, status),
                )
            )
        commands.append(Command("Filter by tag…", "Only papers with a tag", self.ask_tag_filter))
        commands.append(
            Command(
                "Copy \\cite{key}",
                "Copy the paper's citation as LaTeX cites it",
                partial(self.copy_id, cite=True),
            )
        )
        commands.append(
            Command(
                "Take back the last import", "Delete the papers it added", self.take_back_import
            )
        )
        commands.append(
            Command(
                "Share or unshare the latest note",
                "Let the library's other readers see it (signed), or no longer",
                self.toggle_sharing,
            )
        )
        for kind, (title, _) in EXPORTS.items():
            commands.append(
                Command(
                    f"{title}…",
                    "The selected papers, or else the current view",
                    partial(self.ask_export, kind),
                )
            )
        for binding in MAIN_BINDINGS:
            if binding.action in ("help", "quit", "search", "escape", "focus_detail"):
                continue
            commands.append(
                Command(
                    binding.tooltip or binding.description,
                    f"key: {app.key_display(binding)}",
                    partial(self.screen.run_action, binding.action),
                )
            )
        return commands


def _applied(change: ShareChange, reader_id: int, session) -> ShareChange:
    change.apply(session, reader_id=reader_id, undo=False)
    return change
