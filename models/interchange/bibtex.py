"""BibTeX entries for LaTeX: `@misc` for preprints, `@article` for papers with a DOI and venue.

Each entry carries what the library knows: title, authors, year (and the full
`date` biblatex reads when the day is known), eprint with archivePrefix and
primaryClass, DOI, URL, abstract, and the reader's tags as keywords. Text fields
are escaped with `models.core.latex`; DOI and URL are verbatim fields in BibTeX's
tools, so they are only kept free of braces and backslashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from models.core.latex import text_to_latex
from models.core.values import DatePrecision
from models.interchange.citekeys import citation_keys
from models.interchange.output import ExportResult, write_if_changed
from models.shelf.papers import PaperView, each_paper_view

_VERBATIM_UNSAFE = {"\\": "%5C", "{": "%7B", "}": "%7D"}


def _verbatim(value: str) -> str:
    return "".join(_VERBATIM_UNSAFE.get(char, char) for char in value)


def _name(name: str) -> str:
    """One author for BibTeX: braced whole when a comma or `and` would split it wrongly."""
    escaped = text_to_latex(name)
    if "," in name or " and " in f" {name.lower()} ":
        return "{" + escaped + "}"
    return escaped


def _primary_class(view: PaperView) -> str | None:
    paper = view.paper
    if paper.categories:
        return paper.categories[0]
    if paper.arxiv_id and "/" in paper.arxiv_id:  # old ids name their archive: hep-th/9711200
        return paper.arxiv_id.split("/")[0]
    return None


def entry_fields(view: PaperView) -> list[tuple[str, str]]:
    """The entry's fields in order, values already escaped."""
    paper = view.paper
    article = bool(paper.doi and paper.venue)
    fields: list[tuple[str, str | None]] = [
        ("title", text_to_latex(paper.title) if paper.title else None),
        ("author", " and ".join(_name(n) for n in paper.authors) if paper.authors else None),
        ("journal" if article else "note", text_to_latex(paper.venue) if paper.venue else None),
        ("year", str(paper.published.year) if paper.published else None),
        (
            "date",
            paper.published.isoformat()
            if paper.published and paper.published_precision == DatePrecision.DAY
            else None,
        ),
        ("eprint", _verbatim(paper.arxiv_id) if paper.arxiv_id else None),
        ("archivePrefix", "arXiv" if paper.arxiv_id else None),
        ("primaryClass", _verbatim(pc) if (pc := _primary_class(view)) else None),
        ("doi", _verbatim(paper.doi) if paper.doi else None),
        ("url", _verbatim(url) if (url := view.url) else None),
        ("abstract", text_to_latex(paper.abstract) if paper.abstract else None),
        ("keywords", text_to_latex(", ".join(view.tags)) if view.tags else None),
    ]
    return [(name, value) for name, value in fields if value]


def render_entry(view: PaperView, key: str) -> str:
    """One entry, fields aligned, every value in braces."""
    paper = view.paper
    kind = "article" if paper.doi and paper.venue else "misc"
    fields = entry_fields(view)
    width = max(len(name) for name, _ in fields) if fields else 0
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name:<{width}} = {{{value}}}," for name, value in fields]
    return "\n".join(lines) + "\n}\n"


def render_bibtex(session: Session, *, reader_id: int, ids: Sequence[int]) -> tuple[str, int]:
    """The entries for these papers, in this order, and how many there are."""
    keys = citation_keys(session)
    entries = []
    for view in each_paper_view(session, reader_id=reader_id, ids=ids):
        entries.append(render_entry(view, keys[view.id]))
    return "\n".join(entries), len(entries)


def write_bibtex(
    session: Session, *, reader_id: int, ids: Sequence[int], path: Path | str
) -> ExportResult:
    """Write the entries to `path`, leaving the file untouched when it would not change."""
    text, count = render_bibtex(session, reader_id=reader_id, ids=ids)
    return write_if_changed(Path(path), [text.encode()], papers=count)
