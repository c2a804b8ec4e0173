"""The paper list: renders only the visible rows, fetching them from the database as they
scroll into view (a `ScrollView` over a list of ids, as toolong's log lines do)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on, work
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from models.search.watches import watched_in_inbox
from models.shelf.papers import PaperView, paper_views
from models.store.library import Library
from tui.app.keys import key
from tui.app.messages import RowsLoaded, WatchMarks
from tui.app.widgets.paper_rows import RowStyles, row_text
from tui.display import GLYPHS

CACHE_SIZE = 4000  # rows kept; a screen shows ~50
PAGE = 200  # rows fetched at once around what is visible

# Priority: a key is acted on when it arrives, in the order typed, so a key that moves
# the focus (`/`, `n`) takes every later key with it (see MainScreen.check_action).
LIST_BINDINGS = [
    key("j,down", "cursor_down", "Down", "Next paper", id="down"),
    key("k,up", "cursor_up", "Up", "Previous paper", id="up"),
    key("g,home", "first", "First", "First paper", id="first"),
    key("G,end", "last", "Last", "Last paper", id="last"),
    key("pagedown,ctrl+f", "page_down", "Page down", "A screenful down", id="page_down"),
    key("pageup,ctrl+b", "page_up", "Page up", "A screenful up", id="page_up"),
    key("space", "toggle_selection", "Select", "Select or unselect the paper", id="select"),
    key("a", "select_all", "All", "Select every paper of the view", id="select_all"),
]


class PaperList(ScrollView, can_focus=True):
    """Papers of the current view, one line each; the cursor row shows in the detail pane."""

    BINDINGS: ClassVar[list[BindingType]] = [*LIST_BINDINGS]
    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--selected",
        "paper-list--dim",
        "paper-list--tags",
        "paper-list--rating",
        "paper-list--watched",
        *(f"paper-list--{status}" for status in GLYPHS),
    }
    DEFAULT_CSS = """
    PaperList { background: $surface; }
    PaperList > .paper-list--cursor { background: $accent 40%; }
    PaperList:focus > .paper-list--cursor { background: $accent; color: $text; }
    PaperList > .paper-list--selected { color: $warning; text-style: bold; }
    PaperList > .paper-list--dim { color: $text-muted; }
    PaperList > .paper-list--tags { color: $secondary; }
    PaperList > .paper-list--rating { color: $warning; }
    PaperList > .paper-list--watched { color: $secondary; text-style: bold; }
    PaperList > .paper-list--new { color: $primary; }
    PaperList > .paper-list--to-read { color: $warning; }
    PaperList > .paper-list--reading { color: $accent; text-style: bold; }
    PaperList > .paper-list--read { color: $success; }
    PaperList > .paper-list--skipped { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)
    selection_size: reactive[int] = reactive(0)

    class CursorMoved(Message):
        """The highlighted paper changed (None: the view is empty)."""

        def __init__(self, paper: PaperView | None, paper_id: int | None) -> None:
            super().__init__()
            self.paper = paper
            self.paper_id = paper_id

    def __init__(self, library: Library, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.ids: list[int] = []
        self.selected: set[int] = set()
        self._rows: LRUCache[int, PaperView] = LRUCache(CACHE_SIZE)
        self._wanted: set[int] = set()  # indexes into `ids` whose rows are missing
        self._loading: set[int] = set()  # paper ids being fetched
        self._stale: set[int] = set()  # rows shown but to be fetched again
        self._strips: LRUCache[tuple, Strip] = LRUCache(2 * CACHE_SIZE)
        #: Whether the reader has watches: rows then have a column for their mark.
        self.has_watches = False
        self._watched: set[int] = set()  # papers of cached rows that a watch matches

    # --- data -----------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def current(self) -> PaperView | None:
        paper_id = self.current_id
        return self._rows.get(paper_id) if paper_id is not None else None

    def row(self, paper_id: int) -> PaperView | None:
        return self._rows.get(paper_id)

    def targets(self) -> list[int]:
        """The selected papers in list order, else the highlighted one."""
        if self.selected:
            return [paper_id for paper_id in self.ids if paper_id in self.selected]
        return [self.current_id] if self.current_id is not None else []

    def set_ids(self, ids: list[int], *, keep: int | None = None) -> None:
        """Show these papers; keep the cursor on `keep` if it is among them, else in place."""
        self.ids = ids
        self._wanted.clear()
        self.selected &= set(ids)
        self.selection_size = len(self.selected)
        self.virtual_size = Size(self.size.width, len(ids))
        position = self.cursor
        if keep is not None:
            with contextlib.suppress(ValueError):
                position = ids.index(keep)
        self.cursor = max(0, min(position, len(ids) - 1))
        self.refresh()

    def forget(self, paper_ids: Iterable[int]) -> None:
        """Fetch these rows again (after a change); until they come, show what we have,
        so a refresh never blanks the screen."""
        self._stale.update(paper_id for paper_id in paper_ids if paper_id in self._rows)
        self.refresh()

    def show_watch_marks(self, has_watches: bool) -> None:
        """Watches came or went: rows gain (or lose) the column and fetch their marks again."""
        if has_watches != self.has_watches:
            self.has_watches = has_watches
            self._watched.clear()
            self._strips.clear()
            self.forget(self.ids)

    def update_rows(self, views: list[PaperView]) -> None:
        """Show these rows; with watches, their marks follow from a worker of their own, so
        rows never wait for them (a row keeps its old mark until then)."""
        self._watched.difference_update(view.id for view in views if view.status != "new")
        inbox = [view.id for view in views if view.status == "new"]
        if self.has_watches and inbox:
            self._load_marks(inbox)
        for view in views:
            self._rows.discard(view.id)  # `set` keeps a value already cached
            self._rows.set(view.id, view)
            self._loading.discard(view.id)
            self._stale.discard(view.id)
        self._strips.clear()
        self.refresh()
        if self.current_id in {view.id for view in views}:
            self.post_message(self.CursorMoved(self.current, self.current_id))

    @on(RowsLoaded)
    def _rows_loaded(self, message: RowsLoaded) -> None:
        message.stop()
        self.update_rows(message.views)

    @on(WatchMarks)
    def _marks_loaded(self, message: WatchMarks) -> None:
        message.stop()
        self._watched.difference_update(message.asked)
        self._watched.update(message.watched)
        self._strips.clear()
        self.refresh()

    def _want(self, index: int) -> None:
        """Note that the row at `index` is missing; fetch it (and its page) after this frame."""
        if self.ids[index] in self._loading:
            return
        if not self._wanted:
            self.call_after_refresh(self._request_rows)
        self._wanted.add(index)

    def _request_rows(self) -> None:
        """Fetch the wanted rows and a page around them, in a worker."""
        if not self._wanted:
            return
        first = max(0, min(self._wanted) - PAGE // 4)
        last = max(self._wanted) + 1
        indexes = range(first, min(len(self.ids), max(last, first + PAGE)))
        self._wanted.clear()
        wanted = [
            paper_id
            for paper_id in (self.ids[i] for i in indexes)
            if (paper_id not in self._rows or paper_id in self._stale)
            and paper_id not in self._loading
        ]
        if wanted:
            self._loading.update(wanted)
            self._load_rows(wanted)

    @work(thread=True, group="rows", exit_on_error=False)
    def _load_rows(self, ids: list[int]) -> None:
        with self.library.read() as session:
            views = paper_views(session, reader_id=self.library.reader_id, ids=ids)
        self.post_message(RowsLoaded(views))

    @work(thread=True, group="marks", exit_on_error=False)
    def _load_marks(self, ids: list[int]) -> None:
        """Which of these Inbox rows a watch matches: one search per watch, this page only."""
        with self.library.read() as session:
            watched = watched_in_inbox(session, reader_id=self.library.reader_id, paper_ids=ids)
        self.post_message(WatchMarks(ids, watched))

    # --- cursor and selection -------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old - self.scroll_offset.y)
        self.refresh_line(new - self.scroll_offset.y)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True, immediate=True)
        paper_id = self.current_id
        if paper_id is not None and paper_id not in self._rows:
            self._want(new)
        self.post_message(self.CursorMoved(self.current, paper_id))

    def action_cursor_down(self) -> None:
        if self.cursor < len(self.ids) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self.ids) - 1)

    def action_page_down(self) -> None:
        self.cursor = min(len(self.ids) - 1, self.cursor + max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - max(1, self.size.height - 1))

    def action_toggle_selection(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            return
        self.selected ^= {paper_id}
        self.selection_size = len(self.selected)
        self.refresh_line(self.cursor - self.scroll_offset.y)
        self.action_cursor_down()

    def action_select_all(self) -> None:
        self.selected = set(self.ids)
        self.selection_size = len(self.selected)
        self.refresh()

    def clear_selection(self) -> None:
        self.selected.clear()
        self.selection_size = 0
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.ids):
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- rendering ------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.ids):
            return Strip.blank(width, base)
        paper_id = self.ids[index]
        view = self._rows.get(paper_id)
        if view is None or paper_id in self._stale:
            self._want(index)
        selected = paper_id in self.selected
        watched = paper_id in self._watched if self.has_watches else None
        focus = self.has_focus
        key = (paper_id, view is None, index == self.cursor, selected, width, focus, watched)
        strip = self._strips.get(key)
        if strip is None:
            styles = self._styles()
            text = row_text(view, selected=selected, width=width, styles=styles, watched=watched)
            style = base
            if index == self.cursor:
                style = base + self.get_component_rich_style("paper-list--cursor")
            text.stylize_before(style)
            strip = Strip(text.render(self.app.console), cell_len(text.plain))
            strip = strip.crop_extend(0, width, style)
            self._strips.set(key, strip)
        return strip

    def _styles(self) -> RowStyles:
        style = self.get_component_rich_style
        return RowStyles(
            status={status: style(f"paper-list--{status}") for status in GLYPHS},
            selected=style("paper-list--selected"),
            dim=style("paper-list--dim"),
            tags=style("paper-list--tags"),
            rating=style("paper-list--rating"),
            watched=style("paper-list--watched"),
        )

    def styles_changed(self) -> None:
        """The theme changed: every row is drawn again in its colours."""
        self._strips.clear()
        self.refresh()
