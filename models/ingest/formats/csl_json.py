"""CSL-JSON files: the citation items Zotero, Pandoc, citeproc and Better BibTeX write.

A JSON array of items (or one item), each with a CSL `type` and an `id` or `title`,
and none of the keys of the look-alikes (Zotero's own JSON has `itemType`, a Better
BibTeX JSON export is an object with `config` and `items`). Read: `title`, `author`
(`family`, `given`, particles, `suffix`, or `literal`), `issued` (`date-parts` or
`raw`) with its precision, `DOI`, `URL`, `number` (`arXiv:ID`), `container-title`,
`abstract`, `volume` and `keyword`.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from models.core.names import PersonName, display_name
from models.core.text import clean_text as text_of
from models.core.values import DatePrecision
from models.ingest.formats.bibtex_entry import arxiv_of, doi_of
from models.ingest.record import LineIndex, ListingRecord, ParsedListing, ParseOptions, Rejected

NAME = "csl-json"
DESCRIPTION = "CSL-JSON: an array of citation items (Zotero, Pandoc, citeproc)"

#: The item types of CSL 1.0.2 (and the older names still written).
_TYPE_NAMES = (
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event "
    "figure graphic hearing interview legal_case legislation manuscript map motion_picture "
    "musical_score pamphlet paper-conference patent performance periodical "
    "personal_communication post post-weblog regulation report review review-book software "
    "song speech standard thesis treaty webpage"
)
CSL_TYPES = frozenset(_TYPE_NAMES.split())
_NOT_CSL = ("itemType", "creators", "key", "version")
_RAW_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _items(text: str) -> list[Any] | None:
    stripped = text.lstrip("\ufeff \t\n")
    if not stripped.startswith(("[", "{")):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    items = data if isinstance(data, list) else [data]
    if not items or not all(_is_item(item) for item in items):
        return None
    return items


def _is_item(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("type") in CSL_TYPES
        and ("id" in item or "title" in item)
        and not any(key in item for key in _NOT_CSL)
    )


def sniff(text: str) -> int:
    """Sure of CSL-JSON when every element is an item of a CSL type."""
    return 210 if _items(text) is not None else 0


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    items = _items(text) or []
    index, position = LineIndex(text), 0
    for item in items:
        found = text.find(json.dumps(item.get("id"), ensure_ascii=False), position)
        if found >= 0:
            position = found
        line = index.line_of(position)
        record = _record(item, line)
        if record.is_empty():
            result.rejected.append(Rejected(line, f"{item.get('id')}: no title, abstract or id"))
        else:
            result.records.append(record)
    return result


def _string(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return str(value) if isinstance(value, str | int) else ""


def _record(item: dict[str, Any], line: int) -> ListingRecord:
    names = [name for name in (csl_person(a) for a in _list(item.get("author"))) if name]
    ids = {
        "doi": _string(item, "DOI"),
        "url": _string(item, "URL"),
        "note": _string(item, "number"),
    }
    record = ListingRecord(
        line=line,
        title=text_of(_string(item, "title")),
        abstract=text_of(_string(item, "abstract")),
        author_names=names or None,
        authors=[display_name(name) for name in names] or None,
        doi=doi_of(ids),
        venue=text_of(_string(item, "container-title")),
        volume=text_of(_string(item, "volume")),
    )
    arxiv = arxiv_of(ids | {"journal": _string(item, "archive_location")})
    if arxiv:
        record.arxiv_id, record.arxiv_version = arxiv
    dated = csl_date(item.get("issued"))
    if dated:
        record.published, record.published_precision = dated
    keywords = [text_of(word) for word in _string(item, "keyword").split(",")]
    record.keywords = [word for word in keywords if word] or None
    return record


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def csl_person(author: Any) -> PersonName:
    if not isinstance(author, dict):
        return {}
    if author.get("literal"):
        return {"literal": str(author["literal"])}
    particles = [author.get("dropping-particle"), author.get("non-dropping-particle")]
    name = {
        "family": author.get("family"),
        "given": author.get("given"),
        "prefix": " ".join(str(part) for part in particles if part) or None,
        "suffix": author.get("suffix"),
    }
    return {key: text for key, value in name.items() if value and (text := text_of(str(value)))}


def csl_date(issued: Any) -> tuple[date, DatePrecision] | None:
    """`{"date-parts": [[2020, 1]]}` or `{"raw": "2020-01-15"}` with its precision."""
    if not isinstance(issued, dict):
        return None
    parts: list[Any] = []
    if _list(issued.get("date-parts")) and _list(issued["date-parts"][0]):
        parts = issued["date-parts"][0][:3]
    elif isinstance(issued.get("raw"), str) and (match := _RAW_DATE.match(issued["raw"])):
        parts = [group for group in match.groups() if group]
    try:
        numbers = [int(part) for part in parts]
    except (TypeError, ValueError):
        return None
    if not numbers or not 1 <= numbers[0] <= 9999:
        return None
    try:
        if len(numbers) >= 3:
            return date(numbers[0], numbers[1], numbers[2]), DatePrecision.DAY
        if len(numbers) == 2:
            return date(numbers[0], numbers[1], 1), DatePrecision.MONTH
    except ValueError:
        pass
    return date(numbers[0], 1, 1), DatePrecision.YEAR
