"""RIS (`papershelf export ris`): the tagged format EndNote, Zotero and Mendeley read.

One record per paper: `TY` (`JOUR` for a paper with a DOI and venue, `UNPB` for a
preprint), `ID` the citation key, `TI`, one `AU` per author as `Family, Given, Suffix`,
`PY` and `DA` to the known precision, `T2` the venue, `DO`, `UR`, `AB`, and the
reader's tags as `KW`. Values are one line each: RIS has no continuation lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.core.names import PersonName, structured_names
from models.core.text import is_printable
from models.core.values import DatePrecision
from models.interchange.reference_rows import ReferenceView

if TYPE_CHECKING:
    from models.shelf.papers import PaperView


def ris_name(name: PersonName) -> str:
    """`Van Noorden, Richard`, `King, Martin Luther, Jr.`, or a literal as it is."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(part for part in (name.get("prefix"), name.get("family")) if part)
    parts = [family, name.get("given", "")] + ([name["suffix"]] if name.get("suffix") else [])
    return ", ".join(parts).rstrip(", ")


def _date(view: PaperView | ReferenceView) -> str | None:
    paper = view.paper
    if not paper.published or paper.published_precision == DatePrecision.YEAR:
        return None
    if paper.published_precision == DatePrecision.MONTH:
        return f"{paper.published.year:04d}/{paper.published.month:02d}//"
    if paper.published_precision == DatePrecision.YEAR_INFERRED:
        return None
    return paper.published.strftime("%Y/%m/%d/")


def render_record(view: PaperView | ReferenceView, key: str) -> str:
    paper = view.paper
    article = bool(paper.doi and paper.venue)
    lines: list[tuple[str, str | None]] = [("TY", "JOUR" if article else "UNPB"), ("ID", key)]
    lines.append(("TI", paper.title))
    names = structured_names(paper.authors, paper.author_names)
    lines += [("AU", ris_name(name)) for name in names]
    lines.append(("PY", str(paper.published.year) if paper.published else None))
    lines.append(("DA", _date(view)))
    lines.append(("T2", paper.venue))
    lines.append(("DO", paper.doi))
    lines.append(("UR", view.url))
    lines.append(("AB", paper.abstract))
    lines += [("KW", tag) for tag in view.tags]
    body = "".join([f"{tag}  - {_one_line(value)}\n" for tag, value in lines if value])
    return body + "ER  - \n"


def _one_line(value: str) -> str:
    """The value on one line, its runs of whitespace one space each."""
    # Nearly always already so, as str's C methods tell faster than split and join copy:
    # no whitespace but single spaces (any other is not printable), none at either end.
    if is_printable(value) and "  " not in value and value[0] != " " and value[-1] != " ":
        return value
    return " ".join(value.split())
