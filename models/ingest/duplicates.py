"""When two records that share a title (or an abstract) are still two works, and which of
two dates says more.

A title is not an identity: a journal's "Editorial Comments" column has one title in
every issue. Records that meet only on their text stay apart when both give a year and
the years differ, both give a volume and the volumes differ, or both name authors and
no family name is common to them.
"""

from __future__ import annotations

from typing import Any

from models.core.keys import fold
from models.core.names import family_name, split_display_names, structured_names
from models.core.values import DatePrecision

#: How much of a date each precision gives; more is better.
_DETAIL = {
    DatePrecision.YEAR_INFERRED: 0,
    DatePrecision.YEAR: 1,
    DatePrecision.MONTH: 2,
    DatePrecision.DAY: 3,
}


def _families(record: dict[str, Any]) -> set[str]:
    names = structured_names(record.get("authors"), record.get("author_names"))
    return {key for key in (fold(family_name(name)) for name in names) if key}


def contradicts(paper: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether a year, a volume or the authors say two same-titled records differ."""
    old, new = paper.get("published"), values.get("published")
    if old and new and old.year != new.year:
        inferred = DatePrecision.YEAR_INFERRED
        if inferred not in (paper.get("published_precision"), values.get("published_precision")):
            return True
    if paper.get("volume") and values.get("volume") and paper["volume"] != values["volume"]:
        return True
    if paper.get("authors") and values.get("authors"):
        ours, theirs = _families(paper), _families(values)
        if ours and theirs and not ours & theirs:
            return True
    return False


def finer_date(values: dict[str, Any], paper: dict[str, Any]) -> bool:
    """Whether the record's date says more than the paper's (a day beats a month or year,
    a year given beats one inferred); both must name a date."""
    if not values.get("published") or not paper.get("published"):
        return False
    new = _DETAIL.get(values.get("published_precision") or DatePrecision.DAY, 3)
    old = _DETAIL.get(paper.get("published_precision") or DatePrecision.DAY, 3)
    return new > old


def given_structure(paper: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether the record brings names with the structure its listing gave (a `.bib`
    `von Last, First`) for a paper whose names are only its display names split."""
    names, stored, authors = (
        values.get("author_names"),
        paper.get("author_names"),
        paper.get("authors"),
    )
    if not (names and stored and authors) or names == stored or len(names) != len(authors):
        return False
    guessed = split_display_names(authors)
    return stored == guessed and names != split_display_names(values.get("authors"))
