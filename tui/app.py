"""The papershelf app: a paper list, a detail pane and a search pane over the library.

Reads run in Textual thread workers; every change goes through the `Writer` queue, so a
key is answered at once and the database catches up behind it. The screen shows what
the database says: after each write the touched rows are fetched again.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar
from textual.worker import Worker, WorkerState

from models.database import Library
from models.export import export_markdown, write_bibtex, write_digest
from models.importer import import_bundled_seeds, import_listing
from models.listings import ListingError
from models.papers import PaperFilter, count_by_status, list_ids, tag_names
from models.reading import (
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
from models.search import QueryError, search_ids
from tui.display import VIEW_NAMES
from tui.errors import describe
from tui.screens.help import HelpScreen
from tui.screens.prompt import TextPrompt
from tui.widgets import NoteEditor, PaperDetail, PaperList, SearchBar, ViewBar
from tui.widgets.view_bar import VIEW_ORDER
from tui.writer import WriteJob, Writer

SEARCH_LIMIT = 1000  # search results shown in the list, best first
FIRST_PAGE = 100  # rows shown before the whole view's ids have arrived
DETAIL_DELAY = 0.03  # seconds the cursor rests before the detail pane follows it
WATCH_EVERY = 1.0  # seconds between looks at the library file for changes from elsewhere


@dataclass
class UndoEntry:
    """What one change did, and how to take it back."""

    description: str
    snapshot: StateSnapshot | None = None
    note: tuple[int, int | None, str | None] | None = None  # paper, note id, text before
    focus: int | None = None


class PapershelfApp(App[None]):
    """Triage, read, tag, rate and take notes at keyboard speed."""

    TITLE = "papershelf"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("t", "set_status('to-read')", "To read", tooltip="Mark to read"),
        Binding("r", "set_status('reading')", "Reading", tooltip="Mark reading"),
        Binding("d", "set_status('read')", "Read", tooltip="Mark read (done)"),
        Binding("x", "set_status('skipped')", "Skip", tooltip="Skip the paper"),
        Binding("u", "set_status('new')", "New", show=False, tooltip="Back to new (inbox)"),
        *(
            Binding(str(n), f"rate({n})", f"Rate {n}", show=False, tooltip=f"Rate {n} of 5")
            for n in range(1, 6)
        ),
        Binding("0", "rate(0)", "Unrate", show=False, tooltip="Clear the rating"),
        Binding("plus", "add_tag", "+Tag", tooltip="Add a tag (with completion)"),
        Binding("minus", "remove_tag", "-Tag", show=False, tooltip="Remove a tag"),
        Binding("n", "new_note", "Note", tooltip="Write a new note"),
        Binding("e", "edit_note", "Edit note", show=False, tooltip="Edit the latest note"),
        Binding("o", "open_paper", "Open", show=False, tooltip="Open the arXiv or DOI page"),
        Binding("y", "copy_id", "Copy", show=False, tooltip="Copy the arXiv id or citation key"),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo the last change of state"),
        Binding("slash", "search", "Search", tooltip="Search as you type"),
        Binding(
            "left_square_bracket",
            "cycle_view(-1)",
            "Prev view",
            show=False,
            tooltip="Previous view (Inbox, To read, Reading, Read, Skipped, All)",
        ),
        Binding(
            "right_square_bracket", "cycle_view(1)", "Next view", show=False, tooltip="Next view"
        ),
        Binding(
            "number_sign",
            "filter_tag",
            "Tag filter",
            show=False,
            tooltip="Show only papers with a tag (empty: all)",
        ),
        Binding("enter", "focus_detail", "Detail", show=False, tooltip="Focus the detail pane"),
        Binding("escape", "focus_list", "List", show=False, tooltip="Back to the list"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, tooltip="Reload from the library"),
        Binding("question_mark", "help", "Help", tooltip="Show every key"),
        Binding("q", "quit", "Quit", tooltip="Quit (notes are already saved)"),
    ]

    def __init__(self, library: Library, *, seed_default: bool = False, watch: bool = True):
        super().__init__()
        self.library = library
        self.seed_default = seed_default
        self.watch_library = watch
        self.status: str | None = "new"
        self.tag: str | None = None
        self.query_text = ""
        self.counts: dict[str, int] = {}
        self.undo_stack: list[UndoEntry] = []
        self.writer: Writer | None = None
        self._file_signature: tuple | None = None
        self._view_token = 0
        self._detail_timer: Timer | None = None

    # --- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ViewBar(id="views")
        yield SearchBar(id="search")
        with Horizontal(id="main"):
            yield PaperList(self.library, id="papers")
            with Vertical(id="side"):
                yield PaperDetail(id="detail")
        yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    def on_mount(self) -> None:
        self.writer = Writer(self.library, self.call_from_thread)
        self.paper_list.focus()
        self.query_one(ViewBar).show(status=self.status, tag=None, query="")
        if self.seed_default and self.library.location.is_default:
            self.seed_library()
        else:
            self.load_view()
        if self.watch_library and self.library.location.path:
            self._file_signature = self._signature()
            self.set_interval(WATCH_EVERY, self._check_file)

    async def on_unmount(self) -> None:
        if self.writer:
            self.writer.wait_idle(timeout=10)
            self.writer.stop()

    async def action_quit(self) -> None:
        for editor in self.query(NoteEditor):
            await editor.flush()
        self.exit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says so: nothing fails silently."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                describe(error, self.library),
                title="Something went wrong",
                severity="error",
                markup=False,
                timeout=10,
            )

    # --- loading --------------------------------------------------------------

    @work(thread=True, group="seed", exit_on_error=False)
    def seed_library(self) -> None:
        summaries = import_bundled_seeds(self.library)
        if summaries:
            new = sum(summary.new for summary in summaries)
            self.call_from_thread(
                self.notify,
                f"New library: imported {new} papers from the bundled demo listings.",
                title="Welcome to papershelf",
            )
        self.call_from_thread(self.load_view)

    def view_query(self) -> str:
        """The search for the current view: its filters and what was typed."""
        terms = []
        if self.status:
            terms.append(f"status:{self.status}")
        if self.tag:
            terms.append(f'tag:"{self.tag}"')
        return " ".join([*terms, self.query_text])

    def load_view(self, keep: int | None = None) -> None:
        """Fetch the ids of the view (and the counts) in a worker, then show them."""
        self._view_token += 1
        where = PaperFilter(status=self.status, tags=(self.tag,) if self.tag else ())
        query = self.view_query() if self.query_text.strip() else None
        self._fetch_view(self._view_token, where, query, keep)

    @work(thread=True, exclusive=True, group="view", exit_on_error=False)
    def _fetch_view(
        self, token: int, where: PaperFilter, query: str | None, keep: int | None
    ) -> None:
        reader_id = self.library.reader_id
        error: QueryError | None = None
        ids: list[int] | None = None
        with self.library.read() as session:
            try:
                if query:
                    ids = search_ids(session, reader_id=reader_id, query=query, limit=SEARCH_LIMIT)
                else:  # the first screenful at once, then the whole view
                    first = list_ids(session, reader_id=reader_id, where=where, limit=FIRST_PAGE)
                    if len(first) == FIRST_PAGE and keep is None:
                        self.call_from_thread(self._view_loaded, token, first, None, None, None)
                    ids = list_ids(session, reader_id=reader_id, where=where)
            except QueryError as failure:
                error = failure
            counts = count_by_status(session, reader_id=reader_id)
        self.call_from_thread(self._view_loaded, token, ids, counts, keep, error)

    def _view_loaded(self, token, ids, counts, keep, error) -> None:
        if token != self._view_token:
            return  # a newer view is on its way
        if counts is not None:
            self.counts = counts
        search = self.query_one(SearchBar)
        if error is not None:
            offset = len(self.view_query()) - len(self.query_text)
            search.show_hint(
                error.message, max(0, error.start - offset), max(0, error.end - offset)
            )
        else:
            search.show_hint(None)
            self.paper_list.set_ids(ids, keep=keep)
        self._show_views()

    def _show_views(self) -> None:
        self.query_one(ViewBar).show(
            status=self.status,
            tag=self.tag,
            query=self.query_text,
            counts=self.counts,
            shown=len(self.paper_list.ids),
        )

    def reload(self, paper_ids: Iterable[int] = (), *, keep: int | None = None) -> None:
        """Fetch changed rows again and the view's ids and counts."""
        self.paper_list.forget(paper_ids)
        self.load_view(keep=keep if keep is not None else self.paper_list.current_id)

    # --- list and detail --------------------------------------------------------

    @on(PaperList.CursorMoved)
    def _cursor_moved(self, event: PaperList.CursorMoved) -> None:
        """Show the paper once the cursor rests: a held key moves the list at full speed and
        repaints the detail pane once, not on every row."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(
            DETAIL_DELAY, lambda: self.detail.show(event.paper, loading=event.paper_id is not None)
        )

    @on(ViewBar.ViewChosen)
    def _view_chosen(self, event: ViewBar.ViewChosen) -> None:
        self.show_view(event.status)

    def show_view(self, status: str | None) -> None:
        self.status = status
        self.paper_list.cursor = 0
        self.paper_list.clear_selection()
        self._show_views()
        self.load_view()

    def action_cycle_view(self, step: int) -> None:
        index = (VIEW_ORDER.index(self.status) + step) % len(VIEW_ORDER)
        self.show_view(VIEW_ORDER[index])

    def action_focus_detail(self) -> None:
        if self.focused is self.paper_list:
            self.detail.focus()

    def action_focus_list(self) -> None:
        self.paper_list.focus()

    def action_refresh(self) -> None:
        self.reload(list(self.paper_list.ids))

    def _signature(self) -> tuple:
        path = self.library.location.path
        parts = []
        for candidate in (path, path.with_name(path.name + "-wal")):
            try:
                stat = os.stat(candidate)
                parts.append((stat.st_mtime_ns, stat.st_size))
            except OSError:
                parts.append(None)
        return tuple(parts)

    def _check_file(self) -> None:
        """Pick up changes made from elsewhere (the command line, another app)."""
        signature = self._signature()
        if signature != self._file_signature:
            self._file_signature = signature
            if not (self.writer and self.writer.busy):
                self.action_refresh()

    def on_app_focus(self) -> None:
        if self.watch_library and self.library.location.path:
            self._check_file()

    # --- search -----------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.query_text = event.query
        self.paper_list.cursor = 0
        self.load_view()

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.query_text = ""
        self.paper_list.focus()
        self.load_view()

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

    @on(NoteEditor.Closed)
    def _editor_closed(self, event: NoteEditor.Closed) -> None:
        if event.before != event.after:
            what = "new note" if event.before is None else "note edit"
            self.undo_stack.append(
                UndoEntry(
                    what, note=(event.paper_id, event.note_id, event.before), focus=event.paper_id
                )
            )
        self.paper_list.focus()
        self.reload([event.paper_id])

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

    # --- links ------------------------------------------------------------------

    def action_open_paper(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        if paper.paper.arxiv_id:
            url = f"https://arxiv.org/abs/{paper.paper.arxiv_id}"
        elif paper.paper.doi:
            url = f"https://doi.org/{paper.paper.doi}"
        else:
            self.notify("This paper has no arXiv id or DOI to open.")
            return
        self.open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def open_in_browser(self, url: str) -> None:
        """Open a graphical browser off the UI thread; without one, copy the link instead
        (a text browser would fight the app for the terminal)."""
        graphical = (
            sys.platform in ("darwin", "win32")
            or os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("BROWSER")
        )
        if graphical and webbrowser.open(url):
            self.call_from_thread(self.notify, f"Opened {url}", markup=False)
            return
        self.call_from_thread(self.copy_to_clipboard, url)
        self.call_from_thread(
            self.notify, f"No browser here; copied {url}", markup=False, severity="warning"
        )

    def action_copy_id(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        text = f"arXiv:{paper.paper.arxiv_id}" if paper.paper.arxiv_id else paper.paper.doi
        if not text:
            self.notify("This paper has no arXiv id or DOI to copy.")
            return
        self.copy_to_clipboard(text)
        self.notify(f"Copied {text}", markup=False)

    # --- import, help, palette ----------------------------------------------------

    @work(group="prompt", exit_on_error=False)
    async def action_import(self) -> None:
        answer = await self.push_screen_wait(
            TextPrompt(
                "Import a listing file or a folder of them",
                paths=True,
                value=str(Path.cwd()) + os.sep,
            )
        )
        if answer:
            path = Path(answer).expanduser()
            files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
            self.import_files(files)

    @work(thread=True, group="import", exit_on_error=False)
    def import_files(self, files: list[Path]) -> None:
        bar = self.query_one(ProgressBar)
        self.call_from_thread(bar.add_class, "-active")
        self.call_from_thread(bar.update, total=len(files), progress=0)
        totals = [0, 0, 0]
        for path in files:
            try:
                summary = import_listing(self.library, path)
                totals = [
                    totals[0] + summary.new,
                    totals[1] + summary.merged,
                    totals[2] + summary.unchanged,
                ]
            except ListingError as error:
                self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            self.call_from_thread(bar.advance, 1)
        self.call_from_thread(bar.remove_class, "-active")
        self.call_from_thread(
            self.notify,
            f"Imported {len(files)} file(s): {totals[0]} new, {totals[1]} merged, "
            f"{totals[2]} unchanged.",
            markup=False,
        )
        self.call_from_thread(self.reload)

    EXPORTS = {
        "markdown": ("Export to Markdown files in folder", "papershelf-notes"),
        "digest": ("Export a Markdown reading digest to file", "papershelf-digest.md"),
        "bibtex": ("Export BibTeX to file", "papershelf.bib"),
    }

    @work(group="prompt", exit_on_error=False)
    async def action_export(self, kind: str) -> None:
        """Export the selected papers, or else the whole current view."""
        papers = self.paper_list
        ids = [i for i in papers.ids if i in papers.selected] or list(papers.ids)
        if not ids:
            self.notify("Nothing to export in this view.", severity="warning")
            return
        title, default = self.EXPORTS[kind]
        answer = await self.push_screen_wait(
            TextPrompt(f"{title} ({len(ids)} papers)", paths=True, value=str(Path.cwd() / default))
        )
        if answer:
            self.export_papers(kind, ids, Path(answer).expanduser())

    @work(thread=True, group="export", exit_on_error=False)
    def export_papers(self, kind: str, ids: list[int], target: Path) -> None:
        writers = {
            "markdown": lambda session, **args: export_markdown(session, **args, directory=target),
            "digest": lambda session, **args: write_digest(session, **args, path=target),
            "bibtex": lambda session, **args: write_bibtex(session, **args, path=target),
        }
        try:
            with self.library.read() as session:
                result = writers[kind](session, reader_id=self.library.reader_id, ids=ids)
        except OSError as error:
            self.call_from_thread(
                self.notify, f"Not exported: {error}", severity="error", markup=False
            )
            return
        self.call_from_thread(self.notify, result.line(), title="Exported", markup=False)

    def action_help(self) -> None:
        sections = [
            ("Papers", list(self.BINDINGS)),
            ("List", list(PaperList.BINDINGS)),
            ("Note editor", list(NoteEditor.BINDINGS)),
            ("Search", list(SearchBar.BINDINGS)),
        ]
        self.push_screen(HelpScreen(sections))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Import file…", "Import a listing file or folder", self.action_import)
        for status in VIEW_ORDER:
            yield SystemCommand(
                f"View: {VIEW_NAMES[status]}", "Show this view", lambda s=status: self.show_view(s)
            )
        yield SystemCommand("Filter by tag…", "Only papers with a tag", self.action_filter_tag)
        for kind, (title, _) in self.EXPORTS.items():
            yield SystemCommand(
                f"{title}…",
                "The selected papers, or else the current view",
                lambda kind=kind: self.run_action(f"export('{kind}')"),
            )
        for binding in self.BINDINGS:
            if binding.action.startswith(
                (
                    "set_status",
                    "rate",
                    "undo",
                    "open",
                    "copy",
                    "add_tag",
                    "remove_tag",
                    "new_note",
                    "edit_note",
                    "refresh",
                    "help",
                )
            ):
                yield SystemCommand(
                    binding.tooltip or binding.description,
                    f"key: {binding.key}",
                    lambda action=binding.action: self.run_action(action),
                )
