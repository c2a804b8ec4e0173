"""One line of the paper list: selection mark, status glyph, rating, note mark, watch mark
(when the reader has watches), title, year, tags. Listing text is plain text, never markup."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from models.shelf.papers import UNTITLED, PaperView, published_year
from tui.display import glyph, stars

TAGS_WIDTH = 24  # at most, and at most a quarter of the row
YEAR_WIDTH = 4
NOTE_MARK = "✎"
WATCH_MARK = "⚑"  # an Inbox paper that a watch matches (as on the watch's tab)
WIDE = 64  # rows at least this wide show the rating as five stars
#: Statuses whose rows are dimmed: the reader is done with them.
DONE = {"read", "skipped"}


@dataclass(frozen=True)
class RowStyles:
    """The list's component styles, read once per paint."""

    status: dict[str, Style]
    selected: Style
    dim: Style
    tags: Style
    rating: Style
    watched: Style = Style()


def row_text(
    view: PaperView | None,
    *,
    selected: bool,
    width: int,
    styles: RowStyles,
    watched: bool | None = None,
) -> Text:
    """The row of `view` (None: still loading) in `width` cells; `watched` None: the reader
    has no watches, so the row has no column for their mark."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("▌" if selected else " ", styles.selected)
    if view is None:
        text.append("  …", styles.dim)
        return text
    text.append(f"{glyph(view.status)} ", styles.status.get(view.status, Style()))
    if width >= WIDE:
        text.append(f"{stars(view.rating):<5} ", styles.rating)
    else:  # narrow: the rating as a digit, so every row keeps its columns
        text.append(f"{view.rating}★ " if view.rating else "   ", styles.rating)
    text.append(NOTE_MARK if view.notes else " ", styles.dim)
    if watched is not None:
        text.append(WATCH_MARK if watched else " ", styles.watched)
    text.append(" ")
    tags = " ".join(f"#{tag}" for tag in view.tags)
    room_for_tags = min(TAGS_WIDTH, width // 4)
    if len(tags) > room_for_tags:
        tags = tags[: max(0, room_for_tags - 1)] + "…" if room_for_tags > 1 else ""
    tail = YEAR_WIDTH + 1 + (len(tags) + 1 if tags else 0)
    room = max(8, width - cell_len(text.plain) - tail)
    title = view.display_title
    if cell_len(title) > room:
        title = truncate(title, room)
    done = view.status in DONE
    title_style = styles.dim if done else Style()
    if title.startswith(UNTITLED):
        text.append(UNTITLED, styles.dim + Style(italic=True))
        text.append(title[len(UNTITLED) :], title_style)
    else:
        text.append(title, title_style)
    text.append(" " * (room - cell_len(title) + 1))
    text.append(f"{published_year(view.paper.published):>{YEAR_WIDTH}}", styles.dim)
    if tags:
        text.append(" ")
        text.append(tags, styles.tags)
    if selected:
        text.stylize(styles.selected)
    return text


def truncate(text: str, width: int) -> str:
    """Cut to `width` cells with an ellipsis."""
    out = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"
