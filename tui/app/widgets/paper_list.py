"""The paper list: renders only the visible rows, fetching them from the database as they
scroll into view (a `ScrollView` over a list of ids, as toolong's log lines do)."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Iterable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from models.shelf.papers import UNTITLED, PaperView, paper_views, published_year
from models.store.library import Library
from tui.display import glyph, stars

CACHE_SIZE = 4000  # rows kept; a screen shows ~50
PAGE = 200  # rows fetched at once around what is visible
TAGS_WIDTH = 24


class PaperList(ScrollView, can_focus=True):
    """Papers of the current view, one line each; the cursor row shows in the detail pane."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("space", "toggle_selection", "Select", tooltip="Select several papers"),
    ]
    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--selected",
        "paper-list--dim",
        "paper-list--tags",
        "paper-list--rating",
    }
    DEFAULT_CSS = """
    PaperList { background: $surface; }
    PaperList > .paper-list--cursor { background: $accent 40%; }
    PaperList:focus > .paper-list--cursor { background: $accent; color: $text; }
    PaperList > .paper-list--selected { color: $warning; text-style: bold; }
    PaperList > .paper-list--dim { color: $text-muted; }
    PaperList > .paper-list--tags { color: $secondary; }
    PaperList > .paper-list--rating { color: $warning; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

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
        self._rows: OrderedDict[int, PaperView] = OrderedDict()
        self._wanted: set[int] = set()  # indexes into `ids` whose rows are missing
        self._loading: set[int] = set()  # paper ids being fetched
        self._stale: set[int] = set()  # rows shown but to be fetched again
        self._strips: dict[tuple, Strip] = {}  # rendered rows: a repaint reuses them

    # --- data -----------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def current(self) -> PaperView | None:
        paper_id = self.current_id
        return self._rows.get(paper_id) if paper_id is not None else None

    def set_ids(self, ids: list[int], *, keep: int | None = None) -> None:
        """Show these papers; keep the cursor on `keep` if it is among them, else in place."""
        self.ids = ids
        self._wanted.clear()
        self.selected &= set(ids)
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

    def update_rows(self, views: list[PaperView]) -> None:
        for view in views:
            self._rows[view.id] = view
            self._rows.move_to_end(view.id)
            self._loading.discard(view.id)
            self._stale.discard(view.id)
        while len(self._rows) > CACHE_SIZE:
            self._rows.popitem(last=False)
        self._strips.clear()
        self.refresh()
        if self.current_id in {view.id for view in views}:
            self.post_message(self.CursorMoved(self.current, self.current_id))

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
        wanted = [self.ids[i] for i in indexes]
        wanted = [
            i
            for i in wanted
            if (i not in self._rows or i in self._stale) and i not in self._loading
        ]
        if wanted:
            self._loading.update(wanted)
            self._load_rows(wanted)

    @work(thread=True, group="rows", exit_on_error=False)
    def _load_rows(self, ids: list[int]) -> None:
        with self.library.read() as session:
            views = paper_views(session, reader_id=self.library.reader_id, ids=ids)
        self.app.call_from_thread(self.update_rows, views)

    # --- cursor ---------------------------------------------------------------

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
        self.refresh_line(self.cursor - self.scroll_offset.y)
        self.action_cursor_down()

    def clear_selection(self) -> None:
        self.selected.clear()
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.ids):
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids))

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
        key = (
            paper_id,
            view is None,
            index == self.cursor,
            paper_id in self.selected,
            width,
            self.has_focus,
        )
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 2 * CACHE_SIZE:
                self._strips.clear()
            text = self._row_text(view, paper_id, width)
            style = base
            if index == self.cursor:
                style = base + self.get_component_rich_style("paper-list--cursor")
            text.stylize_before(style)
            strip = Strip(text.render(self.app.console), cell_len(text.plain))
            strip = self._strips[key] = strip.crop_extend(0, width, style)
        return strip

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _row_text(self, view: PaperView | None, paper_id: int, width: int) -> Text:
        dim = self.get_component_rich_style("paper-list--dim")
        marker = "▌" if paper_id in self.selected else " "
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(marker, self.get_component_rich_style("paper-list--selected"))
        if view is None:
            text.append("  …", dim)
            return text
        text.append(f"{glyph(view.status)} ")
        text.append(
            f"{stars(view.rating):<5} ", self.get_component_rich_style("paper-list--rating")
        )
        tags = " ".join(f"#{tag}" for tag in view.tags)
        if len(tags) > TAGS_WIDTH:
            tags = tags[: TAGS_WIDTH - 1] + "…"
        year = published_year(view.paper.published)
        room = max(8, width - cell_len(text.plain) - 6 - (len(tags) + 1 if tags else 0))
        title = view.display_title
        if cell_len(title) > room:
            title = _truncate(title, room)
        if title.startswith(UNTITLED):
            text.append(UNTITLED, dim + Style(italic=True))
            text.append(title[len(UNTITLED) :])
        else:
            text.append(title)
        text.append(" " * (room - cell_len(title) + 1))
        text.append(f"{year:>4} ", dim)
        if tags:
            text.append(tags, self.get_component_rich_style("paper-list--tags"))
        if paper_id in self.selected:
            text.stylize(self.get_component_rich_style("paper-list--selected"))
        return text


def _truncate(text: str, width: int) -> str:
    """Cut to `width` cells with an ellipsis."""
    out = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"
