"""What every listing parser returns, and the text hygiene they all share."""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def path_label(path: os.PathLike | str) -> str:
    """A path as text that can be printed and stored: bytes of its name that are not
    UTF-8 (which Python keeps as lone surrogates) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


class ListingError(Exception):
    """A listing that cannot be read or parsed; shown as `FILE:LINE: reason`."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass
class ParseOptions:
    """What a parser may need beyond the text."""

    today: date
    #: The year for dates printed without one (Hugging Face pages); None infers it.
    year: int | None = None
    #: `@string` macros shared by the files of one import (a `bibtex_values.Macros`).
    macros: Any = None


@dataclass
class ListingRecord:
    """One paper as a listing gives it; fields the listing lacks stay None."""

    line: int
    title: str | None = None
    authors: list[str] | None = None
    author_names: list[dict[str, str]] | None = None
    n_authors: int | None = None
    abstract: str | None = None
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    doi: str | None = None
    published: date | None = None
    published_precision: str | None = None
    venue: str | None = None
    upvotes: int | None = None
    categories: list[str] | None = None
    #: The listing's own keywords: a reader's tags only when the import asks for it.
    keywords: list[str] | None = None
    #: Only to tell same-titled works apart (journal columns); not stored.
    volume: str | None = None

    def is_empty(self) -> bool:
        return not (self.title or self.abstract or self.arxiv_id or self.doi)


@dataclass
class Rejected:
    """A record a parser found but could not use: counted and reported, not imported."""

    line: int
    reason: str


@dataclass
class ParsedListing:
    """A parser's whole answer for one file."""

    records: list[ListingRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    #: Definitions the file holds for other files (BibTeX `@string` macros): a file of
    #: those alone is read, not refused for having no papers.
    definitions: int = 0


# ANSI/VT escape sequences (CSI, OSC, and two-character escapes such as ESC c, the
# full reset), then any other C0/C1 control character and the bidirectional
# embeddings, overrides and isolates that reorder how the rest of a line is shown.
# Listing text must never drive the terminal that shows it.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[0-~]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u200b\\u2028\\u2029\\ufeff{_BIDI}]")


def clean_text(text: str | None) -> str | None:
    """One line of displayable text: escapes and control characters gone, spaces folded."""
    if text is None:
        return None
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None  # the common case: one clean line already
    folded = " ".join(text.split())
    if not folded.isprintable():  # rare: only then pay for the regexes
        folded = " ".join(_CONTROLS.sub(" ", _ESCAPES.sub("", text)).split())
    return folded or None


def clean_block(text: str) -> str:
    """Like `clean_text` but keeps line breaks (for notes and multi-line input)."""
    text = _ESCAPES.sub("", text).replace("\t", "    ")
    return re.sub(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ufeff{_BIDI}]", "", text)


class LineIndex:
    """Turns character offsets in a text into 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def paragraphs(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (first line number, stripped non-empty lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks
