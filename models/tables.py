"""The library's tables: the bibliographic record apart from each reader's own state.

A paper (`Paper`) is what a listing says about it. What a reader thinks of it
(`ReadingState`, `PaperTag`, `Note`, `StatusChange`) is keyed by reader and paper,
so a shared library with several readers needs no schema change.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


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
    #: The listing gave month and day; the year was inferred.
    YEAR_INFERRED = "year-inferred"


class PaperBase(SQLModel):
    """The bibliographic fields a listing can carry."""

    arxiv_id: str | None = Field(default=None, max_length=64)
    arxiv_version: int | None = None
    doi: str | None = Field(default=None, max_length=255)
    title: str | None = None
    authors: list[str] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))
    n_authors: int | None = None
    abstract: str | None = None
    published: date | None = None
    published_precision: str | None = Field(default=None, max_length=16)
    venue: str | None = None
    upvotes: int | None = None
    categories: list[str] | None = Field(default=None, sa_column=Column(JSON(none_as_null=True)))


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
    added_at: datetime
    updated_at: datetime


class SourceFile(SQLModel, table=True):
    """A listing file imported into the library: its path, format and first import."""

    __tablename__ = "source_file"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)
    format: str = Field(max_length=32)
    imported_at: datetime


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
    updated_at: datetime


class StatusChange(SQLModel, table=True):
    """When a reader moved a paper from one status to another: the reading history."""

    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_paper", "reader_id", "paper_id"),)

    id: int | None = Field(default=None, primary_key=True)
    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    old_status: str = Field(max_length=16)
    new_status: str = Field(max_length=16)
    changed_at: datetime


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
    tagged_at: datetime


class Note(SQLModel, table=True):
    """A dated Markdown note a reader wrote on a paper."""

    __table_args__ = (Index("ix_note_paper", "reader_id", "paper_id"),)

    id: int | None = Field(default=None, primary_key=True)
    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    body: str = ""
    created: datetime
    updated: datetime


class Watch(SQLModel, table=True):
    """A reader's saved search: a name for a query in the search language."""

    __table_args__ = (UniqueConstraint("reader_id", "name", name="uq_watch_reader_name"),)

    id: int | None = Field(default=None, primary_key=True)
    reader_id: int = Field(foreign_key="reader.id", ondelete="CASCADE")
    name: str = Field(max_length=128)
    query: str
    created_at: datetime


class FetchValidator(SQLModel, table=True):
    """What a feed last said about its content (ETag, Last-Modified), for conditional requests.

    Kept in the library, not beside it: "not modified" is only true for the library that
    merged the last answer, and it is written in the same transaction as that merge."""

    __tablename__ = "fetch_validator"

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime
