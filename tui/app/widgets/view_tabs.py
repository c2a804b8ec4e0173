"""The view tabs: Inbox, To read, Reading, Read, Skipped and All with live counts, then
one tab per watch (a saved search) with how many of its papers are still in the Inbox."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Tab, Tabs

from models.search.watches import WatchCount
from tui.app.view import VIEW_ORDER, View
from tui.app.widgets.paper_rows import WATCH_MARK
from tui.display import VIEW_NAMES


def tab_id(status: str | None) -> str:
    return f"view-{status or 'all'}"


def tab_status(identifier: str | None) -> str | None:
    name = (identifier or "").removeprefix("view-")
    return None if name == "all" else name


def watch_label(watch: WatchCount) -> Content:
    """`⚑moe 3`: plain text, since a watch's name is the reader's own typing."""
    return Content(f"{WATCH_MARK}{watch.name} {watch.new}")


class ViewTabs(Tabs, can_focus=False):
    """Which view the list shows; bound to the screen's `view`, `counts` and `watches`. A
    click on a tab (or `[` `]`) changes the view; the list keeps the focus."""

    DEFAULT_CSS = """
    ViewTabs { height: 2; width: 1fr; }
    ViewTabs Tab { padding: 0 1; }
    """

    view: reactive[View] = reactive(View, init=False)
    counts: reactive[dict[str, int]] = reactive(dict, init=False)
    watches: reactive[list[WatchCount]] = reactive(list, init=False)

    def __init__(self, **kwargs) -> None:
        tabs = [Tab(VIEW_NAMES[status], id=tab_id(status)) for status in VIEW_ORDER]
        super().__init__(*tabs, active=tab_id("new"), **kwargs)
        self._watch_tabs: dict[str, WatchCount] = {}  # tab id: its watch

    def watch_for(self, identifier: str | None) -> WatchCount | None:
        """The watch whose tab this is (None: a status tab)."""
        return self._watch_tabs.get(identifier or "")

    def stepped(self, view: View, steps: int) -> View:
        """The view of the tab `steps` along from `view`'s (wrapping, watches included)."""
        order = [tab_id(status) for status in VIEW_ORDER] + list(self._watch_tabs)
        current = tab_id(view.status)
        for identifier, watch in self._watch_tabs.items():
            if watch.name == view.watch:
                current = identifier
        identifier = order[(order.index(current) + steps) % len(order)]
        landed = self._watch_tabs.get(identifier)
        if landed is not None:
            return view.watching(landed.name, landed.query)
        return view.showing(tab_status(identifier))

    def watch_view(self, view: View) -> None:
        if view.watch is not None and not view.searching:
            for identifier, watch in self._watch_tabs.items():
                if watch.name == view.watch:
                    self.active = identifier
            return
        self.active = tab_id(None if view.searching else view.status)

    def watch_counts(self, counts: dict[str, int]) -> None:
        for status in VIEW_ORDER:
            count = sum(counts.values()) if status is None else counts.get(status, 0)
            self.query_one(f"#{tab_id(status)}", Tab).label = f"{VIEW_NAMES[status]} {count}"

    async def watch_watches(self, watches: list[WatchCount]) -> None:
        """Relabel the watches' tabs; when watches came or went, lay them out again."""
        names = [watch.name for watch in watches]
        if names == [watch.name for watch in self._watch_tabs.values()]:
            for identifier, watch in zip(self._watch_tabs, watches, strict=True):
                self._watch_tabs[identifier] = watch
                self.query_one(f"#{identifier}", Tab).label = watch_label(watch)
            return
        for identifier in list(self._watch_tabs):
            await self.remove_tab(identifier)
        self._watch_tabs = {f"watch-{n}": watch for n, watch in enumerate(watches)}
        for identifier, watch in self._watch_tabs.items():
            await self.add_tab(Tab(watch_label(watch), id=identifier))
        self.watch_view(self.view)
