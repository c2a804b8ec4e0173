"""The values filters take: `status:to-read`, `rating:>=4`, `year:2023..2025`, `has:notes`, ...

Each parser returns what the search compiles, or raises ValueError with a message
for the user; the query parser adds where in the query the value stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from models.core.fields import MAX_ID, YEARS
from models.core.keys import parse_arxiv_id
from models.core.values import RATINGS, clean_tag, parse_status

HAS_VALUES = ("notes", "tags", "rating", "title", "abstract", "venue")
_COMPARISON = re.compile(r"(>=|<=|>|<|=)?(.*)")


@dataclass(frozen=True)
class Bounds:
    """Whole numbers from `low` to `high`, both included; None leaves that side open."""

    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class PaperRef:
    """A paper named by `id:`: an internal id or an arXiv id."""

    paper_id: int | None = None
    arxiv_id: str | None = None


@dataclass(frozen=True)
class LabCount:
    """A `lab:` filter: how many readers have the paper (`readers`), have it at a status,
    or what their mean rating is (`rating`), compared with a number."""

    metric: str
    operator: str
    number: float


LAB_METRICS = ("readers", "rating", "to-read", "reading", "read", "skipped")
_LAB = re.compile(r"([a-z-]+)(?:(>=|<=|>|<|=)(.*))?")


def parse_value(name: str, text: str) -> object:
    """The checked value of filter `name` (not `author` or `venue`: those are text)."""
    return PARSERS[name](text)


def parse_rating_bounds(text: str) -> Bounds:
    bounds = _bounds(text, _rating_number)
    low = RATINGS.start if bounds.low is None else bounds.low
    high = RATINGS.stop - 1 if bounds.high is None else bounds.high
    if low > RATINGS.stop - 1 or high < RATINGS.start or low > high:
        raise ValueError(f"rating:{text} matches no rating (ratings are 1-5)")
    return bounds


def parse_year_bounds(text: str) -> Bounds:
    return _bounds(text, _year_number)


def parse_has(text: str) -> str:
    value = text.lower()
    if value not in HAS_VALUES:
        raise ValueError(f"has: takes one of {', '.join(HAS_VALUES)}, not {text!r}")
    return value


def parse_paper_ref(text: str) -> PaperRef:
    if _is_number(text):
        if len(text) > 10 or int(text) > MAX_ID:
            raise ValueError(f"id: paper numbers go up to {MAX_ID}, not {text[:20]}")
        return PaperRef(paper_id=int(text))
    parsed = parse_arxiv_id(text)
    if parsed is None:
        raise ValueError(f"id: takes an arXiv id (2502.19178) or a paper number, not {text!r}")
    return PaperRef(arxiv_id=parsed[0])


def parse_lab(text: str) -> LabCount:
    """`readers>=3`, `read>=2`, `rating>=4`; a metric alone means at least one reader."""
    match = _LAB.fullmatch(text.lower())
    metric = match[1] if match else ""
    if match is None or metric not in LAB_METRICS:
        raise ValueError(f"lab: takes one of {', '.join(LAB_METRICS)}, as in lab:read>=2")
    if match[2] is None:
        return LabCount(metric, ">=", 1)
    try:
        number = float(match[3])
    except ValueError:
        raise ValueError(
            f"lab:{metric} needs a number after {match[2]}, not {match[3]!r}"
        ) from None
    return LabCount(metric, match[2], number)


def _bounds(text: str, number: Callable[[str], int]) -> Bounds:
    """`4`, `=4`, `>=4`, `>4`, `<=4`, `<4`, `2..4`, `2..`, `..4` as bounds."""
    if ".." in text:
        low_text, _, high_text = text.partition("..")
        if not (low_text or high_text):
            raise ValueError(f"{text!r} needs a number on at least one side of '..'")
        low = number(low_text) if low_text else None
        high = number(high_text) if high_text else None
        if low is not None and high is not None and low > high:
            raise ValueError(f"the range {text} goes backwards; write {high}..{low}")
        return Bounds(low, high)
    comparison = _COMPARISON.fullmatch(text)
    assert comparison is not None  # the pattern matches any text
    operator, value = comparison.groups()
    value = number(value)
    return {
        None: Bounds(value, value),
        "=": Bounds(value, value),
        ">=": Bounds(value, None),
        ">": Bounds(value + 1, None),
        "<=": Bounds(None, value),
        "<": Bounds(None, value - 1),
    }[operator]


def _is_number(text: str) -> bool:
    """ASCII digits only: `²` and other Unicode digits are digits to `isdigit`, not to `int`."""
    return text.isascii() and text.isdigit()


def _rating_number(text: str) -> int:
    if not _is_number(text) or len(text) > 3:
        raise ValueError(f"rating: needs a whole number 1-5, not {text[:20]!r}")
    return int(text)


def _year_number(text: str) -> int:
    if not (_is_number(text) and len(text) == 4):
        raise ValueError(f"year: needs a four-digit year, not {text[:20]!r}")
    if int(text) not in YEARS:
        raise ValueError(f"year: {text} is out of range ({YEARS[0]}-{YEARS[-1]})")
    return int(text)


def _status(text: str) -> str:
    return parse_status(text).value


PARSERS: dict[str, Callable[[str], object]] = {
    "status": _status,
    "tag": clean_tag,
    "rating": parse_rating_bounds,
    "year": parse_year_bounds,
    "has": parse_has,
    "id": parse_paper_ref,
    "lab": parse_lab,
}
EXAMPLES = {
    "status": "status:to-read",
    "tag": "tag:rl",
    "rating": "rating:>=4",
    "year": "year:2024 or year:2023..2025",
    "has": "has:notes",
    "id": "id:2502.19178",
    "author": "author:Chen",
    "venue": "venue:KDD",
    "lab": "lab:read>=2",
}
