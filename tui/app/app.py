"""The papershelf app: a paper list, a detail pane and a search pane over the library.

Reads run in Textual thread workers; every change goes through the `Writer` queue, so a
key is answered at once and the database catches up behind it. The screen shows what
the database says: after each write the touched rows are fetched again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar
from textual.worker import Worker, WorkerState

from models.ingest.importer import import_bundled_seeds
from models.search import search_ids, warm_up
from models.search.query import QueryError
from models.shelf.papers import PaperFilter, count_by_status, list_ids, paper_views
from models.store.library import Library
from tui.app.actions import NoteActions, StateActions, TransferActions, UndoEntry
from tui.app.screens.help import HelpScreen
from tui.app.widgets import NoteEditor, PaperDetail, PaperList, SearchBar, ViewBar
from tui.app.widgets.view_bar import VIEW_ORDER
from tui.app.writer import Writer
from tui.display import VIEW_NAMES
from tui.errors import describe

SEARCH_LIMIT = 1000  # search results shown in the list, best first
FIRST_PAGE = 100  # rows shown before the whole view's ids have arrived
SCREENFUL = 60  # rows fetched with them, so the first paint has text in it
PAINT_FIRST = 0.1  # seconds the view worker yields after the first page
DETAIL_DELAY = 0.03  # seconds the cursor rests before the detail pane follows it
WATCH_EVERY = 1.0  # seconds between looks at the library file for changes from elsewhere


class PapershelfApp(StateActions, NoteActions, TransferActions, App[None]):
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
        Binding("y", "copy_id", "Copy", show=False, tooltip="Copy the citation key"),
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
        self._search_warm = False

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

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up_search(self) -> None:
        """Load the search vocabulary while the first words are typed (not at start, where
        it would hold up the first paint)."""
        with self.library.read() as session:
            warm_up(session)

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
                        rows = paper_views(session, reader_id=reader_id, ids=first[:SCREENFUL])
                        self.call_from_thread(self.paper_list.update_rows, rows)
                        self.call_from_thread(self._view_loaded, token, first, None, None, None)
                        time.sleep(PAINT_FIRST)  # let the UI thread paint before the long read
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
            DETAIL_DELAY, lambda: self._show_detail(event.paper, event.paper_id)
        )

    def _show_detail(self, paper, paper_id: int | None) -> None:
        for detail in self.query(PaperDetail):  # none while the app is closing
            detail.show(paper, loading=paper_id is not None)

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
        """Pick up changes made from elsewhere (the command line, another app); our own
        writes reload what they touched already."""
        signature = self._signature()
        if signature != self._file_signature:
            self._file_signature = signature
            ours = self.writer and (self.writer.busy or self.writer.wrote_within(WATCH_EVERY))
            if not ours:
                self.action_refresh()

    def on_app_focus(self) -> None:
        if self.watch_library and self.library.location.path:
            self._check_file()

    # --- search -----------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(SearchBar).open()
        if not self._search_warm:
            self._search_warm = True
            self.warm_up_search()

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
        yield SystemCommand(
            "Copy \\cite{key}",
            "For LaTeX: the paper's citation key",
            lambda: self.action_copy_id(True),
        )
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
