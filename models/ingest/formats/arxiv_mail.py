"""arXiv e-mail digests ("cs daily Subj-class mailing"), saved as text.

After a preamble (`Submissions to:`, `received from ... to ...`) each record sits
between lines of dashes:

    \\\\
    arXiv:2601.15305                    (`(*cross-listing*)` after it for a cross-list)
    Date: Mon, 12 Jan 2026 20:33:39 GMT   (215kb)
                                        (`replaced with revised version DATE` instead)
    Title: ...                          (`Authors:`, `Categories:`, `Comments:`,
                                         `Journal-ref:`, `DOI:`; long values go on
                                         over indented lines)
    \\\\
      The abstract (replacements have none) ...
    \\\\ ( https://arxiv.org/abs/2601.15305 ,  215kb)

Lines of `%%--%%` and `%%%---%%%` part new submissions, cross-lists and replacements.
Every field is read inside its own record, so no record takes another's; a record
without its closing `\\\\ ( https://arxiv.org/abs/ID ...)` line was cut off and is
skipped, as is one with no arXiv id or an id the digest already listed.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from models.core.keys import ARXIV_ID
from models.core.text import clean_text
from models.core.values import DatePrecision
from models.ingest.formats.arxiv_fields import (
    fill_record,
    listed_categories,
    read_fields,
    set_arxiv_id,
)
from models.ingest.record import Announcement, ListingRecord, ParsedListing, ParseOptions, Rejected

NAME = "arxiv-mail"
DESCRIPTION = "arXiv e-mail digest: \\\\ arXiv:ID, Date:, Title:, Authors:, abstract, \\\\ ( URL )"

_SEPARATOR = re.compile(r"^(?:-{20,}|%{2,}[-%]{20,})\s*$")
# `arXiv:ID`; older digests wrote `Paper: hep-th/9901001`, `Paper (*cross-listing*): ID`.
_ID_PREFIX = r"(?:Paper(?: \(\*cross-listing\*\))?:\s*)?(?:arXiv:\s*)?"
_ID_LINE = re.compile(rf"^{_ID_PREFIX}(?P<id>{ARXIV_ID}(?:v\d+)?)\b(?P<rest>.*)$")
_RECORD_START = re.compile(
    rf"^\\\\[ \t]*\n(?:From:.*\n)?{_ID_PREFIX}{ARXIV_ID}", re.MULTILINE | re.IGNORECASE
)
_CLOSING = re.compile(r"^\\\\\s*\(\s*(?P<url>\S+)\s*,")
_CLOSING_LINE = re.compile(r"^\\\\\s*\(\s*https?://arxiv\.org/abs/", re.MULTILINE | re.IGNORECASE)
_REPLACED = re.compile(r"^replaced with revised version\b", re.IGNORECASE)
_DATE = re.compile(r"\b(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2}) (?P<year>\d{4})\b")
FIELDS = {"title", "authors", "categories", "comments", "journal-ref", "doi", "date"}


def sniff(text: str) -> int:
    """Sure when records open with `\\\\` then `arXiv:ID` and close with the abs URL."""
    head = text[:200_000]
    starts = len(_RECORD_START.findall(head))
    if not starts or not _CLOSING_LINE.search(head) or "\nTitle:" not in head:
        return 0
    return 300 + min(starts, 50)


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    first_line: dict[str, int] = {}
    for chunk in _chunks(text):
        record = _record(chunk)
        if isinstance(record, Rejected):
            result.rejected.append(record)
        elif record.arxiv_id in first_line:
            first = first_line[record.arxiv_id]
            reason = f"arXiv:{record.arxiv_id} listed again (first at line {first})"
            result.rejected.append(Rejected(record.line, reason))
        else:
            first_line[record.arxiv_id or ""] = record.line
            result.records.append(record)
    return result


def _chunks(text: str) -> list[list[tuple[int, str]]]:
    """The numbered lines between separator lines (or after a closing URL line, should a
    separator be missing), each run that opens with `\\\\`."""
    chunks: list[list[tuple[int, str]]] = [[]]
    closed = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _SEPARATOR.match(line) or (closed and line.strip() == "\\\\"):
            chunks.append([])
        if not _SEPARATOR.match(line):
            chunks[-1].append((number, line.rstrip()))
        if line.strip():
            closed = bool(_CLOSING.match(line.strip()))
    records = []
    for rows in chunks:
        start = next((i for i, (_, line) in enumerate(rows) if line.strip()), len(rows))
        if rows[start:] and rows[start][1].strip() == "\\\\":
            records.append(rows[start:])
    return records


def _record(rows: list[tuple[int, str]]) -> ListingRecord | Rejected:
    """One record from its lines (the first is `\\\\`), or why it is no paper."""
    body = rows[1:]
    marks = [i for i, (_, line) in enumerate(body) if line.startswith("\\\\")]
    closing = next((i for i in marks if _CLOSING.match(body[i][1])), None)
    header = body[: marks[0] if marks else len(body)]
    record = ListingRecord(line=rows[0][0], announcement=Announcement.NEW)
    for number, line in header:
        match = _ID_LINE.match(line)
        if match:
            set_arxiv_id(record, match["id"])
            record.line = number
            if "cross-list" in line.lower():
                record.announcement = Announcement.CROSS_LIST
            break
    if any(_REPLACED.match(line) for _, line in header):
        record.announcement = Announcement.REPLACEMENT
    if closing is None:
        return Rejected(
            record.line, "record cut off: no closing '\\\\ ( https://arxiv.org/abs/ID , ...)' line"
        )
    url = _CLOSING.match(body[closing][1])
    if record.arxiv_id is None and not (url and set_arxiv_id(record, url["url"])):
        return Rejected(record.line, "record has no arXiv id")
    fields = read_fields(header, FIELDS)
    fill_record(record, fields)
    if "categories" in fields:
        record.categories = listed_categories(fields["categories"].value) or None
    if "date" in fields and record.announcement != Announcement.REPLACEMENT:
        record.published = _date(fields["date"].value)
        record.published_precision = DatePrecision.DAY if record.published else None
    if marks and marks[0] < closing:
        abstract = " ".join(line.strip() for _, line in body[marks[0] + 1 : closing])
        record.abstract = clean_text(abstract)
    return record


def _date(text: str) -> date | None:
    """The first `12 Jan 2026` in a `Date:` value."""
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return datetime.strptime(
            f"{match['day']} {match['month']} {match['year']}", "%d %b %Y"
        ).date()
    except ValueError:
        return None
