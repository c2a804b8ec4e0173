"""The help screen: every key binding of the app, read from the bindings themselves."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from models.search.query import QUERY_HELP

SEARCH_HELP = "Search (/) filters the list as you type:\n" + QUERY_HELP


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the app and of its panes."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; height: 90%; background: $panel; border: thick $accent; padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("papershelf keys", style="bold"))
            for title, bindings in self.sections:
                text = Text()
                text.append(f"{title}\n", "bold underline")
                for binding in bindings:
                    keys = " ".join(_key_name(key) for key in binding.key.split(","))
                    text.append(f"  {keys:<16}", "bold")
                    text.append(f"{binding.tooltip or binding.description}\n")
                yield Static(text)
            yield Static(Text(SEARCH_HELP))
            yield Static(Text("Every action is also in the command palette (ctrl+p).", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)


def _key_name(key: str) -> str:
    names = {
        "question_mark": "?", "plus": "+", "minus": "-", "left_square_bracket": "[",
        "right_square_bracket": "]", "number_sign": "#", "slash": "/",
    }  # fmt: skip
    return names.get(key, key)
