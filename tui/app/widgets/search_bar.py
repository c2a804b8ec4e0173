"""The search line: filters the list as you type; says how many match and how typos were
read, or points at the bad part of a malformed query."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from models.search.query import QueryError


class SearchBar(Vertical):
    """`/` opens it; every keystroke searches; `escape` clears and closes it."""

    DEFAULT_CSS = """
    SearchBar { height: auto; display: none; }
    SearchBar.-open { display: block; }
    SearchBar > Input { border: tall $accent; }
    SearchBar > #search-status { height: auto; color: $text-muted; padding: 0 2; }
    SearchBar > #search-status.-error { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "close", "Clear search", priority=True, id="clear_search"),
    ]

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        pass

    class Done(Message):
        """Enter: go to the results, search left open."""

    def __init__(self, *, return_focus: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.return_focus = return_focus  # a selector: where `escape` puts the focus

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder='words, "a phrase", status:to-read tag:rl rating:>=4 …',
            id="search-input",
            select_on_focus=False,
        )
        yield Static("", id="search-status")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        """Open and take the focus now, so the very next key is typed into the field."""
        self.add_class("-open")
        self.screen.set_focus(self.input)

    def action_close(self) -> None:
        # Keys typed before escape are still queued for the field: clear it after them.
        self.remove_class("-open")
        self.screen.set_focus(self.screen.query_one(self.return_focus))
        self.input.call_later(self._clear)
        self.post_message(self.Closed())

    def _clear(self) -> None:
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.show_status(None)

    def show_status(
        self,
        total: int | None,
        readings: list[tuple[str, list[str]]] | None = None,
        *,
        complete: bool = True,
    ) -> None:
        """How many papers match, and which mistyped words were read as what."""
        status = self.query_one("#search-status", Static)
        status.remove_class("-error")
        if total is None:
            status.update("")
            return
        text = Text()
        text.append(f"{total}{'' if complete else '+'} {'match' if total == 1 else 'matches'}")
        for word, corrections in readings or []:
            text.append(f" · {word} → {', '.join(corrections)}", "italic")
        status.update(text)

    def show_error(self, error: QueryError) -> None:
        """Point at the bad part of the query; no count."""
        status = self.query_one("#search-status", Static)
        query = self.input.value
        text = Text()
        text.append(f"{error.message}\n")
        text.append(query, "dim")
        text.append("\n" + " " * error.start + "^" * max(1, error.end - error.start), "bold")
        status.update(text)
        status.add_class("-error")

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.is_open:
            self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.screen.query_one(self.return_focus))
        self.post_message(self.Done())
