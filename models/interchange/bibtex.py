"""BibTeX entries for LaTeX: `@misc` for preprints, `@article` for papers with a DOI and venue.

Each entry carries what the library knows: title, authors (written `von Last, Jr,
First`, a corporate name braced whole, so pybtex and biber split them as stored), year
and month to the precision known (and biblatex's `date`), eprint with archivePrefix and
primaryClass, DOI, URL, abstract, and the reader's tags as keywords. Text fields
are escaped with `models.core.latex`; DOI and URL are verbatim fields in BibTeX's
tools, so they are only kept free of braces and backslashes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from models.core.dates import published_text
from models.core.latex import LATEX_SPECIALS, text_to_latex
from models.core.names import PersonName, structured_names
from models.core.values import DatePrecision
from models.interchange.reference_rows import ReferenceView

if TYPE_CHECKING:
    from models.shelf.papers import PaperView

_VERBATIM_UNSAFE = {"\\": "%5C", "{": "%7B", "}": "%7D"}


_VERBATIM_TABLE = str.maketrans(_VERBATIM_UNSAFE)


def _verbatim(value: str) -> str:
    if "\\" not in value and "{" not in value and "}" not in value:  # nearly always
        return value
    return value.translate(_VERBATIM_TABLE)


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


#: What makes a name part need more than copying: LaTeX's specials, a comma, the word `and`.
_NOT_PLAIN_PART = re.compile(
    "[" + re.escape(LATEX_SPECIALS + ",") + r"]|(?:^|\s)and(?:\s|$)", re.IGNORECASE
)


def _part(text: str) -> str:
    """One part of a name, braced when a comma or the word `and` would split it wrongly."""
    if not _NOT_PLAIN_PART.search(text):  # nearly every name: one look in C
        return text
    escaped = text_to_latex(text)
    return "{" + escaped + "}" if "," in text or _AND_WORD.search(text) else escaped


def bibtex_name(name: PersonName) -> str:
    """`van Noorden, Richard`, `King, Jr., Martin Luther`, `{Care Committee}`."""
    if "literal" in name:
        return "{" + text_to_latex(name["literal"]) + "}"
    prefix, family_only = name.get("prefix"), name.get("family")
    family = _part(
        f"{prefix} {family_only}" if prefix and family_only else prefix or family_only or ""
    )
    given, suffix = name.get("given"), name.get("suffix")
    if suffix:
        return f"{family}, {_part(suffix)}, {_part(given or '')}"
    if given:
        return f"{family}, {_part(given)}"
    return "{" + family + "}" if " " in family else family


def _authors(view: PaperView | ReferenceView) -> str | None:
    names = structured_names(view.paper.authors, view.paper.author_names)
    return " and ".join(bibtex_name(name) for name in names if name) or None


def _dates(view: PaperView | ReferenceView) -> list[tuple[str, str | None]]:
    """`year`, `month` (as BibTeX's month macro) and biblatex's `date` to the known precision."""
    paper = view.paper
    if not paper.published:
        return []
    precision = paper.published_precision
    inferred = precision == DatePrecision.YEAR_INFERRED
    month = precision not in (DatePrecision.YEAR,)
    return [
        ("year", str(paper.published.year)),
        ("month", _MONTHS[paper.published.month - 1] if month else None),
        ("date", None if inferred else published_text(paper.published, precision)),
    ]


def _primary_class(view: PaperView | ReferenceView) -> str | None:
    paper = view.paper
    if paper.categories:
        return paper.categories[0]
    if paper.arxiv_id and "/" in paper.arxiv_id:  # old ids name their archive: hep-th/9711200
        return paper.arxiv_id.split("/")[0]
    return None


def entry_fields(view: PaperView | ReferenceView) -> list[tuple[str, str]]:
    """The entry's fields in order, values already escaped."""
    paper = view.paper
    article = bool(paper.doi and paper.venue)
    fields: list[tuple[str, str | None]] = [
        ("title", text_to_latex(paper.title) if paper.title else None),
        ("author", _authors(view)),
        ("journal" if article else "note", text_to_latex(paper.venue) if paper.venue else None),
        *_dates(view),
        ("eprint", _verbatim(paper.arxiv_id) if paper.arxiv_id else None),
        ("archivePrefix", "arXiv" if paper.arxiv_id else None),
        ("primaryClass", _verbatim(pc) if (pc := _primary_class(view)) else None),
        ("doi", _verbatim(paper.doi) if paper.doi else None),
        ("url", _verbatim(url) if (url := view.url) else None),
        ("abstract", text_to_latex(paper.abstract) if paper.abstract else None),
        ("keywords", text_to_latex(", ".join(view.tags)) if view.tags else None),
    ]
    return [(name, value) for name, value in fields if value]


def render_entry(view: PaperView | ReferenceView, key: str) -> str:
    """One entry, fields aligned, every value in braces."""
    paper = view.paper
    kind = "article" if paper.doi and paper.venue else "misc"
    fields = entry_fields(view)
    width = max(len(name) for name, _ in fields) if fields else 0
    lines = [f"@{kind}{{{key},"]
    lines += [
        f"  {name:<{width}} = {value}," if name == "month" else f"  {name:<{width}} = {{{value}}},"
        for name, value in fields
    ]
    return "\n".join(lines) + "\n}\n"
