"""first schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 14:59:49.426613
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper",
        sa.Column("arxiv_id", sa.String(length=64), nullable=True),
        sa.Column("arxiv_version", sa.Integer(), nullable=True),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("authors", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("n_authors", sa.Integer(), nullable=True),
        sa.Column("abstract", sa.String(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_precision", sa.String(length=16), nullable=True),
        sa.Column("venue", sa.String(), nullable=True),
        sa.Column("upvotes", sa.Integer(), nullable=True),
        sa.Column("categories", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doi_key", sa.String(length=255), nullable=True),
        sa.Column("title_key", sa.String(), nullable=True),
        sa.Column("abstract_key", sa.String(length=40), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("arxiv_id", name="uq_paper_arxiv_id"),
    )
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.create_index(
            "ix_paper_abstract_key",
            ["abstract_key"],
            unique=False,
            sqlite_where=sa.text("abstract_key IS NOT NULL"),
            postgresql_where=sa.text("abstract_key IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_paper_doi_key",
            ["doi_key"],
            unique=False,
            sqlite_where=sa.text("doi_key IS NOT NULL"),
            postgresql_where=sa.text("doi_key IS NOT NULL"),
        )
        batch_op.create_index("ix_paper_published", ["published"], unique=False)
        batch_op.create_index(
            "ix_paper_title_key",
            ["title_key"],
            unique=False,
            sqlite_where=sa.text("title_key IS NOT NULL"),
            postgresql_where=sa.text("title_key IS NOT NULL"),
        )

    op.create_table(
        "reader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "source_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("path"),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reader_id"], ["reader.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index("ix_note_paper", ["reader_id", "paper_id"], unique=False)

    op.create_table(
        "paper_source",
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["source_file.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("paper_id", "source_id"),
    )
    op.create_table(
        "paper_tag",
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("tagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reader_id"], ["reader.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("reader_id", "paper_id", "tag_id"),
    )
    with op.batch_alter_table("paper_tag", schema=None) as batch_op:
        batch_op.create_index("ix_paper_tag_tag", ["reader_id", "tag_id"], unique=False)

    op.create_table(
        "reading_state",
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reader_id"], ["reader.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("reader_id", "paper_id"),
    )
    with op.batch_alter_table("reading_state", schema=None) as batch_op:
        batch_op.create_index("ix_reading_state_status", ["reader_id", "status"], unique=False)

    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=16), nullable=False),
        sa.Column("new_status", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["paper_id"], ["paper.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reader_id"], ["reader.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index("ix_status_change_paper", ["reader_id", "paper_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index("ix_status_change_paper")

    op.drop_table("status_change")
    with op.batch_alter_table("reading_state", schema=None) as batch_op:
        batch_op.drop_index("ix_reading_state_status")

    op.drop_table("reading_state")
    with op.batch_alter_table("paper_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_paper_tag_tag")

    op.drop_table("paper_tag")
    op.drop_table("paper_source")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index("ix_note_paper")

    op.drop_table("note")
    op.drop_table("tag")
    op.drop_table("source_file")
    op.drop_table("reader")
    with op.batch_alter_table("paper", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_paper_title_key",
            sqlite_where=sa.text("title_key IS NOT NULL"),
            postgresql_where=sa.text("title_key IS NOT NULL"),
        )
        batch_op.drop_index("ix_paper_published")
        batch_op.drop_index(
            "ix_paper_doi_key",
            sqlite_where=sa.text("doi_key IS NOT NULL"),
            postgresql_where=sa.text("doi_key IS NOT NULL"),
        )
        batch_op.drop_index(
            "ix_paper_abstract_key",
            sqlite_where=sa.text("abstract_key IS NOT NULL"),
            postgresql_where=sa.text("abstract_key IS NOT NULL"),
        )

    op.drop_table("paper")
