"""search index: FTS5 over paper text and note text, kept in sync by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:30:00

On PostgreSQL the same index is a table of `tsvector`s with GIN indexes and a word
list with a trigram index (`models/store/pg_index.py`); elsewhere this does nothing.
Both FTS tables are contentless (the text stays in `paper` and `note` alone), so each
trigger hands the index the exact values it indexed when a row changes or goes.
A paper's index rowid is its recency key (see `models/search_fts.py`): in ascending
order, newest first, so the index hands out matches in library order and a page of
results stops early. Papers imported in id order on one day get ascending keys,
which FTS5 inserts three times faster than keys out of order.
Authors are indexed as the names in their JSON list, not as JSON text.
`paper_text_version` counts changes to the indexed paper text, so the in-memory
vocabulary used for typos knows when to reload.
New papers are not indexed by a trigger (even a trigger that only noted them cost a
100,000-paper import two seconds): papers with ids above `paper_fts_state.indexed_upto`
are indexed together, in key order, right after their import commits
(`search_fts.index_pending`): FTS5 builds such an index three times faster in key
order than row by row. Deleting the paper with the highest id lowers the mark, so an
id used again is indexed again.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"
PAPER_COLUMNS = "rowid, title, abstract, authors, venue"
BUMP = "UPDATE paper_text_version SET changes = changes + 1 WHERE id = 1;"
#: A paper is in the index unless it still waits in the queue.
INDEXED = "{row}.id <= (SELECT indexed_upto FROM paper_fts_state WHERE id = 1)"


def _paper_values(row: str) -> str:
    """The index row of a paper: recency key, then the text columns."""
    day = f"coalesce(CAST(julianday({row}.published) AS INTEGER), 0)"
    key = f"(4194304 - {day}) * 4294967296 + {row}.id"
    authors = (
        f"CASE WHEN json_valid({row}.authors) THEN "
        f"(SELECT group_concat(value, ', ') FROM json_each({row}.authors)) END"
    )
    return f"{key}, {row}.title, {row}.abstract, {authors}, {row}.venue"


UPGRADE = [
    f"""CREATE VIRTUAL TABLE paper_fts USING fts5(
        title, abstract, authors, venue, content='', tokenize='{TOKENIZER}')""",
    "CREATE VIRTUAL TABLE paper_terms USING fts5vocab(paper_fts, 'row')",
    """CREATE TABLE paper_text_version (
        id INTEGER PRIMARY KEY CHECK (id = 1), changes INTEGER NOT NULL)""",
    "INSERT INTO paper_text_version (id, changes) VALUES (1, 0)",
    """CREATE TABLE paper_fts_state (
        id INTEGER PRIMARY KEY CHECK (id = 1), indexed_upto INTEGER NOT NULL)""",
    "INSERT INTO paper_fts_state (id, indexed_upto) SELECT 1, coalesce(max(id), 0) FROM paper",
    f"""CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN
        INSERT INTO paper_fts(paper_fts, {PAPER_COLUMNS})
        SELECT 'delete', {_paper_values("old")} WHERE {INDEXED.format(row="old")};
        UPDATE paper_fts_state
        SET indexed_upto = min(indexed_upto, (SELECT coalesce(max(id), 0) FROM paper))
        WHERE id = 1;
        {BUMP}
    END""",
    f"""CREATE TRIGGER paper_fts_update
    AFTER UPDATE OF title, abstract, authors, venue, published ON paper
    WHEN {INDEXED.format(row="old")} BEGIN
        INSERT INTO paper_fts(paper_fts, {PAPER_COLUMNS})
        VALUES ('delete', {_paper_values("old")});
        INSERT INTO paper_fts({PAPER_COLUMNS}) VALUES ({_paper_values("new")});
        {BUMP}
    END""",
    f"INSERT INTO paper_fts({PAPER_COLUMNS}) SELECT {_paper_values('paper')} FROM paper ORDER BY 1",
    f"CREATE VIRTUAL TABLE note_fts USING fts5(body, content='', tokenize='{TOKENIZER}')",
    """CREATE TRIGGER note_fts_insert AFTER INSERT ON note BEGIN
        INSERT INTO note_fts(rowid, body) VALUES (new.id, new.body);
    END""",
    """CREATE TRIGGER note_fts_delete AFTER DELETE ON note BEGIN
        INSERT INTO note_fts(note_fts, rowid, body) VALUES ('delete', old.id, old.body);
    END""",
    """CREATE TRIGGER note_fts_update AFTER UPDATE OF body ON note BEGIN
        INSERT INTO note_fts(note_fts, rowid, body) VALUES ('delete', old.id, old.body);
        INSERT INTO note_fts(rowid, body) VALUES (new.id, new.body);
    END""",
    "INSERT INTO note_fts(rowid, body) SELECT id, body FROM note",
]
DOWNGRADE = [
    "DROP TRIGGER note_fts_update",
    "DROP TRIGGER note_fts_delete",
    "DROP TRIGGER note_fts_insert",
    "DROP TABLE note_fts",
    "DROP TRIGGER paper_fts_update",
    "DROP TRIGGER paper_fts_delete",
    "DROP TABLE paper_fts_state",
    "DROP TABLE paper_text_version",
    "DROP TABLE paper_terms",
    "DROP TABLE paper_fts",
]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    from models.store.pg_index import PG_UPGRADE

    _run({"sqlite": UPGRADE, "postgresql": PG_UPGRADE})


def downgrade() -> None:
    from models.store.pg_index import PG_DOWNGRADE

    _run({"sqlite": DOWNGRADE, "postgresql": PG_DOWNGRADE})
