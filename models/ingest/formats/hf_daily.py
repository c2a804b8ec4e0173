"""Hugging Face daily-papers pages, copied from the browser or saved as text.

After the page header ("Daily Papers", "byAK and the research community", the
page's date) each paper is a title paragraph, an abstract paragraph and, on most
pages, a line block like `• 9 authors`, `·`, `Jun 28, 2024 2` (authors count,
date, upvotes). A date without a year belongs to the year after the latest year
printed on the page, or to the current year when the page prints none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from models.core.text import clean_text
from models.core.values import DatePrecision
from models.ingest.formats.shape import is_data_file, is_prose
from models.ingest.record import ListingRecord, ParsedListing, ParseOptions, paragraphs

NAME = "hf-daily"
DESCRIPTION = "Hugging Face daily papers page: title, abstract, N authors, date, upvotes"

_HEADER = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "daily papers",
    "byak and the research community",
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DATE = r"(?P<month>[A-Z][a-z]{2})[a-z]*\.?\s+(?P<day>\d{1,2})\b(?:,\s*(?P<year>\d{4}))?"
_META = re.compile(
    r"^(?:(?P<lead>\d+)\s+)?(?:[•·*\-]\s*)?(?:(?P<authors>\d+)\s+authors?)?\s*(?:·\s*)?"
    rf"(?:{_DATE})?\s*(?P<upvotes>\d+)?$"
)
_SUBMITTED = re.compile(r"(?:^|\s)Submitted by\s+\S+", re.IGNORECASE)
TITLE_MAX = 400


@dataclass
class _Meta:
    n_authors: int | None
    month: int | None
    day: int | None
    year: int | None
    upvotes: int | None


def sniff(text: str) -> int:
    head = text[:200_000]
    if is_data_file(head):
        return 0
    lowered = head.lower()
    score = 0
    if any(
        marker in lowered
        for marker in ("byak and the research community", "get trending papers", "daily papers")
    ):
        score += 90
    authors = len(re.findall(r"^\s*•?\s*\d+ authors?\s*$", head, re.MULTILINE))
    if authors:
        score += 50 + min(authors, 30)
    if not score and _alternates_titles_and_abstracts(head):
        score = 20
    return score


def _alternates_titles_and_abstracts(text: str) -> bool:
    """Blocks that pair a one-line title with a longer abstract, as a page without header."""
    blocks = [" ".join(rows) for _, rows in paragraphs(text)]
    if len(blocks) < 2 or len(blocks) % 2:
        return False
    pairs = list(zip(blocks[::2], blocks[1::2], strict=True))
    return all(
        len(title) <= TITLE_MAX and len(abstract) > len(title) and is_prose(abstract, min_words=15)
        for title, abstract in pairs
    )


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    # A paragraph of nothing but escapes or control characters is not a title or an
    # abstract: counted as one, it would shift every title and abstract after it.
    blocks = [(line, rows) for line, rows in paragraphs(text) if clean_text(" ".join(rows))]
    dated: list[tuple[ListingRecord, _Meta]] = []
    current: ListingRecord | None = None
    closed = True  # the current paper's meta block was read: the next text is a title
    for index, (line, rows) in enumerate(blocks):
        joined = " ".join(rows)
        meta = _parse_meta(joined)
        if current is None and (joined.lower() in _HEADER or meta):
            continue  # the page header, or the page's own date
        if meta:
            assert current is not None  # a meta line before any title is the header
            if meta.n_authors is not None:
                current.n_authors = meta.n_authors
            if meta.upvotes is not None:
                current.upvotes = meta.upvotes
            if meta.month:
                dated.append((current, meta))
            closed = True
            continue
        if (
            closed
            or current is None
            or current.abstract is not None
            or _title_without_abstract(blocks, index)
        ):
            current = ListingRecord(line=line, title=clean_text(joined))
            result.records.append(current)
            closed = False
        else:
            current.abstract = clean_text(joined)
    _date_records(dated, options, result)
    for record in result.records:
        if record.title and len(record.title) > TITLE_MAX and not record.abstract:
            record.abstract, record.title = record.title, None
    return result


def _title_without_abstract(blocks: list[tuple[int, list[str]]], index: int) -> bool:
    """A title-like block followed by a long one: the paper before had no abstract."""
    rows = blocks[index][1]
    if len(rows) != 1 or len(rows[0]) > TITLE_MAX or rows[0].endswith("."):
        return False
    if index + 1 >= len(blocks):
        return False
    following = " ".join(blocks[index + 1][1])
    return len(following) > TITLE_MAX and not _parse_meta(following)


def _parse_meta(text: str) -> _Meta | None:
    """The block under a paper: authors count, date, upvotes (as one line or several),
    tolerating what pages add around them ("Submitted by NAME", a lone upvote count)."""
    text = _SUBMITTED.sub(" ", text).strip()
    match = _META.match(" ".join(text.split()))
    if not match or not (match["authors"] or match["month"]):
        return None
    month = _MONTHS.get(match["month"][:3].lower()) if match["month"] else None
    if match["month"] and month is None:
        return None
    return _Meta(
        n_authors=int(match["authors"]) if match["authors"] else None,
        month=month,
        day=int(match["day"]) if match["day"] else None,
        year=int(match["year"]) if match["year"] else None,
        upvotes=int(match["upvotes"] or match["lead"])
        if match["upvotes"] or match["lead"]
        else None,
    )


def _date_records(
    dated: list[tuple[ListingRecord, _Meta]], options: ParseOptions, result: ParsedListing
) -> None:
    """Give each paper its date; a yearless one gets the page's inferred year."""
    years = [meta.year for _, meta in dated if meta.year]
    if options.year is not None:
        inferred = options.year
    elif years:
        inferred = max(years) + 1
    else:
        inferred = options.today.year
    for record, meta in dated:
        year = meta.year or inferred
        assert meta.month is not None and meta.day is not None  # `_DATE` has both or neither
        try:
            record.published = date(year, meta.month, meta.day)
        except ValueError:
            result.warnings.append((record.line, f"no such date: {year}-{meta.month}-{meta.day}"))
            continue
        record.published_precision = DatePrecision.DAY if meta.year else DatePrecision.YEAR_INFERRED
