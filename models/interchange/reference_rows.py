"""The papers a reference export needs, as plain rows: only the columns it writes and the
reader's tags, two queries a chunk, no ORM objects (which cost an export of 10,000 papers
more than writing it). JSON and date columns are read as text and converted here with
the C-speed `json.loads` and `date.fromisoformat`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlmodel import Session, col

from models.core.keys import paper_url
from models.store.bulk import chunked
from models.store.tables import Paper, PaperTag, Tag, table_of

PAPER = table_of(Paper)
TEXT_COLUMNS = ("arxiv_id", "doi", "title", "abstract", "published_precision", "venue")
JSON_COLUMNS = ("authors", "author_names", "categories")


@dataclass
class PaperRow:
    """The columns of a paper that reference formats write."""

    id: int
    arxiv_id: str | None
    doi: str | None
    title: str | None
    abstract: str | None
    published_precision: str | None
    venue: str | None
    authors: list[str] | None
    author_names: list[dict[str, str]] | None
    categories: list[str] | None
    published: date | None


@dataclass
class ReferenceView:
    """What `PaperView` offers the reference writers: `.paper` and `.tags`."""

    paper: PaperRow
    tags: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.paper.id

    @property
    def url(self) -> str | None:
        return paper_url(self.paper.arxiv_id, self.paper.doi)


def _columns() -> list[Any]:
    columns: list[Any] = [PAPER.c.id] + [PAPER.c[name] for name in TEXT_COLUMNS]
    columns += [type_coerce(PAPER.c[name], String) for name in (*JSON_COLUMNS, "published")]
    return columns


def _row(values: Sequence[Any]) -> PaperRow:
    *head, authors, names, categories, published = values
    tail = [_json(authors), _json(names), _json(categories), _date(published)]
    return PaperRow(*head, *tail)


def _json(value: Any) -> Any:
    """SQLite hands JSON columns read as text back as text; PostgreSQL's driver decodes them."""
    return json.loads(value) if isinstance(value, str) else value or None


def _date(value: Any) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def reference_views(
    session: Session, *, reader_id: int, ids: Sequence[int]
) -> Iterator[ReferenceView]:
    """These papers in this order, a chunk at a time."""
    columns = _columns()
    for chunk in chunked(ids):
        found = session.execute(select(*columns).where(PAPER.c.id.in_(chunk))).all()
        rows = {values[0]: _row(values) for values in found}
        tags: dict[int, list[str]] = defaultdict(list)
        statement = (
            select(col(PaperTag.paper_id), col(Tag.name))
            .join(Tag, Tag.id == PaperTag.tag_id)  # type: ignore[arg-type]
            .where(col(PaperTag.reader_id) == reader_id, col(PaperTag.paper_id).in_(chunk))  # type: ignore[attr-defined]
            .order_by(Tag.name)
        )
        for paper_id, name in session.execute(statement).all():
            tags[paper_id].append(name)
        for paper_id in chunk:
            if paper_id in rows:
                yield ReferenceView(rows[paper_id], tags.get(paper_id, []))
