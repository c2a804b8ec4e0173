"""The view bar: Inbox, To read, Reading, Read, Skipped and All with live counts."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from tui.display import VIEW_NAMES

VIEW_ORDER: list[str | None] = ["new", "to-read", "reading", "read", "skipped", None]


class ViewBar(Static):
    """Which view the list shows; click a view, or use `[` and `]`, to change it."""

    DEFAULT_CSS = """
    ViewBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    class ViewChosen(Message):
        def __init__(self, status: str | None) -> None:
            super().__init__()
            self.status = status

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.status: str | None = "new"
        self.tag: str | None = None
        self.query_text = ""
        self.counts: dict[str, int] = {}
        self._spans: list[tuple[int, int, str | None]] = []

    def show(
        self,
        *,
        status: str | None,
        tag: str | None,
        query: str,
        counts: dict[str, int] | None = None,
        shown: int | None = None,
    ) -> None:
        self.status, self.tag, self.query_text = status, tag, query
        if counts is not None:
            self.counts = counts
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for view in VIEW_ORDER:
            count = sum(self.counts.values()) if view is None else self.counts.get(view, 0)
            label = f" {VIEW_NAMES[view]} {count} "
            start = len(text)
            style = "bold reverse" if view == status else ""
            text.append(label, style)
            self._spans.append((start, len(text), view))
            text.append(" ")
        if tag:
            text.append(f"  tag: #{tag}", "bold")
        if query:
            text.append(f"  search: {query}", "italic")
        if shown is not None and (tag or query):
            text.append(f"  ({shown} shown)", "dim")
        self.update(text)

    def on_click(self, event: events.Click) -> None:
        x = event.x - 1  # padding
        for start, end, view in self._spans:
            if start <= x < end:
                self.post_message(self.ViewChosen(view))
                return
