"""The search pane: filters the list as you type, with an inline hint for a bad query."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static


class SearchBar(Vertical):
    """`/` opens it; every keystroke searches; `escape` clears and closes it."""

    DEFAULT_CSS = """
    SearchBar { height: auto; display: none; }
    SearchBar.-open { display: block; }
    SearchBar > Input { border: tall $accent; }
    SearchBar > #search-hint { height: auto; color: $error; padding: 0 2; display: none; }
    SearchBar > #search-hint.-shown { display: block; }
    """
    BINDINGS = [Binding("escape", "close", "Clear search")]

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder='search: words, "a phrase", status:to-read tag:rl rating:>=4 …',
            id="search-input",
        )
        yield Static("", id="search-hint")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()
        # Again after this frame: a screen closing now (the palette) restores its focus.
        self.call_after_refresh(self.input.focus)

    def action_close(self) -> None:
        self.input.value = ""
        self.show_hint(None)
        self.remove_class("-open")
        self.post_message(self.Closed())

    def show_hint(self, message: str | None, start: int = 0, end: int = 0) -> None:
        """Point at the bad part of the query, or hide the hint."""
        hint = self.query_one("#search-hint", Static)
        if message is None:
            hint.remove_class("-shown")
            return
        query = self.input.value
        text = Text()
        text.append(f"{message}\n")
        text.append(query, "dim")
        text.append("\n" + " " * start + "^" * max(1, end - start), "bold")
        hint.update(text)
        hint.add_class("-shown")

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.app.action_focus_next()
