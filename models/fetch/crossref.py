"""Crossref (`api.crossref.org/works/DOI`): the bibliographic record a DOI's publisher deposited.

The answer is `{"status": "ok", "message-type": "work", "message": {...}}`; the
message has `DOI`, `title` (a list), `author` (objects with `given`/`family`, or
`name` for organisations), `container-title` (the journal or proceedings, a list),
the dates `published`, `published-print`, `published-online` and `issued` as
`{"date-parts": [[year, month, day]]}`, and sometimes a JATS `abstract`. An unknown
DOI is a 404.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import quote

from models.core.keys import parse_doi
from models.core.names import PersonName
from models.core.values import DatePrecision
from models.fetch.text import FeedFormatError, parse_json, plain_text
from models.ingest.formats import ListingRecord

_JATS_HEADING = re.compile(r"<jats:title>.*?</jats:title>", re.DOTALL | re.IGNORECASE)
_DATES = ("published", "published-print", "published-online", "issued")


def work_url(base: str, doi: str) -> str:
    """`{base}/10.1145/3637528.3671661`: the DOI's slash kept, anything else escaped."""
    return f"{base.rstrip('/')}/{quote(doi, safe='/')}"


def parse_work(data: bytes, line: int = 1) -> ListingRecord:
    """The work in one answer; FeedFormatError when it is not a Crossref work."""
    document = parse_json(data)
    message = document.get("message") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("status") != "ok" or not message:
        raise FeedFormatError("not a Crossref work (no status ok and message)")
    if not isinstance(message, dict):
        raise FeedFormatError("not a Crossref work (its message is not an object)")
    published = _published(message)
    abstract = message.get("abstract")
    authors, people = _authors(message.get("author"))
    return ListingRecord(
        line=line,
        doi=parse_doi(str(message.get("DOI") or "")),
        title=plain_text(_first(message.get("title"))),
        authors=authors or None,
        author_names=people or None,
        abstract=plain_text(_JATS_HEADING.sub(" ", abstract))
        if isinstance(abstract, str)
        else None,
        venue=plain_text(_first(message.get("container-title"))),
        published=published,
        published_precision=DatePrecision.DAY if published else None,
    )


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), None)
    return value if isinstance(value, str) else None


def _authors(value: Any) -> tuple[list[str], list[PersonName]]:
    """Display names, and each one's structure as Crossref gives it (`given`/`family`, or
    an organisation's `name` as a literal)."""
    names: list[str] = []
    people: list[PersonName] = []
    for author in value if isinstance(value, list) else ():
        if not isinstance(author, dict):
            continue
        parts = [author.get("given"), author.get("family")]
        name = " ".join(p for p in parts if isinstance(p, str) and p.strip()) or author.get("name")
        if isinstance(name, str) and (clean := plain_text(name)):
            names.append(clean)
            given, family = (_part(author.get(key)) for key in ("given", "family"))
            person = {"family": family, "given": given} if family else {"literal": clean}
            people.append({key: text for key, text in person.items() if text})
    return names, people


def _part(value: Any) -> str | None:
    return plain_text(value) if isinstance(value, str) else None


def _published(message: dict[str, Any]) -> date | None:
    """The earliest full date among Crossref's dates. A year or a month alone is left out:
    the library's dates are days, and a guessed day would sort the paper wrongly."""
    days = []
    for name in _DATES:
        value = message.get(name)
        parts = value.get("date-parts") if isinstance(value, dict) else None
        first = parts[0] if isinstance(parts, list) and parts else None
        if not (isinstance(first, list) and len(first) >= 3):
            continue
        try:
            days.append(date(*(int(number) for number in first[:3])))
        except (TypeError, ValueError):
            continue
    return min(days) if days else None
