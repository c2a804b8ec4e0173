"""On PostgreSQL, index a paper's arXiv comment beside its venue, as SQLite's FTS5 does.

Revision 0005 moved comment lines out of `venue` into `comment`; SQLite's triggers were
rewritten there to index both. PostgreSQL's index (revision 0002, `models/store/pg_index.py`)
still read `venue` alone, so `venue:KDD` missed papers whose comment says KDD. This feeds
`venue || ' ' || comment` to the same `papershelf_body`, for new papers, edited papers and
every paper already indexed. Nothing to do on SQLite.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _functions(venue: str) -> list[str]:
    """The index trigger functions, with `venue` as the SQL (over `p`/`NEW`) of the venue text."""
    row = (
        "papershelf_key({p}.published, {p}.id), papershelf_words({p}.title), "
        "papershelf_body({p}.title, {p}.abstract, {p}.authors, " + venue + ")"
    )
    return [
        f"""CREATE OR REPLACE FUNCTION papershelf_index_papers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO paper_search (paper_id, key, title, body)
    SELECT p.id, {row.format(p="p")} FROM new_papers AS p;
    RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION papershelf_reindex_paper() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE paper_search SET key = papershelf_key(NEW.published, NEW.id),
        title = papershelf_words(NEW.title),
        body = papershelf_body(NEW.title, NEW.abstract, NEW.authors, {venue.format(p="NEW")})
    WHERE paper_id = NEW.id;
    RETURN NULL;
END $$""",
    ]


WITH_COMMENT = "concat_ws(' ', {p}.venue, {p}.comment)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _functions(WITH_COMMENT):
        op.execute(statement)
    op.execute("DROP TRIGGER paper_search_update ON paper")
    op.execute(
        """CREATE TRIGGER paper_search_update
        AFTER UPDATE OF title, abstract, authors, venue, comment, published ON paper
        FOR EACH ROW EXECUTE FUNCTION papershelf_reindex_paper()"""
    )
    op.execute(
        "UPDATE paper_search SET body = papershelf_body(p.title, p.abstract, p.authors, "
        "concat_ws(' ', p.venue, p.comment)) FROM paper AS p WHERE paper_search.paper_id = p.id"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _functions("{p}.venue"):
        op.execute(statement)
    op.execute("DROP TRIGGER paper_search_update ON paper")
    op.execute(
        """CREATE TRIGGER paper_search_update
        AFTER UPDATE OF title, abstract, authors, venue, published ON paper
        FOR EACH ROW EXECUTE FUNCTION papershelf_reindex_paper()"""
    )
