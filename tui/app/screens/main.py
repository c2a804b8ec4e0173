"""The main screen: view tabs, search line, paper list and detail pane.

The view (status, tag, search) is one reactive value bound to the tabs; changing it
loads the view in an exclusive worker that posts `ViewLoaded`. Every change goes to
the app's one writer, which answers with `WriteDone`/`WriteFailed`.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static, Tabs, TextArea
from textual.worker import Worker, get_current_worker

from models.search import search_ids, typo_readings, warm_up
from models.search.query import QueryError
from models.search.watches import WatchCount, list_watches
from models.shelf.papers import PaperView, count_by_status, paper_views, tag_names
from models.store.library import Library
from tui.app.actions import MainActions
from tui.app.history import History, PapersChange
from tui.app.keys import MAIN_BINDINGS
from tui.app.messages import (
    Imported,
    Notice,
    TagsLoaded,
    ViewFailed,
    ViewLoaded,
    WatchesCounted,
    WriteDone,
    WriteFailed,
)
from tui.app.view import View
from tui.app.widgets import FetchBar, KeyFooter, PaperDetail, PaperList, SearchBar, ViewTabs
from tui.app.widgets.view_tabs import tab_status
from tui.app.writer import LibraryWriter, WriteJob, is_locked
from tui.errors import describe

FIRST_PAGE = 100  # ids shown before the whole view's have arrived
SCREENFUL = 60  # rows fetched with them, so the first paint has text in it
PAINT_FIRST = 0.5  # seconds the view worker waits at most for the first page's paint
DETAIL_DELAY = 0.03  # seconds the cursor rests before the detail pane follows it
EMPTY_LIBRARY = (
    "The library is empty.\n\nFetch today's papers: F (or ctrl+p, then “Fetch”), or on the "
    "command line `papershelf fetch arxiv CATEGORY` (cs.CL, ...) and `papershelf fetch hf`."
    "\n\nImport a listing: ctrl+p, then “Import file…”, or on the "
    "command line `papershelf import FILE` (arXiv listings, Hugging Face pages, .bib, "
    "arXiv Atom, backups)."
)
MAIN_ACTIONS = {binding.action.split("(")[0] for binding in MAIN_BINDINGS}


class MainScreen(Screen[None]):
    """Triage, read, tag, rate and take notes at keyboard speed."""

    BINDINGS: ClassVar[list[BindingType]] = [*MAIN_BINDINGS]
    # Below 100 columns the paper goes under the list (app.tcss: MainScreen.-narrow).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    view: reactive[View] = reactive(View, init=False)
    counts: reactive[dict[str, int]] = reactive(dict, init=False)
    watches: reactive[list[WatchCount]] = reactive(list, init=False)

    def __init__(self, library: Library, writer: LibraryWriter) -> None:
        super().__init__()
        self.library = library
        self.writer = writer
        self.history = History()
        self.actions = MainActions(self, self)
        self._detail_timer: Timer | None = None
        self._search_warm = False
        self._changed_meanwhile = False  # the library changed elsewhere while the view loaded

    # --- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield ViewTabs(id="views").data_bind(
                MainScreen.view, MainScreen.counts, MainScreen.watches
            )
            yield Static("", id="view-info")
        yield SearchBar(id="search", return_focus="#papers")
        with Horizontal(id="main"):
            yield PaperList(self.library, id="papers")
            with Vertical(id="side"):
                yield PaperDetail(id="detail")
        yield FetchBar(self.library, self.writer, id="fetch")
        yield KeyFooter()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.set_focus(self.paper_list)
        self.watch(self.paper_list, "selection_size", self._show_info, init=False)
        self.load_view()
        self._count_watches()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The list's keys are off while the focus is in a text field (they are text)."""
        return not (action in MAIN_ACTIONS and isinstance(self.focused, Input | TextArea))

    # --- the view -------------------------------------------------------------

    def watch_view(self, old: View, new: View) -> None:
        moved = (old.status, old.tag, old.watch) != (new.status, new.tag, new.watch)
        if moved or old.searching != new.searching:
            self.paper_list.cursor = 0
            self.paper_list.clear_selection()
        elif old.text != new.text:
            self.paper_list.cursor = 0  # a new search starts at its best match
        self.load_view()

    def load_view(self, keep: int | None = None) -> None:
        """Fetch the view's ids and the counts in a worker; `keep` the cursor on a paper."""
        self._fetch_view(self.view, keep)

    def reload_changed(self) -> None:
        """The library changed elsewhere: reload, once a load on its way is in. A burst of
        changes (or the watcher's catch-up as the app starts) is one reload after it,
        never loads competing with each other and with the first paint."""
        if self._view_in_flight():
            self._changed_meanwhile = True
            return
        self.reload()

    def _view_in_flight(self) -> bool:
        return any(
            worker.group == "view" and worker.node is self and not worker.is_finished
            for worker in self.workers
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A view load ended (its last message is in, or it failed): reload now if the
        library changed meanwhile."""
        if event.worker.group != "view" or not event.worker.is_finished:
            return
        if self._changed_meanwhile and not self._view_in_flight():
            self._changed_meanwhile = False
            self.reload()

    def reload(self, paper_ids: list[int] | None = None, *, keep: int | None = None) -> None:
        """Fetch changed rows (None: every row) again, and the view's ids and counts; the
        cursor stays on its paper (or goes to `keep`)."""
        papers = self.paper_list
        papers.forget(papers.ids if paper_ids is None else paper_ids)
        self.load_view(keep=keep if keep is not None else papers.current_id)
        self._count_watches()

    @work(thread=True, exclusive=True, group="watches", exit_on_error=False)
    def _count_watches(self) -> None:
        """The watches' counts for their tabs, apart from the view so its first paint never
        waits for them."""
        with self.library.read() as session:
            watches = list_watches(session, reader_id=self.library.reader_id)
        self.post_message(WatchesCounted(watches))

    @on(WatchesCounted)
    def _watches_counted(self, message: WatchesCounted) -> None:
        self.watches = message.watches
        self.paper_list.show_watch_marks(bool(message.watches))

    @work(thread=True, exclusive=True, group="view", exit_on_error=False)
    def _fetch_view(self, view: View, keep: int | None) -> None:
        try:
            query = view.query()
        except QueryError as error:
            self.post_message(ViewFailed(view, error))
            return
        reader_id = self.library.reader_id
        worker = get_current_worker()
        with self.library.read() as session:
            readings = typo_readings(session, query) if view.searching else []
            first = search_ids(session, reader_id=reader_id, query=query, limit=FIRST_PAGE)
            if len(first) == FIRST_PAGE and keep is None:  # the first screenful at once
                rows = paper_views(session, reader_id=reader_id, ids=first[:SCREENFUL])
                painted = threading.Event()
                message = ViewLoaded(
                    view, first, None, len(first), None, False, readings, rows, painted
                )
                self.post_message(message)
                painted.wait(PAINT_FIRST)  # the UI thread paints before the long reads
            counts = count_by_status(session, reader_id=reader_id)
            if len(first) < FIRST_PAGE:
                self.post_message(ViewLoaded(view, first, counts, len(first), keep, True, readings))
                return
            ids = search_ids(session, reader_id=reader_id, query=query, limit=None)
        if not worker.is_cancelled:
            self.post_message(ViewLoaded(view, ids, counts, len(ids), keep, True, readings))

    @on(ViewLoaded)
    def _view_loaded(self, message: ViewLoaded) -> None:
        if message.view != self.view:
            if message.painted is not None:
                message.painted.set()
            return  # a newer view is on its way
        if message.counts is not None:
            self.counts = message.counts
        papers = self.paper_list
        if message.rows:
            papers.update_rows(message.rows)
        papers.set_ids(message.ids, keep=message.keep)
        if message.painted is not None:
            self.call_after_refresh(message.painted.set)
        if self.view.searching:
            self.search_bar.show_status(message.total, message.readings, complete=message.complete)
        self._show_info()
        if not message.ids:
            empty = message.complete and not any(self.counts.values())
            self.detail.show(None)
            if empty:
                self.detail.show_text(Text(EMPTY_LIBRARY))

    @on(ViewFailed)
    def _view_failed(self, message: ViewFailed) -> None:
        if message.view == self.view:
            self.search_bar.show_error(message.error)

    def _show_info(self) -> None:
        parts = []
        if self.view.tag:
            parts.append(f"#{self.view.tag}")
        selected = self.paper_list.selection_size
        if selected:
            parts.append(f"{selected} selected · esc clears")
        self.query_one("#view-info", Static).update(Text("  ".join(parts), style="bold"))

    @on(Tabs.TabActivated)
    def _tab_chosen(self, event: Tabs.TabActivated) -> None:
        watch = self.query_one(ViewTabs).watch_for(event.tab.id)
        if watch is not None:
            if self.view.searching:
                self.search_bar.action_close()
            if self.view.watch != watch.name or self.view.searching:
                self.view = self.view.watching(watch.name, watch.query)
            return
        status = tab_status(event.tab.id)
        if self.view.searching and status is None:
            return  # the tabs show All while a search looks through the whole library
        if self.view.searching:
            self.search_bar.action_close()
        if status != self.view.status or self.view.searching or self.view.watch:
            self.view = self.view.showing(status)

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

    def _show_detail(self, paper: PaperView | None, paper_id: int | None) -> None:
        if paper is None and paper_id is None and not any(self.counts.values()):
            return  # the empty library's explanation stays
        self.detail.show(paper, loading=paper_id is not None)

    # --- search -----------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.open()
        if not self._search_warm:
            self._search_warm = True
            self._warm_up_search()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up_search(self) -> None:
        """Load the search vocabulary while the first words are typed (not at start, where
        it would hold up the first paint)."""
        with self.library.read() as session:
            warm_up(session)

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self.view = replace(self.view, text=event.query)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.view = replace(self.view, text="")

    # --- writes -----------------------------------------------------------------

    def write(self, description: str, change) -> None:
        self.writer.submit(WriteJob(description, change, reply_to=self))

    @on(WriteDone)
    def _written(self, message: WriteDone) -> None:
        self.actions.written(message.result)

    @on(WriteFailed)
    def _not_written(self, message: WriteFailed) -> None:
        if message.retrying or is_locked(message.error):
            line = "not saved: the library is locked by another program; retrying"
        else:
            line = f"not saved: {describe(message.error, self.library)}"
        severity: SeverityLevel = "warning" if message.retrying else "error"
        self.notify(f"{message.job.description}: {line}", severity=severity, markup=False)
        if not message.retrying:
            self.reload()

    @on(Imported)
    def _imported(self, message: Imported) -> None:
        papers = PapersChange(message.description, message.paper_ids, deletes=False)
        self.history.record(papers)

    @on(Notice)
    def _notice(self, message: Notice) -> None:
        if message.title == "copy":
            self.app.copy_to_clipboard(message.text)
            self.notify(f"Copied {message.text}", markup=False, severity=message.severity)
        else:
            self.notify(message.text, title=message.title, severity=message.severity, markup=False)
        if message.reload:
            self.reload()

    @work(thread=True, group="tags", exit_on_error=False)
    def load_tags(self, prompt: Screen) -> None:
        """The reader's tags, for the completion of `prompt`."""
        with self.library.read() as session:
            names = tag_names(session, reader_id=self.library.reader_id)
        prompt.post_message(TagsLoaded(names))

    # --- the keys ---------------------------------------------------------------

    def action_set_status(self, status: str) -> None:
        self.actions.set_status(status)

    def action_rate(self, rating: int) -> None:
        self.actions.rate(rating)

    def action_add_tag(self) -> None:
        self.actions.ask_tag(add=True)

    def action_remove_tag(self) -> None:
        self.actions.ask_tag(add=False)

    def action_filter_tag(self) -> None:
        self.actions.ask_tag_filter()

    def action_new_note(self) -> None:
        self.actions.open_note(latest=False)

    def action_edit_note(self) -> None:
        self.actions.open_note(latest=True)

    def action_external_note(self) -> None:
        self.actions.external_note()

    def action_open_paper(self) -> None:
        self.actions.open_paper()

    def action_copy_id(self) -> None:
        self.actions.copy_id()

    def action_delete(self) -> None:
        self.actions.delete()

    def action_undo(self) -> None:
        self.actions.replay(undo=True)

    def action_redo(self) -> None:
        self.actions.replay(undo=False)

    def action_cycle_view(self, steps: int) -> None:
        if self.view.searching:
            self.search_bar.action_close()
        self.view = self.query_one(ViewTabs).stepped(self.view, steps)

    def action_focus_detail(self) -> None:
        if self.focused is self.paper_list:
            self.set_focus(self.detail)

    def action_escape(self) -> None:
        if self.paper_list.selected:
            self.paper_list.clear_selection()
        self.set_focus(self.paper_list)

    def action_reload(self) -> None:
        self.reload()

    def action_fetch(self) -> None:
        self.actions.fetch()

    def action_help(self) -> None:
        self.actions.help()

    async def action_quit(self) -> None:
        await self.app.action_quit()

    def palette_commands(self):
        return self.actions.palette_commands()
