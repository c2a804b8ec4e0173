"""Deleting papers, and putting them back exactly: every row that hangs off a paper (its
sources, every reader's state, history, tags and notes) is kept, so undo restores the ids
and all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, func, select, text
from sqlmodel import Session

from models.store.search_index import index_papers, is_available
from models.store.tables import (
    Note,
    Paper,
    PaperSource,
    PaperTag,
    ReadingState,
    StatusChange,
    table_of,
)

#: Tables holding a paper's rows, parents first (the order they go back in).
PAPER_TABLES = [Paper, PaperSource, ReadingState, StatusChange, PaperTag, Note]


@dataclass
class RemovedPapers:
    """The rows of deleted papers, table by table."""

    paper_ids: list[int]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def newest_paper_id(session: Session) -> int:
    """The highest paper id (0 for an empty library): new papers get higher ones."""
    return session.execute(select(func.max(table_of(Paper).c.id))).scalar() or 0


def paper_ids_above(session: Session, paper_id: int) -> list[int]:
    """The papers added since `paper_id` was the newest: what an import added."""
    ids = table_of(Paper).c.id
    return list(session.execute(select(ids).where(ids > paper_id).order_by(ids)).scalars())


def delete_papers(session: Session, *, paper_ids: Sequence[int]) -> RemovedPapers:
    """Delete these papers with everything that hangs off them; what `restore_papers` needs."""
    ids = list(paper_ids)
    removed = RemovedPapers(ids)
    for model in PAPER_TABLES:
        table = table_of(model)
        key = "id" if model is Paper else "paper_id"
        # Untyped SQL: the values come back as stored, so they go back byte for byte.
        rows = text(f'SELECT * FROM "{table.name}" WHERE "{key}" IN :ids')
        rows = rows.bindparams(bindparam("ids", expanding=True))
        removed.rows[table.name] = [
            dict(row) for row in session.execute(rows, {"ids": ids}).mappings()
        ]
    for model in reversed(PAPER_TABLES):
        table = table_of(model)
        key_column = table.c.id if model is Paper else table.c.paper_id
        session.execute(delete(table).where(key_column.in_(ids)))
    return removed


def restore_papers(session: Session, removed: RemovedPapers) -> None:
    """Put deleted papers back as they were, ids included, and in the search index."""
    for model in PAPER_TABLES:
        table = table_of(model)
        rows = removed.rows.get(table.name)
        if rows:
            names = list(rows[0])
            columns = ", ".join(f'"{name}"' for name in names)
            values = ", ".join(f":{name}" for name in names)
            session.execute(text(f'INSERT INTO "{table.name}" ({columns}) VALUES ({values})'), rows)
    if is_available(session):
        index_papers(session, removed.paper_ids)
