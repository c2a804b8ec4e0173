"""One `.bib` entry's resolved fields as a listing record: names with their structure,
dates with their precision, identifiers from every place they hide, the venue.

Identifiers: DOIs from `doi` in any URL form (`http://doi.acm.org/...`, `dx.doi.org`,
`doi:`), or a doi.org `url`; arXiv ids from `eprint` (`archiveprefix`/`eprinttype`
arXiv), `arxivid`, arxiv.org URLs with their version, arXiv's own DOIs
(`10.48550/arXiv.ID`), "arXiv preprint arXiv:ID" journals and DBLP's CoRR volumes.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from models.core.keys import ARXIV_ID, parse_arxiv_id
from models.core.latex_text import latex_to_plain
from models.core.names import PersonName, display_name, split_author_field, split_bibtex_name
from models.core.text import clean_text
from models.ingest.formats.bibtex_values import entry_date
from models.ingest.record import ListingRecord

_DOI_IN_TEXT = re.compile(r"(10\.\d{4,9}(?:\.\d+)*/[^\s\"<>{}]+)")
_DOI_URL = re.compile(r"(?:doi\.org|doi\.acm\.org|doi\.ieeecomputersociety\.org)/(10\.\S+)", re.I)
_ARXIV_IN_TEXT = re.compile(
    rf"arxiv(?:\.org)?[:/\s]*(?:abs/|pdf/)?({ARXIV_ID}(?:v\d+)?)", re.IGNORECASE
)
_ARXIV_DOI = re.compile(rf"10\.48550/arxiv\.({ARXIV_ID}(?:v\d+)?)", re.IGNORECASE)
_NOT_VENUE = re.compile(r"(arxiv|corr)\b", re.IGNORECASE)
_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")


def plain(value: str | None) -> str | None:
    """A field's LaTeX as one line of plain text, or None when nothing is left."""
    return clean_text(latex_to_plain(value)) if value else None


def record_of(fields: dict[str, str], line: int) -> ListingRecord:
    """The record for an entry whose field names are lower case and values resolved."""
    names = authors_of(fields.get("author", ""))
    record = ListingRecord(
        line=line,
        title=plain(fields.get("title")),
        abstract=plain(fields.get("abstract")),
        author_names=names or None,
        authors=[display_name(name) for name in names] or None,
    )
    arxiv = arxiv_of(fields)
    if arxiv:
        record.arxiv_id, record.arxiv_version = arxiv
    record.doi = doi_of(fields)
    dated = entry_date(fields)
    if dated:
        record.published, record.published_precision = dated
    venue = plain(fields.get("journaltitle") or fields.get("journal") or fields.get("booktitle"))
    if venue and not _NOT_VENUE.match(venue):
        record.venue = venue
    primary = plain(fields.get("primaryclass") or fields.get("eprintclass"))
    record.categories = [primary] if primary else None
    keywords = plain(fields.get("keywords"))
    if keywords:
        record.keywords = [word for word in _KEYWORD_SPLIT.split(keywords) if word] or None
    issue = [plain(fields.get(name)) for name in ("volume", "number")]
    record.volume = ":".join(part or "" for part in issue) if any(issue) else None
    return record


def authors_of(field: str) -> list[PersonName]:
    """`A and B and others` with each name's structure; `others` is no name."""
    names = []
    for raw in split_author_field(field):
        if raw.strip().lower() == "others":
            continue
        name = split_bibtex_name(raw, lambda text: plain(text) or "")
        if name:
            names.append(name)
    return names


def doi_of(fields: dict[str, str]) -> str | None:
    raw = fields.get("doi", "")
    if raw:
        match = _DOI_IN_TEXT.search(unquote(raw))
        if match:
            return match[1].rstrip(".,;")
    match = _DOI_URL.search(unquote(fields.get("url", "")))
    return match[1].rstrip(".,;") if match else None


def arxiv_of(fields: dict[str, str]) -> tuple[str, int | None] | None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").strip().lower()
    candidates = [fields.get("eprint", "")] if prefix == "arxiv" else []
    candidates += [fields.get("arxivid", ""), fields.get("arxiv", "")]
    if fields.get("journal", "").strip().lower() == "corr":
        candidates.append(fields.get("volume", "").strip().removeprefix("abs/"))
    for candidate in candidates:
        parsed = parse_arxiv_id(candidate) if candidate else None
        if parsed:
            return parsed
    arxiv_doi = _ARXIV_DOI.search(fields.get("doi", "") + " " + fields.get("url", ""))
    if arxiv_doi:
        return parse_arxiv_id(arxiv_doi[1])
    for name in ("url", "journal", "journaltitle", "note", "howpublished"):
        match = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if match:
            return parse_arxiv_id(match[1])
    return None
