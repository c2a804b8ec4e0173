"""arXiv API results: the Atom XML a query returns, saved to a file.

Each `<entry>` is one paper: the arXiv id and version from `<id>`, title, summary,
authors' names, the first version's date (`<published>`), DOI, the journal
reference as the venue, the comment, and the categories, primary first. The file is parsed
with the standard library; a document type declaration is refused outright, so
no entity can expand or reach outside the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import date

from models.core.keys import parse_arxiv_id, parse_doi
from models.core.text import clean_text
from models.core.values import DatePrecision
from models.ingest.record import LineIndex, ListingRecord, ParsedListing, ParseOptions, Rejected

NAME = "arxiv-atom"
DESCRIPTION = "arXiv API results: Atom XML with <entry> elements"

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_FEED = re.compile(r"<feed\b[^>]*xmlns\s*=\s*[\"']http://www\.w3\.org/2005/Atom[\"']")
_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTRY_START = re.compile(r"<entry[\s>]")


def sniff(text: str) -> int:
    """Sure when the text is an Atom feed; surer when it names arxiv.org."""
    head = text[:4096]
    if not _FEED.search(head):
        return 0
    return 250 if "arxiv.org" in text[:200_000] else 120


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    lines = LineIndex(text)
    declaration = _DECLARATION.search(text)
    if declaration:
        result.rejected.append(
            Rejected(
                lines.line_of(declaration.start()),
                "refused: the XML declares a DTD or entities (arXiv results have none)",
            )
        )
        return result
    try:
        feed = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else 1
        result.rejected.append(Rejected(line, f"not well-formed XML ({error})"))
        return result
    starts = [lines.line_of(match.start()) for match in _ENTRY_START.finditer(text)]
    for number, entry in enumerate(feed.iter(f"{ATOM}entry")):
        line = starts[number] if number < len(starts) else 1
        record, reason = _record(entry, line)
        if record is None:
            result.rejected.append(Rejected(line, reason))
        else:
            result.records.append(record)
    return result


def _text(element: ElementTree.Element, path: str) -> str | None:
    found = element.find(path)
    return clean_text(found.text) if found is not None and found.text else None


def _record(entry: ElementTree.Element, line: int) -> tuple[ListingRecord | None, str]:
    """The entry as a record, or None and why it is not a paper."""
    address = _text(entry, f"{ATOM}id") or ""
    if "/api/errors" in address:  # the API reports a bad query as an entry
        return None, f"arXiv API error: {_text(entry, f'{ATOM}summary') or address}"
    parsed = parse_arxiv_id(address)
    record = ListingRecord(
        line=line,
        title=_text(entry, f"{ATOM}title"),
        abstract=_text(entry, f"{ATOM}summary"),
        venue=_text(entry, f"{ARXIV}journal_ref"),
        comment=_text(entry, f"{ARXIV}comment"),
    )
    if parsed:
        record.arxiv_id, record.arxiv_version = parsed
    authors = [_text(author, f"{ATOM}name") for author in entry.findall(f"{ATOM}author")]
    record.authors = [name for name in authors if name] or None
    doi = _text(entry, f"{ARXIV}doi")
    record.doi = parse_doi(doi) if doi else None
    published = _text(entry, f"{ATOM}published") or ""
    try:
        record.published = date.fromisoformat(published[:10]) if published else None
    except ValueError:
        record.published = None
    record.published_precision = DatePrecision.DAY if record.published else None
    record.categories = _categories(entry) or None
    if record.is_empty():
        return None, f"entry {address or '(no id)'} has no title, abstract or arXiv id"
    return record, ""


def _categories(entry: ElementTree.Element) -> list[str]:
    """The primary category first, then the others, each once."""
    primary = entry.find(f"{ARXIV}primary_category")
    terms = [primary.get("term")] if primary is not None else []
    terms += [category.get("term") for category in entry.findall(f"{ATOM}category")]
    seen: list[str] = []
    for term in terms:
        if term and term not in seen:
            seen.append(term)
    return seen
