"""dates with their precision, authors with their structure, stored citation keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00

`published_precision` gains `year` and `month` (the column is text already; `published`
holds the first day of the year or month). Papers dated before this revision were all
dated to the day, and say so now. `paper.author_names` holds each author's family,
given, prefix, suffix or literal name beside the display names in `authors` (NULL for
papers stored before: exports split their display names). `paper.citation_key` is the
key's base (`vaswani2017attention`), computed here once for the papers already stored,
so exporting or copying a key never recomputes every paper's.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("paper", sa.Column("author_names", sa.JSON(none_as_null=True), nullable=True))
    op.add_column("paper", sa.Column("citation_key", sa.String(length=255), nullable=True))
    op.create_index("ix_paper_citation_key", "paper", ["citation_key"], unique=False)
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE paper SET published_precision = 'day' "
            "WHERE published IS NOT NULL AND published_precision IS NULL"
        )
    )
    _store_citation_keys(bind)


def _store_citation_keys(bind: sa.Connection) -> None:
    from models.core.citekey import base_key

    paper = sa.table(
        "paper",
        sa.column("id", sa.Integer),
        sa.column("authors", sa.Text),
        sa.column("title", sa.Text),
        sa.column("published", sa.Text),
        sa.column("citation_key", sa.String),
    )
    rows = bind.execute(sa.select(paper.c.id, paper.c.authors, paper.c.title, paper.c.published))
    keys = []
    for paper_id, authors, title, published in rows:
        names = json.loads(authors) if isinstance(authors, str) else authors
        day = date.fromisoformat(str(published)[:10]) if published else None
        keys.append({"b_id": paper_id, "b_key": base_key(names, title, day)})
    if keys:
        bind.execute(
            paper.update()
            .where(paper.c.id == sa.bindparam("b_id"))
            .values(citation_key=sa.bindparam("b_key")),
            keys,
        )


def downgrade() -> None:
    op.drop_index("ix_paper_citation_key", table_name="paper")
    # In place, not a batch copy: dropping `paper` for a copy would cascade to reading state.
    op.drop_column("paper", "citation_key")
    op.drop_column("paper", "author_names")
