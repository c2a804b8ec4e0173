"""The help screen: every key of the app with its action id (for `[keys]` in the config
file), read from the bindings themselves, and the list's legend."""

from __future__ import annotations

from dataclasses import replace

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


def binding_keys(app: App, binding: Binding, keymap: dict[str, str] | None = None) -> str:
    """The keys of a binding as the app shows them (`^z`, `+`), a keymap's choice applied."""
    keys = (keymap or {}).get(binding.id or "", binding.key)
    return " ".join(
        app.get_key_display(replace(binding, key=key.strip())) for key in keys.split(",")
    )


def key_rows(app: App, bindings: list[Binding]) -> list[tuple[str, str, str]]:
    """(keys, what they do, action id) for each binding, keys as the app shows them."""
    keymap = getattr(getattr(app, "config", None), "keys", None)
    return [
        (
            binding_keys(app, binding, keymap),
            binding.tooltip or binding.description,
            binding.id or "",
        )
        for binding in bindings
    ]


def help_sections() -> list[tuple[str, list[Binding]]]:
    """The keys of the main screen, the list, the note editor and search, in that order."""
    from tui.app.keys import MAIN_BINDINGS
    from tui.app.screens.note import NoteScreen
    from tui.app.widgets.paper_list import LIST_BINDINGS
    from tui.app.widgets.search_bar import SearchBar

    return [
        ("Papers", list(MAIN_BINDINGS)),
        ("List", list(LIST_BINDINGS)),
        ("Note editor", [b for b in NoteScreen.BINDINGS if isinstance(b, Binding)]),
        ("Search", [b for b in SearchBar.BINDINGS if isinstance(b, Binding)]),
    ]


def markdown_key_table(app: App) -> str:
    """The README's key table: the same bindings the help screen shows."""
    lines = ["| keys | what they do | id |", "| --- | --- | --- |"]
    for title, bindings in help_sections():
        lines.append(f"| **{title}** | | |")
        for keys, does, action_id in key_rows(app, bindings):
            shown = " ".join(f"`{key}`" for key in keys.split(" "))
            lines.append(f"| {shown} | {does} | `{action_id}` |")
    return "\n".join(lines) + "\n"


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
                text = Text()
                text.append(f"\n{title}\n", "bold underline")
                for keys, does, action_id in key_rows(self.app, bindings):
                    text.append(f"  {keys:<14}", "bold")
                    text.append(f"{does:<58}")
                    text.append(f"{action_id}\n", "dim")
                yield Static(text)
            legend = Text("\nThe list: ", "bold")
            for status, meaning in LEGEND.items():
                legend.append(f"{GLYPHS[status]} {meaning}   ", "")
            legend.append("\n✎ has notes   ▌ selected (a selects all, esc clears)\n")
            yield Static(legend)
            yield Static(Text(SEARCH_HELP))
            yield Static(Text("Every action is also in the command palette (ctrl+p).", "dim"))

    def action_close(self) -> None:
        self.dismiss(None)
