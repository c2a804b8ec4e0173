"""The detail pane: everything about the highlighted paper, as plain text (never markup)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from models.papers import PaperView
from tui.display import paper_fields


def detail_text(view: PaperView) -> Text:
    """The paper as one block of styled plain text."""
    paper = view.paper
    text = Text()
    if paper.title:
        text.append(paper.title, "bold")
    else:
        text.append("(untitled) ", "italic dim")
        text.append(view.display_title.removeprefix("(untitled) "), "bold")
    text.append("\n\n")
    for name, value in paper_fields(view):
        text.append(f"{name:>8}  ", "dim")
        text.append(f"{value}\n")
    if paper.abstract:
        text.append("\n")
        text.append(paper.abstract)
        text.append("\n")
    for note in view.notes:
        text.append(f"\n── Note {note.id} · {note.created:%Y-%m-%d %H:%M}", "bold cyan")
        if note.updated != note.created:
            text.append(f" (edited {note.updated:%Y-%m-%d %H:%M})", "dim")
        text.append("\n")
        text.append(note.body or "(empty)")
        text.append("\n")
    return text


class PaperDetail(VerticalScroll, can_focus=True):
    """Shows one paper; `enter` on the list focuses it for scrolling."""

    DEFAULT_CSS = """
    PaperDetail { padding: 0 1; background: $surface-darken-1; }
    PaperDetail:focus { background: $surface-darken-2; }
    PaperDetail > Static { width: 1fr; }
    """

    def compose(self):
        yield Static(Text("No paper selected.", style="dim"), id="detail-body")

    def show(self, view: PaperView | None, *, loading: bool = False) -> None:
        body = self.query_one("#detail-body", Static)
        if view is None:
            message = "Loading…" if loading else "No papers in this view."
            body.update(Text(message, style="dim"))
            return
        body.update(detail_text(view))
        self.scroll_home(animate=False)
