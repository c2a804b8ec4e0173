"""The search index on PostgreSQL: `tsvector`s with GIN indexes, and a word list for typos.

Migration 0002 runs `PG_UPGRADE` where SQLite gets its FTS5 tables. `paper_search`
holds, per paper, its recency key (the same `(2**22 - day) * 2**32 + id` as the FTS5
rowid, so ascending keys are the library's order), the title's words and every word
(title A, abstract B, authors C, venue D, so `author:` and `venue:` are weights).
Words are what `models.search.query.index_tokens` makes of the text: lower case,
accents dropped (`unaccent`), split at anything not a letter or digit; so the
'simple' configuration, which neither stems nor drops stop words, sees only words.

Triggers keep it in step inside the writing transaction: papers inserted in bulk are
indexed by one statement-level trigger over the inserted rows, edits by a row trigger,
deletions by the foreign key. A COPY of many papers (`models.store.pg_copy`) tells that
trigger to leave its rows to `index_new_papers` instead, which computes them in one
statement PostgreSQL runs on several cores (migration 0010): the words of 100,000
abstracts are most of a large import's time, and a trigger's rows are one core's.
`paper_words` counts the papers holding each word (as FTS5's `fts5vocab` does) for
typo corrections, with a trigram index (`pg_trgm`) to find the words close to a
mistyped one; `note_search` indexes note bodies.
Writers take one advisory lock (`models.store.database`), so the counts never deadlock.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Connection, Integer, Text, column, table
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlmodel import Session

#: Turns text into the index's words; STABLE, as `unaccent` reads its rules file.
WORDS = """CREATE FUNCTION papershelf_words(value text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple',
        regexp_replace(lower(unaccent(coalesce(value, ''))), '[^[:alnum:]]+', ' ', 'g'))
$$"""

NAMES = """CREATE FUNCTION papershelf_names(authors json) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN json_typeof(authors) = 'array'
        THEN (SELECT string_agg(value, ', ') FROM json_array_elements_text(authors)) END
$$"""

#: `models.store.search_index.recency_key` in SQL: day 0 when undated.
KEY = """CREATE FUNCTION papershelf_key(published date, paper_id integer) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (4194304 - coalesce(published - DATE '0001-01-01' + 1721425, 0))::bigint
        * 4294967296 + paper_id
$$"""

BODY = """CREATE FUNCTION papershelf_body(title text, abstract text, authors json, venue text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(papershelf_words(title), 'A')
        || setweight(papershelf_words(abstract), 'B')
        || setweight(papershelf_words(papershelf_names(authors)), 'C')
        || setweight(papershelf_words(venue), 'D')
$$"""

_ROW = (
    "papershelf_key({p}.published, {p}.id), papershelf_words({p}.title), "
    "papershelf_body({p}.title, {p}.abstract, {p}.authors, {p}.venue)"
)


def _count_words(name: str, sources: dict[str, int]) -> str:
    """A trigger function adding (+1) or taking away (-1) the words of changed index rows.

    Rows go into `paper_words` in word order, so two writers could never lock the same
    words in opposite orders even without the writers' lock."""
    parts = " UNION ALL ".join(
        f"SELECT unnest(tsvector_to_array(body)) AS word, {sign} AS n FROM {table}"
        for table, sign in sources.items()
    )
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO paper_words AS w (word, docs)
    SELECT word, sum(n) FROM ({parts}) AS changed
    GROUP BY word HAVING sum(n) <> 0 ORDER BY word
    ON CONFLICT (word) DO UPDATE SET docs = w.docs + excluded.docs;
    DELETE FROM paper_words WHERE docs <= 0;
    RETURN NULL;
END $$"""


PG_UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    WORDS,
    NAMES,
    KEY,
    BODY,
    """CREATE TABLE paper_search (
        paper_id integer PRIMARY KEY REFERENCES paper (id) ON DELETE CASCADE,
        key bigint NOT NULL,
        title tsvector NOT NULL,
        body tsvector NOT NULL)""",
    "CREATE INDEX ix_paper_search_key ON paper_search (key)",
    "CREATE INDEX ix_paper_search_title ON paper_search USING gin (title)",
    "CREATE INDEX ix_paper_search_body ON paper_search USING gin (body)",
    'CREATE TABLE paper_words (word text COLLATE "C" PRIMARY KEY, docs integer NOT NULL)',
    "CREATE INDEX ix_paper_words_trigram ON paper_words USING gin (word gin_trgm_ops)",
    # Lets the clean-up after each change find the words no paper holds any more at once.
    "CREATE INDEX ix_paper_words_unused ON paper_words (word) WHERE docs <= 0",
    _count_words("papershelf_words_added", {"added": 1}),
    _count_words("papershelf_words_changed", {"added": 1, "removed": -1}),
    _count_words("papershelf_words_removed", {"removed": -1}),
    """CREATE TRIGGER paper_words_insert AFTER INSERT ON paper_search
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION papershelf_words_added()""",
    """CREATE TRIGGER paper_words_update AFTER UPDATE ON paper_search
        REFERENCING OLD TABLE AS removed NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION papershelf_words_changed()""",
    """CREATE TRIGGER paper_words_delete AFTER DELETE ON paper_search
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION papershelf_words_removed()""",
    f"""CREATE FUNCTION papershelf_index_papers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO paper_search (paper_id, key, title, body)
    SELECT p.id, {_ROW.format(p="p")} FROM new_papers AS p;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER paper_search_insert AFTER INSERT ON paper
        REFERENCING NEW TABLE AS new_papers
        FOR EACH STATEMENT EXECUTE FUNCTION papershelf_index_papers()""",
    """CREATE FUNCTION papershelf_reindex_paper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE paper_search SET key = papershelf_key(NEW.published, NEW.id),
        title = papershelf_words(NEW.title),
        body = papershelf_body(NEW.title, NEW.abstract, NEW.authors, NEW.venue)
    WHERE paper_id = NEW.id;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER paper_search_update
        AFTER UPDATE OF title, abstract, authors, venue, published ON paper
        FOR EACH ROW EXECUTE FUNCTION papershelf_reindex_paper()""",
    f"INSERT INTO paper_search (paper_id, key, title, body) SELECT p.id, {_ROW.format(p='p')} "
    "FROM paper AS p",
    """CREATE TABLE note_search (
        note_id integer PRIMARY KEY REFERENCES note (id) ON DELETE CASCADE,
        doc tsvector NOT NULL)""",
    "CREATE INDEX ix_note_search_doc ON note_search USING gin (doc)",
    """CREATE FUNCTION papershelf_index_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO note_search (note_id, doc) VALUES (NEW.id, papershelf_words(NEW.body))
    ON CONFLICT (note_id) DO UPDATE SET doc = excluded.doc;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER note_search_upsert AFTER INSERT OR UPDATE OF body ON note
        FOR EACH ROW EXECUTE FUNCTION papershelf_index_note()""",
    "INSERT INTO note_search (note_id, doc) SELECT id, papershelf_words(body) FROM note",
]

PG_DOWNGRADE = [
    "DROP TRIGGER note_search_upsert ON note",
    "DROP FUNCTION papershelf_index_note()",
    "DROP TABLE note_search",
    "DROP TRIGGER paper_search_update ON paper",
    "DROP FUNCTION papershelf_reindex_paper()",
    "DROP TRIGGER paper_search_insert ON paper",
    "DROP FUNCTION papershelf_index_papers()",
    "DROP TABLE paper_search",
    "DROP FUNCTION papershelf_words_added()",
    "DROP FUNCTION papershelf_words_changed()",
    "DROP FUNCTION papershelf_words_removed()",
    "DROP TABLE paper_words",
    "DROP FUNCTION papershelf_body(text, text, json, text)",
    "DROP FUNCTION papershelf_key(date, integer)",
    "DROP FUNCTION papershelf_names(json)",
    "DROP FUNCTION papershelf_words(text)",
]

PAPER_SEARCH = table(
    "paper_search",
    column("paper_id", Integer),
    column("key", BigInteger),
    column("title", TSVECTOR),
    column("body", TSVECTOR),
)

NOTE_SEARCH = table("note_search", column("note_id", Integer), column("doc", TSVECTOR))

PAPER_WORDS = table("paper_words", column("word", Text), column("docs", Integer))

#: The `body` weight of each column a term can be limited to (`author:`, `venue:`).
WEIGHTS = {"title": "A", "abstract": "B", "authors": "C", "venue": "D"}


#: The functions the index rows are computed with; all pure, so parallel workers may run them.
ROW_FUNCTIONS = (
    "papershelf_words(text)",
    "papershelf_names(json)",
    "papershelf_key(date, integer)",
    "papershelf_body(text, text, json, text)",
)
#: What the planner weighs against running a statement on several cores.
PARALLEL_SETTINGS = (
    "parallel_setup_cost",
    "parallel_tuple_cost",
    "min_parallel_table_scan_size",
    "min_parallel_index_scan_size",
)
#: The setting by which a COPY asks the insert trigger to leave the new rows' index to it.
DEFER = "papershelf.index_later"


#: A paper's index row as it is written now (revision 0008 put the arXiv comment beside
#: the venue), in SQL over the paper `{p}`.
INDEX_ROW = (
    "papershelf_key({p}.published, {p}.id), papershelf_words({p}.title), "
    "papershelf_body({p}.title, {p}.abstract, {p}.authors, concat_ws(' ', {p}.venue, {p}.comment))"
)


def index_papers_trigger(*, deferrable: bool) -> str:
    """The statement trigger indexing inserted papers (revision 0008's, and 0010's, which
    does nothing when the inserting transaction set `DEFER`)."""
    skip = f"IF current_setting('{DEFER}', true) = 'yes' THEN RETURN NULL; END IF;\n    "
    return f"""CREATE OR REPLACE FUNCTION papershelf_index_papers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {skip if deferrable else ""}INSERT INTO paper_search (paper_id, key, title, body)
    SELECT p.id, {INDEX_ROW.format(p="p")} FROM new_papers AS p;
    RETURN NULL;
END $$"""


def index_new_papers(connection: Connection, first: int, last: int) -> None:
    """Index the papers with ids `first` to `last` (just inserted with `DEFER` set), their
    rows computed by one parallel statement and then inserted at once (which counts
    their words, as the trigger's insert would)."""
    connection.exec_driver_sql(f"SELECT set_config('{DEFER}', '', true)")
    # The new rows have no statistics yet: without these the planner sees a dozen rows
    # in a small table and keeps to one core. All are back to their defaults after.
    for setting in PARALLEL_SETTINGS:
        connection.exec_driver_sql(f"SET LOCAL {setting} = 0")
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE papershelf_new_search ON COMMIT DROP AS "
        f"SELECT p.id AS paper_id, {INDEX_ROW.format(p='p')} FROM paper AS p "
        "WHERE p.id BETWEEN %(first)s AND %(last)s",
        {"first": first, "last": last},
    )
    for setting in PARALLEL_SETTINGS:
        connection.exec_driver_sql(f"SET LOCAL {setting} = DEFAULT")
    connection.exec_driver_sql(
        "INSERT INTO paper_search (paper_id, key, title, body) "
        "SELECT * FROM papershelf_new_search"  # its columns are in that order
    )
    connection.exec_driver_sql("DROP TABLE papershelf_new_search")


def is_available(session: Session) -> bool:
    """Whether this library has the PostgreSQL index (PostgreSQL at schema 0002 or later)."""
    return session.get_bind().dialect.name == "postgresql"
