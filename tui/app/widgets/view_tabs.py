"""The view tabs: Inbox, To read, Reading, Read, Skipped and All with live counts."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Tab, Tabs

from tui.app.view import VIEW_ORDER, View
from tui.display import VIEW_NAMES


def tab_id(status: str | None) -> str:
    return f"view-{status or 'all'}"


def tab_status(identifier: str | None) -> str | None:
    name = (identifier or "").removeprefix("view-")
    return None if name == "all" else name


class ViewTabs(Tabs, can_focus=False):
    """Which view the list shows; bound to the screen's `view` and `counts`. A click on a
    tab (or `[` `]`) changes the view; the list keeps the focus."""

    DEFAULT_CSS = """
    ViewTabs { height: 2; width: 1fr; }
    ViewTabs Tab { padding: 0 1; }
    """

    view: reactive[View] = reactive(View, init=False)
    counts: reactive[dict[str, int]] = reactive(dict, init=False)

    def __init__(self, **kwargs) -> None:
        tabs = [Tab(VIEW_NAMES[status], id=tab_id(status)) for status in VIEW_ORDER]
        super().__init__(*tabs, active=tab_id("new"), **kwargs)

    def watch_view(self, view: View) -> None:
        self.active = tab_id(None if view.searching else view.status)

    def watch_counts(self, counts: dict[str, int]) -> None:
        for status in VIEW_ORDER:
            count = sum(counts.values()) if status is None else counts.get(status, 0)
            self.query_one(f"#{tab_id(status)}", Tab).label = f"{VIEW_NAMES[status]} {count}"
