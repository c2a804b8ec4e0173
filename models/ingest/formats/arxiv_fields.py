"""The labelled fields arXiv prints for a paper, shared by its listing pages and e-mails.

Both print `Title:`, `Authors:`, `Comments:`, `Journal-ref:` and a category line
(`Subjects: Computation and Language (cs.CL); Machine Learning (cs.LG)` on pages,
`Categories: cs.CL cs.LG` in e-mails); a long value goes on over indented lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.core.keys import parse_arxiv_id, parse_doi
from models.core.text import clean_text
from models.ingest.record import ListingRecord

#: `Journal-ref: X`, `DOI: 10.x/y`, `MSC-class: 35Q`: a name, a colon, the value.
FIELD = re.compile(
    r"^(?P<name>[A-Z][A-Za-z]*(?:[- ][A-Za-z]+)*(?: \([^)]*\))?):[ \t]*(?P<value>.*)$"
)
_HIDDEN_AUTHORS = re.compile(r"\(\s*(\d+)\s+additional authors? not shown\s*\)", re.IGNORECASE)
_JAVASCRIPT = re.compile(r"You must enable JavaScript to view entire author list\.?", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_SUFFIX = re.compile(r"[JS]r\.?|II|III|IV")
_ET_AL = re.compile(r"(?:^|\s)et\.?\s*al\.?$", re.IGNORECASE)
_CATEGORY = re.compile(r"\(([a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?)\)\s*$")
_CATEGORY_WORD = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?")


@dataclass
class Field:
    """One labelled value and the line it starts on."""

    line: int
    value: str


def read_fields(rows: list[tuple[int, str]], names: set[str]) -> dict[str, Field]:
    """The known labelled fields among numbered lines; indented lines continue the last one.

    Names are compared in lower case; a line that is neither a known field nor a
    continuation ends nothing (arXiv adds labels now and then) but is not kept."""
    fields: dict[str, Field] = {}
    current: Field | None = None
    for number, text in rows:
        match = FIELD.match(text)
        if match and match["name"].lower() in names:
            current = Field(number, match["value"].strip())
            fields.setdefault(match["name"].lower(), current)
        elif match and not text[:1].isspace():
            current = None  # a label we do not read: its continuation is not ours either
        elif current is not None and text.strip():
            current.value = f"{current.value} {text.strip()}".strip()
    return fields


def split_authors(text: str) -> tuple[list[str], int]:
    """`A, B (MIT) and C, Jr.` as names, and how many more the listing left out."""
    hidden = sum(int(count) for count in _HIDDEN_AUTHORS.findall(text))
    text = _JAVASCRIPT.sub(" ", _HIDDEN_AUTHORS.sub(" ", text))
    names: list[str] = []
    for part in _SEPARATOR.split(_without_parentheses(text)):
        part = _ET_AL.sub("", part.strip()).strip()
        if _SUFFIX.fullmatch(part) and names:
            names[-1] = f"{names[-1]}, {part}"
        elif name := clean_text(part):
            names.append(name)
    return names, hidden


def _without_parentheses(text: str) -> str:
    """The text without parenthesised asides (affiliations), nested ones included."""
    kept, depth = [], 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif not depth:
            kept.append(char)
    return "".join(kept)


def subject_categories(text: str) -> list[str]:
    """`Computation and Language (cs.CL); Machine Learning (cs.LG)` as ['cs.CL', 'cs.LG']."""
    found = [match[1] for part in text.split(";") if (match := _CATEGORY.search(part.strip()))]
    return list(dict.fromkeys(found))


def listed_categories(text: str) -> list[str]:
    """`cs.CL cs.LG` as ['cs.CL', 'cs.LG']."""
    return list(dict.fromkeys(word for word in text.split() if _CATEGORY_WORD.fullmatch(word)))


def fill_record(record: ListingRecord, fields: dict[str, Field]) -> None:
    """Title, authors, comment, journal reference (the venue) and DOI from the fields."""
    if "title" in fields:
        record.title = clean_text(fields["title"].value)
    if "authors" in fields:
        names, hidden = split_authors(fields["authors"].value)
        record.authors = names or None
        record.n_authors = len(names) + hidden if names else None
    if "comments" in fields:
        record.comment = clean_text(fields["comments"].value)
    if "journal-ref" in fields:
        record.venue = clean_text(fields["journal-ref"].value)
    if "doi" in fields:
        record.doi = parse_doi(fields["doi"].value.split()[0]) if fields["doi"].value else None


def set_arxiv_id(record: ListingRecord, text: str) -> bool:
    """Give the record the arXiv id (and version) in `text`; False when it holds none."""
    parsed = parse_arxiv_id(text)
    if not parsed:
        return False
    record.arxiv_id, version = parsed
    record.arxiv_version = version if version else record.arxiv_version
    return True
