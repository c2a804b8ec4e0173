"""The library's tables: the bibliographic record apart from each reader's own state.

A paper (`Paper`) is what a listing says about it. What a reader thinks of it
(`ReadingState`, `PaperTag`, `Note`, `StatusChange`) is keyed by reader and paper,
so a shared library with several readers needs no schema change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    DateTime,
    Dialect,
    Index,
    Table,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped
from sqlmodel import Field, SQLModel

from models.core.times import as_utc
from models.core.values import Status


class UTCDateTime(TypeDecorator[datetime]):
    """A time stored as UTC and always handed back timezone-aware (SQLite keeps no zone,
    so its values come back naive; they are UTC by construction and marked so here)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment = as_utc(value)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def _utc(**field: Any) -> Any:
    """A timezone-aware UTC time column."""
    return Field(sa_type=UTCDateTime, **field)  # type: ignore[call-overload]


class PaperBase(SQLModel):
    """The bibliographic fields a listing can carry: the one list of them.

    Every other shape of a paper derives from this class: the parser record
    (`ListingRecord`), the fields a merge may fill, the JSON view and the backup.
    Their order is the order the JSON view and backups write them in.
    """

    arxiv_id: str | None = Field(default=None, max_length=64)
    arxiv_version: int | None = None
    doi: str | None = Field(default=None, max_length=255)
    title: str | None = None
    abstract: str | None = None
    authors: list[str] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    #: The authors with their structure (`models.names.PersonName`), beside the display names.
    author_names: list[dict[str, str]] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True))
    )
    n_authors: int | None = None
    published: date | None = None
    published_precision: str | None = Field(default=None, max_length=16)
    venue: str | None = None
    #: The arXiv comment line ("10 pages, 3 figures, ICML 2024"), apart from the venue.
    comment: str | None = None
    upvotes: int | None = None
    categories: list[str] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))


#: The bibliographic field names, from `PaperBase`; a merge may fill any of them.
PAPER_FIELDS: tuple[str, ...] = tuple(PaperBase.model_fields)


def _not_null(column: str) -> dict:
    """Index only rows that have the column (SQLite and PostgreSQL both can)."""
    condition = text(f"{column} IS NOT NULL")
    return {"sqlite_where": condition, "postgresql_where": condition}


class Paper(PaperBase, table=True):
    """One paper, however many listings named it."""

    __table_args__ = (
        UniqueConstraint("arxiv_id", name="uq_paper_arxiv_id"),
        # Partial: most papers lack some key, and a big import should not index NULLs.
        Index("ix_paper_doi_key", "doi_key", **_not_null("doi_key")),
        Index("ix_paper_title_key", "title_key", **_not_null("title_key")),
        Index("ix_paper_abstract_key", "abstract_key", **_not_null("abstract_key")),
        Index("ix_paper_published", "published"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Normalised keys that find duplicates through indexes instead of comparisons.
    doi_key: str | None = Field(default=None, max_length=255)
    title_key: str | None = None
    abstract_key: str | None = Field(default=None, max_length=40)
    #: `vaswani2017attention` before any `b`, `c` suffix: stored so keys need no recomputing.
    citation_key: str | None = Field(default=None, max_length=255, index=True)
    added_at: datetime = _utc()
    updated_at: datetime = _utc()


class SourceFile(SQLModel, table=True):
    """A listing file imported into the library: its path, format and first import."""

    __tablename__ = "source_file"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)
    format: str = Field(max_length=32)
    imported_at: datetime = _utc()


class PaperSource(SQLModel, table=True):
    """A listing file that named a paper, and the line where it did."""

    __tablename__ = "paper_source"

    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE", primary_key=True)
    source_id: int = Field(foreign_key="source_file.id", ondelete="CASCADE", primary_key=True)
    line: int | None = None


class Reader(SQLModel, table=True):
    """Someone who reads papers in this library; by default the login name."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, unique=True)


class ReadingState(SQLModel, table=True):
    """One reader's status and rating of one paper. No row means status `new`."""

    __tablename__ = "reading_state"
    __table_args__ = (Index("ix_reading_state_status", "reader_id", "status"),)

    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE", primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE", primary_key=True)
    status: str = Field(default=Status.NEW, max_length=16)
    rating: int | None = None
    updated_at: datetime = _utc()


class StatusChange(SQLModel, table=True):
    """When a reader moved a paper from one status to another: the reading history."""

    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_paper", "reader_id", "paper_id"),)

    id: int | None = Field(default=None, primary_key=True)
    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    old_status: str = Field(max_length=16)
    new_status: str = Field(max_length=16)
    changed_at: datetime = _utc()


class Tag(SQLModel, table=True):
    """A tag name, shared by every reader who uses it."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, unique=True)


class PaperTag(SQLModel, table=True):
    """A reader's tag on a paper."""

    __tablename__ = "paper_tag"
    __table_args__ = (Index("ix_paper_tag_tag", "reader_id", "tag_id"),)

    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE", primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", ondelete="CASCADE", primary_key=True)
    tagged_at: datetime = _utc()


class Note(SQLModel, table=True):
    """A dated Markdown note a reader wrote on a paper."""

    __table_args__ = (Index("ix_note_paper", "reader_id", "paper_id"),)

    id: int | None = Field(default=None, primary_key=True)
    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    body: str = ""
    created: datetime = _utc()
    updated: datetime = _utc()
    #: Shown to the library's other readers, under this reader's name (migration 0007).
    shared: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Watch(SQLModel, table=True):
    """A reader's saved search: a name for a query in the search language."""

    __table_args__ = (UniqueConstraint("reader_id", "name", name="uq_watch_reader_name"),)

    id: int | None = Field(default=None, primary_key=True)
    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE")
    name: str = Field(max_length=128)
    query: str
    created_at: datetime = _utc()


class FetchValidator(SQLModel, table=True):
    """What a feed last said about its content (ETag, Last-Modified), for conditional requests.

    Kept in the library, not beside it: "not modified" is only true for the library that
    merged the last answer, and it is written in the same transaction as that merge."""

    __tablename__ = "fetch_validator"

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime = _utc()


#: A column as queries take it: a Core column, or a model attribute wrapped in `col()`.
ColumnExpr = ColumnElement[Any] | Mapped[Any]


def table_of(model: Any) -> Table:
    """The Core table behind a table model, for set-based SQL (bulk writes, raw reads)."""
    return model.__table__
