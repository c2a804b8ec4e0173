"""The detail pane: everything about the highlighted paper, as plain text (never markup)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from models.shelf.papers import PaperView
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


class PaperDetail(ScrollView, can_focus=True):
    """Shows one paper, wrapped to the pane and drawn line by line: showing another paper
    repaints this pane only, never the layout around it. `enter` on the list focuses it."""

    DEFAULT_CSS = """
    PaperDetail { padding: 0 1; background: $surface-darken-1; overflow-y: scroll; }
    PaperDetail:focus { background: $surface-darken-2; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Text("No paper selected.", style="dim")
        self._lines: list[Text] = []
        self._width = 0

    @property
    def plain(self) -> str:
        """What the pane says, as plain text."""
        return self._text.plain

    def show(self, view: PaperView | None, *, loading: bool = False) -> None:
        if view is None:
            message = "Loading…" if loading else "No papers in this view."
            self._text = Text(message, style="dim")
        else:
            self._text = detail_text(view)
        self._wrap()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            self._lines = []
            return
        self._width = width
        self._lines = list(self._text.wrap(self.app.console, width))
        # A new paper changes only this pane's scroll extent: update it without asking
        # for a layout of the whole screen (what assigning `virtual_size` does).
        size = Size(width, len(self._lines))
        self.set_reactive(PaperDetail.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def on_resize(self) -> None:
        self._wrap()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        line = self._lines[index]
        strip = Strip(line.render(self.app.console), cell_len(line.plain))
        return strip.crop_extend(0, width, style).apply_style(style)
