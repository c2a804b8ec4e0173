"""The one gate every paper's fields pass on their way in: cleaned, and kept in sane ranges.

Listings, `.bib` files, feeds and backups all reach the library through
`checked_fields`, so no source can store a terminal escape, a lone surrogate, or
a number the search index's keys cannot hold (see `models/store/search_index.py`:
a key is `(2**22 - day) * 2**32 + id`, so ids stay below 2**32 and dates in years
SQLite's `julianday` keeps under 2**22).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from models.core.text import clean_text, is_printable
from models.core.values import DatePrecision, InvalidValue

#: Paper and note ids: the search index's key holds 32 bits of id.
MAX_ID = (1 << 32) - 1
#: Publication years a paper may have; far inside what the index's day field holds.
YEARS = range(1000, 3000)
MAX_VERSION = 10_000
MAX_AUTHORS = 100_000  # the largest collaborations sign about 5,000
MAX_UPVOTES = 10**9
MAX_LINE = (1 << 31) - 1
#: Characters per text field: a title a screen can show, an abstract a page can hold.
TEXT_LIMITS = {
    "title": 2_000,
    "abstract": 1 << 20,  # a whole paper pasted as one line still imports
    "venue": 2_000,
    "arxiv_id": 64,
    "doi": 255,
}
MAX_NAME = 1_000  # one author's name or category
MAX_CATEGORIES = 100
_PRECISIONS = {precision.value for precision in DatePrecision}
_COUNTS = (
    ("arxiv_version", 1, MAX_VERSION),
    ("n_authors", 0, MAX_AUTHORS),
    ("upvotes", 0, MAX_UPVOTES),
)
#: Every field `checked_fields` looks at: a caller may pass these alone.
CHECKED_FIELDS = (
    *TEXT_LIMITS,
    "authors",
    "categories",
    *(name for name, _, _ in _COUNTS),
    "published",
    "published_precision",
)


class FieldError(InvalidValue):
    """A field whose value no paper can have; the message names the field."""


def checked_int(value: Any, name: str, low: int, high: int) -> int:
    """A whole number in `low..high`, else FieldError naming the field."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise FieldError(f"{name} is not a whole number")
    if not low <= value <= high:
        raise FieldError(f"{name} {_short(value)} is out of range ({low}-{high})")
    return value


def checked_date(value: date, name: str = "date") -> date:
    if value.year not in YEARS:
        raise FieldError(f"{name} {value.isoformat()} is out of range ({YEARS[0]}-{YEARS[-1]})")
    return value


def checked_text(value: Any, name: str, limit: int) -> str | None:
    """One line of clean text at most `limit` characters long (None when empty)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError(f"{name} is not text")
    if len(value) > 4 * limit:  # refuse before cleaning a megabyte
        raise FieldError(f"{name} is longer than {limit} characters")
    cleaned = clean_text(value)
    if cleaned is not None and len(cleaned) > limit:
        raise FieldError(f"{name} is longer than {limit} characters")
    return cleaned


def _names(value: Any, name: str, most: int) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise FieldError(f"{name} is not a list")
    if len(value) > most:
        raise FieldError(f"{name}: more than {most}")
    if all(_is_clean(item, MAX_NAME) for item in value):
        return value or None
    names = [checked_text(item, name, MAX_NAME) for item in value]
    return [item for item in names if item] or None


def _is_clean(value: Any, limit: int) -> bool:
    """The common case, decided without a call per check: printable text within the limit
    (not printable: every control, escape, bidi override and surrogate)."""
    return type(value) is str and 0 < len(value) <= limit and is_printable(value)


def checked_fields(values: dict[str, Any]) -> dict[str, Any]:
    """A paper's bibliographic fields cleaned and range-checked; FieldError if one cannot be."""
    fields = dict(values)
    for name, limit in TEXT_LIMITS.items():
        value = fields.get(name)
        if value is not None and not _is_clean(value, limit):
            fields[name] = checked_text(value, name, limit)
    for name in ("authors", "categories"):
        if fields.get(name) is not None:
            fields[name] = _names(
                fields[name], name, MAX_AUTHORS if name == "authors" else MAX_CATEGORIES
            )
    for name, low, high in _COUNTS:
        value = fields.get(name)
        if value is not None and not (type(value) is int and low <= value <= high):
            checked_int(value, name, low, high)
    published = fields.get("published")
    if published is not None and published.year not in YEARS:
        checked_date(published, "published")
    precision = fields.get("published_precision")
    if precision is not None and precision not in _PRECISIONS:
        raise FieldError(f"published_precision {clean_text(str(precision))!r} is unknown")
    return fields


def _short(value: int) -> str:
    """A number as a message can show it, even one of thousands of digits."""
    if value.bit_length() > 64:
        return f"of {value.bit_length()} bits"
    return str(value)
