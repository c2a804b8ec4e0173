"""The query language's filters as SQL conditions, portable to any database.

`status:` and `tag:` compile through the same helpers as `papershelf list`, so the
two agree. Every condition is written against a `paper_id` column rather than
`Paper.id`, so the search index can filter its own rows without joining the wide
paper table; `needs_paper_row` says when a filter reads paper columns after all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, not_, select, true
from sqlmodel import col

from models.search.query import Filter
from models.search.values import Bounds, LabCount, PaperRef
from models.shelf.lab import mean_rating_column, readers_column, status_count_column
from models.shelf.papers import has_tag, status_column, with_state
from models.store.tables import ColumnExpr, Note, Paper, PaperTag, ReadingState

Condition = ColumnElement[bool]
#: Filters that read the reader's state row, and those that read the paper row.
STATE_FIELDS = {"status", "rating"}
PAPER_ROW_FIELDS = {"year"}
PAPER_HAS = {("has", "title"), ("has", "abstract"), ("has", "venue")}


def needs_paper_row(filters: Iterable[Filter]) -> bool:
    return any(f.field in PAPER_ROW_FIELDS or (f.field, f.value) in PAPER_HAS for f in filters)


def needs_state(filters: Iterable[Filter]) -> bool:
    return any(f.field in STATE_FIELDS or (f.field, f.value) == ("has", "rating") for f in filters)


def apply_filters(
    statement: Select, filters: list[Filter], *, reader_id: int, paper_id: ColumnExpr
) -> Select:
    """`statement` with the reader's state joined when needed and every filter applied."""
    if needs_state(filters):
        statement = with_state(statement, reader_id, paper_id)
    conditions = [filter_condition(f, reader_id=reader_id, paper_id=paper_id) for f in filters]
    return statement.where(*conditions)


def filter_condition(item: Filter, *, reader_id: int, paper_id: ColumnExpr) -> Condition:
    """The SQL condition of one filter; a negated one holds where the filter does not.

    `-rating:>=4` keeps unrated papers and `-year:2024` undated ones: NULL counts as
    not matching, so its negation matches.
    """
    condition = CONDITIONS[item.field](item.value, reader_id, paper_id)
    return not_(func.coalesce(condition, false())) if item.negated else condition


def _status(value: str, reader_id: int, paper_id: ColumnExpr) -> Condition:
    return status_column(reader_id) == value


def _tag(value: str, reader_id: int, paper_id: ColumnExpr) -> Condition:
    return has_tag(reader_id, value, paper_id)


def _rating(value: Bounds, reader_id: int, paper_id: ColumnExpr) -> Condition:
    return _between(col(ReadingState.rating), value.low, value.high)


def _year(value: Bounds, reader_id: int, paper_id: ColumnExpr) -> Condition:
    low = date(value.low, 1, 1) if value.low is not None else None
    below = date(value.high + 1, 1, 1) if value.high is not None else None
    conditions: list[Condition] = [col(Paper.published).is_not(None)]
    if low:
        conditions.append(col(Paper.published) >= low)
    if below:
        conditions.append(col(Paper.published) < below)
    return and_(*conditions)


def _has(value: str, reader_id: int, paper_id: ColumnExpr) -> Condition:
    if value == "notes":
        return exists(
            select(col(Note.id)).where(
                col(Note.paper_id) == paper_id, col(Note.reader_id) == reader_id
            )
        )
    if value == "tags":
        return exists(
            select(col(PaperTag.tag_id)).where(
                col(PaperTag.paper_id) == paper_id, col(PaperTag.reader_id) == reader_id
            )
        )
    if value == "rating":
        return col(ReadingState.rating).is_not(None)
    column = getattr(Paper, value)
    return and_(column.is_not(None), column != "")


def _paper_ref(value: PaperRef, reader_id: int, paper_id: ColumnExpr) -> Condition:
    if value.paper_id is not None:
        return paper_id == value.paper_id
    named = select(col(Paper.id)).where(col(Paper.arxiv_id) == value.arxiv_id).scalar_subquery()
    return paper_id == named


def _lab(value: LabCount, reader_id: int, paper_id: ColumnExpr) -> Condition:
    if value.metric == "readers":
        counted = readers_column(paper_id)
    elif value.metric == "rating":
        counted = mean_rating_column(paper_id)
    else:
        counted = status_count_column(value.metric, paper_id)
    return counted.op(value.operator, is_comparison=True)(value.number)


def _among(value: tuple[int, ...], reader_id: int, paper_id: ColumnExpr) -> Condition:
    """Only these papers: not in the language, for callers asking about a page of rows."""
    return paper_id.in_(value)


def _between(column: ColumnExpr, low: int | None, high: int | None) -> Condition:
    conditions = [column >= low] if low is not None else []
    if high is not None:
        conditions.append(column <= high)
    return and_(*conditions) if conditions else true()


CONDITIONS: dict[str, Callable[[Any, int, ColumnExpr], Condition]] = {
    "status": _status,
    "tag": _tag,
    "rating": _rating,
    "year": _year,
    "has": _has,
    "id": _paper_ref,
    "lab": _lab,
    "among": _among,
}
