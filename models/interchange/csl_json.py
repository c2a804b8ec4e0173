"""CSL-JSON (`papershelf export csl-json`): what Zotero, Pandoc and citeproc read.

One item per paper: `id` (the citation key), `type` (`article-journal` for a paper
with a DOI and venue, `article` for a preprint, as CSL 1.0.2 names it), `title`,
`author` as `{family, given, non-dropping-particle, suffix}` or `{literal}`, `issued`
as `date-parts` to the known precision, `DOI`, `URL`, `container-title`, `abstract`,
arXiv preprints with `number` `arXiv:ID` and `publisher` arXiv, and tags as `keyword`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from models.core.names import PersonName, structured_names
from models.core.values import DatePrecision
from models.interchange.reference_rows import ReferenceView

if TYPE_CHECKING:
    from models.shelf.papers import PaperView


#: One encoder for every item: `json.dumps` with an argument builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


_FAMILY_GIVEN = {"family", "given"}


def csl_name(name: PersonName) -> dict[str, str]:
    if name.keys() <= _FAMILY_GIVEN and all(name.values()):  # CSL's shape already: most names
        return name
    if "literal" in name:
        return {"literal": name["literal"]}
    item = {"family": name.get("family", ""), "given": name.get("given", "")}
    if name.get("prefix"):
        item["non-dropping-particle"] = name["prefix"]
    if name.get("suffix"):
        item["suffix"] = name["suffix"]
    return {key: value for key, value in item.items() if value}


def _issued(view: PaperView | ReferenceView) -> dict[str, Any] | None:
    published, precision = view.paper.published, view.paper.published_precision
    if not published:
        return None
    if precision in (DatePrecision.YEAR, DatePrecision.YEAR_INFERRED):
        return {"date-parts": [[published.year]]}
    if precision == DatePrecision.MONTH:
        return {"date-parts": [[published.year, published.month]]}
    return {"date-parts": [[published.year, published.month, published.day]]}


def csl_item(view: PaperView | ReferenceView, key: str) -> dict[str, Any]:
    paper = view.paper
    article = bool(paper.doi and paper.venue)
    authors = [csl_name(name) for name in structured_names(paper.authors, paper.author_names)]
    item: dict[str, Any] = {
        "id": key,
        "type": "article-journal" if article else "article",
        "title": paper.title,
        "author": [name for name in authors if name] or None,
        "issued": _issued(view),
        "container-title": paper.venue,
        "DOI": paper.doi,
        "URL": view.url,
        "number": f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else None,
        "publisher": "arXiv" if paper.arxiv_id and not article else None,
        "abstract": paper.abstract,
        "keyword": ", ".join(view.tags) if view.tags else None,
    }
    return {name: value for name, value in item.items() if value}


def csl_json_entry(view: PaperView | ReferenceView, key: str) -> str:
    """One item on one line: readable, and json's C encoder (an `indent` would use the
    Python one)."""
    return _ENCODER.encode(csl_item(view, key))
