"""The detail pane: everything about the highlighted paper; listing text as plain text,
the reader's own notes rendered as Markdown."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

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
        if note.shared:
            head.append(" · shared with the lab", "magenta")
        parts.append(head)
        parts.append(Markdown(note.body) if note.body.strip() else Text("(empty)", "dim"))
    for shared in view.shared_notes:  # other readers' notes they chose to share
        parts.append(
            Text(f"\n── {shared.author}'s note · {shared.created:%Y-%m-%d %H:%M}", "bold magenta")
        )
        parts.append(Markdown(shared.body) if shared.body.strip() else Text("(empty)", "dim"))
    return Group(*parts)


class PaperDetail(ScrollView, can_focus=True):
    """Shows one paper, drawn line by line from lines rendered once per paper and width;
    `enter` on the list focuses it to scroll."""

    DEFAULT_CSS = """
    PaperDetail { padding: 0 1; background: $surface-darken-1; overflow-y: scroll; }
    PaperDetail:focus { background: $surface-darken-2; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.paper: PaperView | None = None
        self._plain = "No paper selected."
        self._renderable: RenderableType = Text(self._plain, style="dim")
        self._lines: list[Strip] = []

    @property
    def plain(self) -> str:
        """What the pane says, as plain text (notes as their Markdown source)."""
        return self._plain

    @property
    def lines(self) -> list[str]:
        """The pane's lines as shown, as plain text."""
        return [strip.text for strip in self._lines]

    def show(self, view: PaperView | None, *, loading: bool = False) -> None:
        self.paper = view
        if view is None:
            self._plain = "Loading…" if loading else "No papers in this view."
            self._renderable = Text(self._plain, style="dim")
        else:
            self._plain = "\n".join([detail_text(view).plain, *(n.body for n in view.notes)])
            self._renderable = detail_renderable(view)
        self._render_lines()
        self.scroll_home(animate=False, immediate=True)

    def show_text(self, text: Text) -> None:
        """Say something other than a paper (the empty library's explanation)."""
        self.paper = None
        self._plain = text.plain
        self._renderable = text
        self._render_lines()

    def _render_lines(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        options = console.options.update_width(width)
        rendered = console.render_lines(self._renderable, options, pad=False)
        self._lines = [Strip(line) for line in rendered]
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            # The pane's size comes from the stylesheet, never from its text, so a new
            # paper needs no layout of the whole screen (assigning `virtual_size` asks for
            # one, a tenth of a second at 120x40): only the scrollbar learns the length.
            self.set_reactive(PaperDetail.virtual_size, size)
            scrollbar = self.vertical_scrollbar
            scrollbar.window_virtual_size = size.height
            scrollbar.window_size = self.scrollable_content_region.height
            scrollbar.refresh()
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self.refresh()

    def on_resize(self) -> None:
        self._render_lines()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(0, width, style).apply_style(style)
