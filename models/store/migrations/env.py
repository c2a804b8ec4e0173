"""Alembic's entry point: migrate the connection `models.store.schema` hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import models.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata
#: Tables migration 0002 made by hand for the search index (FTS5 tables, their shadow
#: tables, the vocabulary view and the change counter): no model describes them, so
#: autogenerate must not propose dropping them.
SEARCH_INDEX_TABLES: tuple[str, ...] = (
    "paper_fts",
    "note_fts",
    "paper_terms",
    "paper_text_version",
)
#: Their PostgreSQL counterparts (`models/store/pg_index.py`).
SEARCH_INDEX_TABLES += ("paper_search", "note_search", "paper_words")


#: Indexes made by hand on PostgreSQL (migration 0009), which no model describes either.
HAND_MADE_INDEXES = ("ix_paper_newest",)


def include_name(name, type_, parent_names) -> bool:
    if type_ == "table":
        return not (name or "").startswith(SEARCH_INDEX_TABLES)
    if type_ == "index":
        return name not in HAND_MADE_INDEXES
    return True


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        # `alembic revision --autogenerate` from a shell: use the URL it was given.
        from sqlalchemy import create_engine

        url = context.config.get_main_option("sqlalchemy.url")
        if url is None:
            raise SystemExit("alembic: no sqlalchemy.url to migrate")
        engine = create_engine(url)
        with engine.connect() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_name=include_name,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
