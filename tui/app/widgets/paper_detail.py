"""The detail pane: everything about the highlighted paper; listing text as plain text,
the reader's own notes rendered as Markdown."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from models.shelf.papers import PaperView
from tui.display import paper_fields


def detail_text(view: PaperView) -> Text:
    """The paper's own text and facts as one block of styled plain text."""
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
    return text


def detail_renderable(view: PaperView) -> RenderableType:
    """The paper, then its notes, numbered per paper and headed by their created time."""
    parts: list[RenderableType] = [detail_text(view)]
    for number, note in enumerate(view.notes, start=1):
        head = Text(f"\n── Note {number} · {note.created:%Y-%m-%d %H:%M}", "bold cyan")
        if note.updated != note.created:
            head.append(f" (edited {note.updated:%Y-%m-%d %H:%M})", "dim")
        parts.append(head)
        parts.append(Markdown(note.body) if note.body.strip() else Text("(empty)", "dim"))
    return Group(*parts)


class PaperDetail(VerticalScroll, can_focus=True):
    """Shows one paper; `enter` on the list focuses it to scroll."""

    DEFAULT_CSS = """
    PaperDetail { padding: 0 1; background: $surface-darken-1; }
    PaperDetail:focus { background: $surface-darken-2; }
    PaperDetail > Static { width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.paper: PaperView | None = None
        self._plain = "No paper selected."

    def compose(self) -> ComposeResult:
        yield Static(Text(self._plain, style="dim"), id="detail-body")

    @property
    def plain(self) -> str:
        """What the pane says, as plain text (notes as their Markdown source)."""
        return self._plain

    def show(self, view: PaperView | None, *, loading: bool = False) -> None:
        self.paper = view
        body = self.query_one("#detail-body", Static)
        if view is None:
            self._plain = "Loading…" if loading else "No papers in this view."
            body.update(Text(self._plain, style="dim"))
        else:
            notes = [note.body for note in view.notes]
            self._plain = "\n".join([detail_text(view).plain, *notes])
            body.update(detail_renderable(view))
        self.scroll_home(animate=False, immediate=True)
