"""The values a reader's state takes: statuses, ratings, tags, and how text becomes them."""

from __future__ import annotations

import string
from enum import StrEnum

from models.core.text import clean_block, clean_text


class Status(StrEnum):
    """Where a paper stands in one reader's reading workflow."""

    NEW = "new"
    TO_READ = "to-read"
    READING = "reading"
    READ = "read"
    SKIPPED = "skipped"


class DatePrecision(StrEnum):
    """How much of a publication date the listing gave."""

    DAY = "day"
    #: The listing gave a year and month (`published` holds the month's first day).
    MONTH = "month"
    #: The listing gave a year only (`published` holds 1 January).
    YEAR = "year"
    #: The listing gave month and day; the year was inferred.
    YEAR_INFERRED = "year-inferred"


RATINGS = range(1, 6)
#: Limits that keep every screen of the app quick to draw and every change quick to write.
MAX_TAG_CHARS = 128
MAX_TAGS_PER_PAPER = 100
MAX_NOTE_CHARS = 100_000


class InvalidValue(ValueError):
    """A status, rating, tag or note the library does not accept; the message says why."""


def parse_status(text: str) -> Status:
    """`to-read`, `to_read`, `toread` and `TO READ` are all `to-read`."""
    folded = text.strip().lower().replace("_", "-").replace(" ", "-")
    aliases = {"toread": "to-read", "todo": "to-read", "skip": "skipped", "done": "read"}
    folded = aliases.get(folded, folded)
    try:
        return Status(folded)
    except ValueError:
        known = ", ".join(status.value for status in Status)
        raise InvalidValue(f"unknown status {text!r} (one of: {known})") from None


def parse_rating(value: int | str) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        raise InvalidValue(f"rating must be a whole number 1-5, not {value!r}") from None
    if rating not in RATINGS:
        raise InvalidValue(f"rating must be 1-5, not {rating}")
    return rating


def clean_tag(name: str) -> str:
    tag = clean_text(name) or ""
    if not tag:
        raise InvalidValue("a tag needs a name")
    if len(tag) > MAX_TAG_CHARS:
        raise InvalidValue(f"a tag name has at most {MAX_TAG_CHARS} characters")
    return tag


def clean_note(body: str) -> str:
    """A note's text as stored: escapes and controls gone, at most `MAX_NOTE_CHARS`."""
    if len(body) > 4 * MAX_NOTE_CHARS:  # refuse before cleaning megabytes
        raise InvalidValue(f"a note has at most {MAX_NOTE_CHARS} characters")
    note = clean_block(body).rstrip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidValue(f"a note has at most {MAX_NOTE_CHARS} characters")
    return note


_ASCII_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def fold_tag(name: str) -> str:
    """The tag case rule: two names are one tag when they match ignoring ASCII case, which
    is how SQLite's lower() compares them in `same_tag` ('À' and 'à' stay two tags)."""
    return name.translate(_ASCII_FOLD)
