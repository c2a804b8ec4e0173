"""Print the README's key table from the bindings: `python -m tui.app.keytable`."""

from __future__ import annotations

from textual.app import App

from tui.app.screens.help import markdown_key_table

if __name__ == "__main__":
    print(markdown_key_table(App()), end="")
