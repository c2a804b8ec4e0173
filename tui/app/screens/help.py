"""The help screen: every key of the app with its action id (for `[keys]` in the config
file), read from the bindings themselves, and the list's legend."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from models.search.query import QUERY_HELP
from tui.display import GLYPHS

SEARCH_HELP = "Search (/) looks through the whole library as you type:\n" + QUERY_HELP
LEGEND = {
    "new": "new (Inbox)",
    "to-read": "to read",
    "reading": "reading",
    "read": "read (dimmed)",
    "skipped": "skipped (dimmed)",
}


def key_rows(app: App, bindings: list[Binding]) -> list[tuple[str, str, str]]:
    """(keys, what they do, action id) for each binding, keys as the app shows them."""
    rows = []
    for binding in bindings:
        display = getattr(app, "key_display", None)
        keys = display(binding) if display else app.get_key_display(binding)
        rows.append((keys, binding.tooltip or binding.description, binding.id or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the bindings of the app and of its panes."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 96; max-width: 100%; height: 90%; background: $panel; border: thick $accent;
        padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help", id="close_help")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("papershelf keys (remap them by id in config.toml [keys])", "bold"))
            for title, bindings in self.sections:
                table = Table(title=title, title_justify="left", box=None, expand=True)
                table.add_column("keys", style="bold", no_wrap=True)
                table.add_column("does")
                table.add_column("id", style="dim", no_wrap=True)
                for keys, does, action_id in key_rows(self.app, bindings):
                    table.add_row(Text(keys), Text(does), Text(action_id))
                yield Static(table)
            legend = Text("\nThe list: ", "bold")
            for status, meaning in LEGEND.items():
                legend.append(f"{GLYPHS[status]} {meaning}   ", "")
            legend.append("\n✎ has notes   ▌ selected (a selects all, esc clears)\n")
            yield Static(legend)
            yield Static(Text(SEARCH_HELP))
            yield Static(Text("Every action is also in the command palette (ctrl+p).", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)
