"""Hugging Face daily papers (`huggingface.co/api/daily_papers?date=YYYY-MM-DD`).

The answer is a JSON list, one object per paper of the day: `paper` holds the
arXiv id (`id`), `title`, `summary`, `authors` (objects with a `name`),
`upvotes` and `publishedAt` (the arXiv date); beside it the object repeats
`title`, `summary` and has its own `publishedAt` (when it was put on the page).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from models.core.keys import parse_arxiv_id
from models.core.values import DatePrecision
from models.fetch.text import FeedFormatError, parse_json, plain_text
from models.ingest.formats import ListingRecord
from models.ingest.record import Rejected


def parse_daily_papers(data: bytes) -> tuple[list[ListingRecord], list[Rejected]]:
    """The day's papers; FeedFormatError when the answer is not the daily-papers list."""
    document = parse_json(data)
    if isinstance(document, dict) and isinstance(document.get("error"), str):
        raise FeedFormatError(f"not the daily-papers list: {plain_text(document['error'])}")
    if not isinstance(document, list):
        what = type(document).__name__
        raise FeedFormatError(f"not the daily-papers list (a JSON {what})")
    records: list[ListingRecord] = []
    rejected: list[Rejected] = []
    for number, item in enumerate(document, start=1):
        paper = item.get("paper") if isinstance(item, dict) else None
        if not isinstance(paper, dict):
            rejected.append(Rejected(number, f"item {number} has no paper object"))
            continue
        record = _record(number, item, paper)
        if record.is_empty():
            rejected.append(Rejected(number, f"item {number} has no title, abstract or id"))
        else:
            records.append(record)
    return records, rejected


def _record(number: int, item: dict[str, Any], paper: dict[str, Any]) -> ListingRecord:
    parsed = parse_arxiv_id(str(paper.get("id") or ""))
    authors = [
        name
        for author in paper.get("authors") or ()
        if isinstance(author, dict) and (name := plain_text(str(author.get("name") or "")))
    ]
    published = _day(paper.get("publishedAt")) or _day(item.get("publishedAt"))
    upvotes = paper.get("upvotes")
    return ListingRecord(
        line=number,
        title=plain_text(_text(paper.get("title")) or _text(item.get("title"))),
        abstract=plain_text(_text(paper.get("summary")) or _text(item.get("summary"))),
        authors=authors or None,
        arxiv_id=parsed[0] if parsed else None,
        arxiv_version=parsed[1] if parsed else None,
        upvotes=upvotes if isinstance(upvotes, int) and upvotes >= 0 else None,
        published=published,
        published_precision=DatePrecision.DAY if published else None,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: object) -> date | None:
    """`2025-09-04T21:26:31.000Z` -> 2025-09-04."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
