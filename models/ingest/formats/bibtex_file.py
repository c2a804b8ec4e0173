"""BibTeX files (`.bib`), read with bibtexparser, into the importer's merge rules.

Each entry becomes one record: title, authors (`Last, First` or `First Last`),
abstract, the arXiv id from `eprint` (or `arxivid`, an arxiv.org URL, an "arXiv
preprint arXiv:ID" journal, DBLP's `CoRR` volume `abs/ID`), DOI, a full date when
the entry gives one, venue and primary class. LaTeX accents and escapes become
plain text. Tags (`keywords`) are a reader's state, not the paper's, and are not
imported.
"""

from __future__ import annotations

import re
from datetime import date

from models.core.keys import ARXIV_ID, parse_arxiv_id, parse_doi
from models.core.latex import latex_to_text
from models.core.text import clean_text
from models.core.values import DatePrecision
from models.ingest.record import LineIndex, ListingRecord, ParsedListing, ParseOptions, Rejected

NAME = "bibtex"
DESCRIPTION = "BibTeX file: @article/@misc/... entries (eprint, doi, abstract)"

_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(rf"arxiv[:/\s]*(?:abs/)?({ARXIV_ID}(?:v\d+)?)", re.IGNORECASE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april")]
        + [("may",), ("jun", "june"), ("jul", "july"), ("aug", "august")]
        + [("sep", "sept", "september"), ("oct", "october"), ("nov", "november")]
        + [("dec", "december")],
        start=1,
    )
    for name in names
}


def sniff(text: str) -> int:
    """Sure of BibTeX when entries start lines (`@article{key,`)."""
    kinds = [m[1].lower() for m in _ENTRY.finditer(text[:200_000])]
    entries = sum(1 for kind in kinds if kind not in _NOT_ENTRIES)
    return 200 + min(entries, 50) if entries else 0


def parse(text: str, options: ParseOptions) -> ParsedListing:
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    database = parser.parse(text)
    lines = _entry_lines(text)
    result = ParsedListing()
    for entry in database.entries:
        starts = lines.get(entry.get("ID", ""))
        line = starts.pop(0) if starts else 1
        record = _record(entry, line)
        if record.is_empty():
            key = entry.get("ID") or "?"
            result.rejected.append(Rejected(line, f"{key}: no title, abstract, arXiv id or DOI"))
        else:
            result.records.append(record)
    # bibtexparser drops an entry it cannot read (a file cut off mid-entry, unbalanced
    # braces) without a word; an entry start it did not return is one of those.
    for key, starts in lines.items():
        for line in starts:
            reason = f"{key or '?'}: entry not read (cut off, or its braces do not balance)"
            result.rejected.append(Rejected(line, reason))
    result.rejected.sort(key=lambda rejected: rejected.line)
    return result


def _entry_lines(text: str) -> dict[str, list[int]]:
    """The line each entry key starts on (a key used twice keeps both, in order)."""
    index = LineIndex(text)
    lines: dict[str, list[int]] = {}
    for match in _ENTRY.finditer(text):
        if match[1].lower() not in _NOT_ENTRIES:
            lines.setdefault(match[2], []).append(index.line_of(match.start()))
    return lines


def _text(entry: dict[str, str], *names: str) -> str | None:
    """The first of these fields the entry has, as one line of plain text."""
    for name in names:
        value = clean_text(latex_to_text(entry.get(name, "")))
        if value:
            return value
    return None


def _record(entry: dict[str, str], line: int) -> ListingRecord:
    record = ListingRecord(
        line=line,
        title=_text(entry, "title"),
        abstract=_text(entry, "abstract"),
        authors=_authors(entry.get("author", "")) or None,
    )
    arxiv = _arxiv(entry)
    if arxiv:
        record.arxiv_id, record.arxiv_version = arxiv
    record.doi = parse_doi(entry.get("doi", "")) or parse_doi(entry.get("url", ""))
    record.published = _date(entry)
    record.published_precision = DatePrecision.DAY if record.published else None
    venue = _text(entry, "journal", "booktitle", "note")
    if venue and not re.match(r"(arxiv|corr)\b", venue, re.IGNORECASE):
        record.venue = venue
    primary = _text(entry, "primaryclass")
    record.categories = [primary] if primary else None
    return record


def _authors(field: str) -> list[str]:
    """`A and B and others` as display names, each `First von Last, Jr`."""
    from bibtexparser.customization import InvalidName, splitname

    names = []
    for raw in split_author_field(field):
        if raw.strip().lower() == "others":
            continue
        try:
            parts = splitname(raw, strict_mode=False)
        except InvalidName:
            parts = {"last": [raw]}
        words = parts.get("first", []) + parts.get("von", []) + parts.get("last", [])
        name = " ".join(words) + "".join(f", {jr}" for jr in parts.get("jr", []))
        cleaned = clean_text(latex_to_text(name))
        if cleaned:
            names.append(cleaned)
    return names


def split_author_field(field: str) -> list[str]:
    """Split on ` and ` outside braces, as BibTeX does."""
    parts, depth, start = [], 0, 0
    for position, char in enumerate(field):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isspace():
            match = _AND.match(field, position)
            if match and match.start() == position:
                parts.append(field[start:position])
                start = match.end()
    parts.append(field[start:])
    return [part for part in (p.strip() for p in parts) if part]


def _arxiv(entry: dict[str, str]) -> tuple[str, int | None] | None:
    prefix = entry.get("archiveprefix", "arxiv").strip().lower()
    candidates = [entry.get("eprint", "")] if prefix == "arxiv" else []
    candidates += [entry.get("arxivid", ""), entry.get("arxiv", "")]
    if entry.get("journal", "").strip().lower() == "corr":
        candidates.append(entry.get("volume", "").removeprefix("abs/"))
    for candidate in candidates:
        parsed = parse_arxiv_id(candidate) if candidate else None
        if parsed:
            return parsed
    for name in ("url", "journal", "note"):
        match = _ARXIV_IN_TEXT.search(entry.get(name, ""))
        if match:
            return parse_arxiv_id(match[1])
    return None


def _date(entry: dict[str, str]) -> date | None:
    """A full date from `date` (ISO) or `year`, `month` and `day`; None for less."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry.get("date", "").strip()):
            return date.fromisoformat(entry["date"].strip())
        month_text = entry.get("month", "").strip().lower()
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
        year, day = entry.get("year", "").strip(), entry.get("day", "").strip()
        if month and year.isdigit() and day.isdigit():
            return date(int(year), month, int(day))
    except ValueError:
        return None
    return None
