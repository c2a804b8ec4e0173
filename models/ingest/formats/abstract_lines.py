"""Bare `Abstract:` lines, one paper each: no title, no id, just the abstract.

Lines that follow an `Abstract:` line without starting a new one continue it (a
pasted abstract that was wrapped).
"""

from __future__ import annotations

import re

from models.core.text import clean_text
from models.ingest.formats.shape import field_share, is_data_file, is_prose
from models.ingest.record import ListingRecord, ParsedListing, ParseOptions, Rejected

NAME = "abstracts"
DESCRIPTION = "Abstract: lines, one paper per line"

_START = re.compile(r"^\s*Abstract\s*:\s?", re.IGNORECASE)


def sniff(text: str) -> int:
    """Sure when the text opens with an `Abstract:` line of prose and holds no data fields
    (a YAML `abstract: >-` key, a tagged record's `AB  - ` line are other formats)."""
    head = text[:200_000]
    lines = [line for line in head.split("\n") if line.strip()]
    if not lines or not _START.match(lines[0]) or is_data_file(head):
        return 0
    matches = [(line, _START.match(line)) for line in lines]
    starts = [line[match.end() :] for line, match in matches if match]
    others = [line for line, match in matches if not match]
    if field_share(others) > 0.2 or not any(is_prose(start) for start in starts):
        return 0
    return 60 + round(40 * len(starts) / len(lines))


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    current: tuple[int, list[str]] | None = None
    records: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        start = _START.match(line)
        if start:
            current = (number, [line[start.end() :]])
            records.append(current)
        elif line.strip():
            if current is None:
                result.rejected.append(Rejected(number, "text before the first 'Abstract:' line"))
                continue
            current[1].append(line)
    for number, parts in records:
        abstract = clean_text(" ".join(parts))
        if abstract:
            result.records.append(ListingRecord(line=number, abstract=abstract))
        else:
            result.rejected.append(Rejected(number, "empty abstract"))
    return result
