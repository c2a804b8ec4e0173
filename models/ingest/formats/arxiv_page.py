"""arXiv listing pages (`/list/CAT/new`, `/recent`, `/pastweek`) as copied from a browser.

A copy of the whole page (select all, copy, paste) holds the site's chrome, the
page's headings, then one entry per paper:

    [1] arXiv:2612.00012 [pdf, html, other]     (`(cross-list from cs.LG)` or
                                                 `(replaced)` after the id)
    Title: ...
    Authors: A, B, C                            (recent pages print the names alone)
    Comments: 10 pages, 3 figures               (when the paper has them, and
    Journal-ref: ...                             `Journal-ref:` likewise)
    Subjects: Computation and Language (cs.CL); Machine Learning (cs.LG)

    The abstract, on `/new` pages only.

`/new` pages group entries under `New submissions (showing N of N entries)`,
`Cross submissions (...)` and `Replacement submissions (...)` and name the day
(`Showing new listings for Monday, 1 December 2026`); `/recent` and `/pastweek`
pages group them under the day of their announcement (`Mon, 1 Dec 2026 (showing
50 of 120 entries)`). A new submission is dated by its announcement day; a
cross-list or replacement, announced long after the paper appeared, is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from models.core.keys import ARXIV_ID
from models.core.text import clean_text
from models.core.values import DatePrecision
from models.ingest.formats.arxiv_fields import (
    FIELD,
    Field,
    fill_record,
    set_arxiv_id,
    subject_categories,
)
from models.ingest.record import Announcement, LineIndex, ListingRecord, ParsedListing, ParseOptions

NAME = "arxiv-page"
DESCRIPTION = "arXiv /list/CAT/new, /recent or /pastweek page copied from a browser"

# `[12] arXiv:ID ...`; a copy that starts mid-page may have lost the first `[N]`.
_ENTRY = re.compile(
    r"^[ \t]*(?:\[(?P<index>\d+)\][ \t]*\n?[ \t]*)?"
    rf"arXiv:[ \t]*(?P<id>{ARXIV_ID}(?:v\d+)?)(?P<rest>[^\n]*)",
    re.MULTILINE,
)
# What may stand between the id and `Title:`: the type of listing, the download links.
_TYPE = r"\((?:cross-list from [^)]*|replaced)\)"
_LINKS_ONLY = re.compile(rf"^(?:{_TYPE}\s*)?(?:\[[^\]]*\])?\s*(?:{_TYPE})?$")
_SECTION = re.compile(
    r"^(?P<kind>New submissions|Cross submissions|Cross-lists|Replacement submissions|Replacements)"
    r"\s+(?:\(|for\b)"
)
_KINDS = {
    "new": Announcement.NEW,
    "cross": Announcement.CROSS_LIST,
    "replacement": Announcement.REPLACEMENT,
}
_DAY_HEADING = re.compile(
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{2,4})\s*"
    r"\((?:continued, )?showing\b"
)
_NEW_DAY = re.compile(
    r"^(?:Showing new listings for|New submissions for)\s+(?:[A-Z][a-z]+,\s+)?"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{2,4})"
)
_RECENT_PAGE = re.compile(r"^(?:Authors and titles for recent submissions|See today's new changes)")
_CHROME = re.compile(
    r"^(?:Total of \d+ entries|Showing up to \d+ entries|See (?:recent articles|today's new)"
    r"|About$|Help$|Contact$|Subscribe$|Copyright$|Privacy Policy$|Web Accessibility Assistance$"
    r"|arXiv Operational Status|Get status notifications|No updates\b)"
)
_FIELDS = {"title", "authors", "comments", "journal-ref", "subjects", "doi", "report-no"}
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d %b %y", "%d %B %y")


def sniff(text: str) -> int:
    """Sure when entries `[N] arXiv:ID` are followed, a line or so on, by `Title:`."""
    head = text[:200_000].replace("\u00a0", " ")
    matches = list(_ENTRY.finditer(head))
    titled = len(_entries(head, matches))
    indexed = sum(1 for match in matches if match["index"])
    if not titled or titled < 0.8 * indexed:
        return 0
    return 300 + min(titled, 50)


def _entries(text: str, matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """The id lines that open an entry: the next line (past the links) is `Title:`.

    An `arXiv:ID` inside an abstract, or a digest's `arXiv:ID` before its `Date:`, is not."""
    entries = []
    for match in matches:
        following = (line.strip() for line in text[match.end() : match.end() + 4000].split("\n"))
        lines = [line for line in following if line]
        while lines and _LINKS_ONLY.match(lines[0]) and len(lines) > 1:
            lines.pop(0)
        if lines and lines[0].startswith("Title:"):
            entries.append(match)
    return entries


@dataclass
class _Page:
    """What the headings above an entry say about it."""

    section: Announcement | None = None
    day: date | None = None
    recent: bool = False


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    text = text.replace("\u00a0", " ")  # the `&nbsp;` older pages put after `[N]`
    lines = LineIndex(text)
    entries = _entries(text, list(_ENTRY.finditer(text)))
    page = _Page()
    _read_headings(text[: entries[0].start()].split("\n") if entries else [], page)
    for number, entry in enumerate(entries):
        end = entries[number + 1].start() if number + 1 < len(entries) else len(text)
        rows = [row.strip() for row in text[entry.end() : end].split("\n")]
        title = next((i for i, row in enumerate(rows) if row.startswith("Title:")), len(rows))
        record = ListingRecord(line=lines.line_of(entry.start()))
        set_arxiv_id(record, entry["id"])
        marks = " ".join([entry["rest"], *rows[:title]]).lower()
        if "cross-list" in marks:
            record.announcement = Announcement.CROSS_LIST
        elif "(replaced)" in marks:
            record.announcement = Announcement.REPLACEMENT
        else:
            record.announcement = page.section or Announcement.NEW
        used = title + _read_fields(rows[title:], record)
        abstract = [] if page.recent else _abstract(rows[used:])
        record.abstract = clean_text(" ".join(abstract)) if abstract else None
        if record.announcement == Announcement.NEW and page.day:
            record.published, record.published_precision = page.day, DatePrecision.DAY
        result.records.append(record)
        _read_headings(rows[used:], page)  # headings after it are for the next entries
    return result


def _read_headings(rows: list[str], page: _Page) -> None:
    """Note the section, day and kind of page that headings among these lines set."""
    for raw in rows:
        line = raw.strip()
        if section := _SECTION.match(line):
            page.section = _KINDS[section["kind"].split()[0].split("-")[0].lower()]
        elif day := _DAY_HEADING.match(line):
            page.day, page.recent = _date(day["date"]), True
        elif new_day := _NEW_DAY.match(line):
            page.day = _date(new_day["date"])
        elif _RECENT_PAGE.match(line):
            page.recent = True


def _read_fields(rows: list[str], record: ListingRecord) -> int:
    """Fill the record from its labelled lines (the first is `Title:`); how many there are.

    Recent pages print the authors without a label, on the line after the title; a line
    there on a page that does label them is the title wrapped."""
    fields: dict[str, Field] = {}
    current: Field | None = None
    unlabelled: Field | None = None
    position = 0
    while position < len(rows) and (rows[position] or _label_follows(rows, position)):
        line = rows[position]
        match = FIELD.match(line)
        name = match["name"].lower() if match else ""
        if not line:
            pass
        elif match and name in _FIELDS:
            current = Field(position, match["value"].strip())
            if name == "authors" and unlabelled is not None and fields["authors"] is unlabelled:
                fields["title"].value += f" {unlabelled.value}"  # it was the title, wrapped
                del fields["authors"]
            fields.setdefault(name, current)
        elif current is not None and not current.value:  # `Title:` alone, the title below
            current.value = line
        elif "title" in fields and "authors" not in fields and "subjects" not in fields:
            current = unlabelled = fields["authors"] = Field(position, line)
        elif current is not None and not _ends_subjects(fields, current):
            current.value = f"{current.value} {line}"
        else:
            break  # the abstract, run on without a blank line
        position += 1
    fill_record(record, fields)
    if "subjects" in fields:
        record.categories = subject_categories(fields["subjects"].value) or None
    return position


def _label_follows(rows: list[str], position: int) -> bool:
    """Whether the next line with text, past blank ones, is one of an entry's labels."""
    after = next((row for row in rows[position:] if row), "")
    match = FIELD.match(after)
    return match is not None and match["name"].lower() in _FIELDS - {"title"}


def _ends_subjects(fields: dict[str, Field], current: Field) -> bool:
    """Whether the subjects line is complete: it ends `(cs.CL)`, not `;` mid-list."""
    return fields.get("subjects") is current and current.value.rstrip().endswith(")")


def _abstract(rows: list[str]) -> list[str]:
    """The first paragraph after the labelled lines, short of any page heading."""
    kept: list[str] = []
    for line in rows[next((i for i, row in enumerate(rows) if row), len(rows)) :]:
        if not line or _CHROME.match(line) or _SECTION.match(line) or _DAY_HEADING.match(line):
            break
        kept.append(line)
    return kept


def _date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(" ".join(text.split()), pattern).date()
        except ValueError:
            continue
    return None
