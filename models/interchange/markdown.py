"""One paper as a Markdown file: YAML front matter, then the abstract and the dated notes.

Listing text is made inert where it could become markup: titles and authors are
escaped so CommonMark shows them literally, and abstracts lose only what could
open raw HTML or a block, keeping the `$...$` math that note-taking apps render.
Notes are the reader's own Markdown, copied as written but kept inside their
section: their headings move below the note's date heading, and an unclosed code
fence is closed so it cannot swallow the notes after it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml

from models.core.dates import published_text
from models.core.times import iso_time
from models.core.values import DatePrecision
from models.shelf.papers import NoteView, PaperView

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>#!|~&$])")
_BLOCK_START = re.compile(r"^(?:[#>+\-*=|`~]|\d+[.)])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")


class _FrontMatterDumper(yaml.SafeDumper):
    """Safe YAML, with times written as ISO 8601 UTC timestamps (`2025-03-04T10:00:00Z`)."""


def _represent_time(dumper: yaml.SafeDumper, value: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", iso_time(value))


_FrontMatterDumper.add_representer(datetime, _represent_time)


def escape_inline(text: str) -> str:
    """Text that CommonMark shows literally inside a line (a heading, a list item)."""
    return _INLINE_SPECIALS.sub(r"\\\1", text)


def escape_paragraph(text: str) -> str:
    """A listing's paragraph made inert as HTML or a block start; math left alone."""
    text = text.replace("<", "\\<")
    return "\\" + text if _BLOCK_START.match(text) else text


def front_matter(view: PaperView, *, exported: datetime) -> dict[str, Any]:
    """The paper's fields for YAML; fields the paper lacks are left out."""
    paper = view.paper
    fields: dict[str, Any] = {
        "id": paper.id,
        "title": view.display_title,
        "authors": list(paper.authors) if paper.authors else None,
        "arxiv": paper.arxiv_id,
        "doi": paper.doi,
        "url": view.url,
        "date": _front_matter_date(paper),
        "venue": paper.venue,
        "comment": paper.comment,
        "status": str(view.status),
        "rating": view.rating,
        "tags": list(view.tags),
        "exported": exported,
    }
    return {name: value for name, value in fields.items() if value is not None}


def fit_note(body: str, *, level: int) -> str:
    """The note kept inside its section: its headings nested below `level`, an open fence closed.

    Fenced code is copied untouched; only ATX headings (`## x`) outside it move down.
    """
    lines, opener = [], None
    for line in body.split("\n"):
        fence = _FENCE.match(line)
        if fence and opener is None:
            opener = fence[1]
        elif fence and opener is not None:
            closes = fence[1][0] == opener[0] and len(fence[1]) >= len(opener)
            if closes and not line[fence.end() :].strip():
                opener = None
        elif opener is None:
            heading = _HEADING.match(line)
            if heading:
                depth = min(6, len(heading[2]) + level)
                line = f"{heading[1]}{'#' * depth}{line[heading.end(2) :]}"
        lines.append(line)
    if opener is not None:
        lines.append(opener)
    return "\n".join(lines)


def notes_markdown(notes: list[NoteView], *, level: int) -> list[str]:
    """Each note under a heading with its date (and when it was last edited)."""
    blocks: list[str] = []
    for note in notes:
        heading = f"{'#' * level} {note.created:%Y-%m-%d %H:%M} UTC"
        if note.updated != note.created:
            heading += f" (edited {note.updated:%Y-%m-%d %H:%M} UTC)"
        blocks.append(heading)
        if note.body.strip():
            blocks.append(fit_note(note.body, level=level))
    return blocks


def render_paper(view: PaperView, *, exported: datetime) -> str:
    """The whole file: front matter, title, abstract, notes."""
    yaml_text = yaml.dump(
        front_matter(view, exported=exported),
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
    )
    blocks = [f"---\n{yaml_text}---", f"# {escape_inline(view.display_title)}"]
    if view.paper.abstract:
        blocks += ["## Abstract", escape_paragraph(view.paper.abstract)]
    if view.notes:
        blocks += ["## Notes", *notes_markdown(view.notes, level=3)]
    return "\n\n".join(blocks) + "\n"


def _front_matter_date(paper: Any) -> date | str | None:
    """A YAML date when the day is known, else `2017` or `2017-11` as text."""
    if not isinstance(paper.published, date):
        return None
    if paper.published_precision in (DatePrecision.YEAR, DatePrecision.MONTH):
        return published_text(paper.published, paper.published_precision)
    return paper.published
