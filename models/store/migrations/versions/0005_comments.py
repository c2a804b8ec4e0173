"""comments apart from venues: arXiv comment lines move from `venue` to a `comment` column

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:30:00

Until now an arXiv comment line ("10 pages, 3 figures") was stored as the venue. A
paper's venue came from the first file that gave it one, so the first of its source
files in import order that can give a venue decides: an `arxiv` listing gave only
comment lines, so its value moves. An `arxiv-atom` file (or an `arxiv-api` fetch) gave
the journal reference when the entry had one, else the comment: the file is read again
when it is still there, and its entry says which; without it, a value that reads like a
comment (pages, figures, accepted, submitted, ...) moves and anything else stays a venue.
The RSS feed (`arxiv-rss`) and Crossref gave real venues only.
On SQLite the search index keeps indexing venue and comment together in its venue
column, so `venue:` matches both; the moved text is the same, so the index is kept.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: Formats that never gave a venue, so cannot be where one came from.
NO_VENUE = ("abstracts", "hf-daily")
#: arXiv's Atom answers, saved to a file or fetched from the API (its path is the URL).
ATOM_FORMATS = ("arxiv-atom", "arxiv-api")
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
COMMENT_WORDS = re.compile(
    r"\b(?:pages?|figures?|tables?|accepted|submitted|appear|review|camera|code|version"
    r"|github|https?)\b",
    re.IGNORECASE,
)
BUMP = "UPDATE paper_text_version SET changes = changes + 1 WHERE id = 1;"
INDEXED = "{row}.id <= (SELECT indexed_upto FROM paper_fts_state WHERE id = 1)"
PAPER_COLUMNS = "rowid, title, abstract, authors, venue"


def _paper_values(row: str, *, with_comment: bool) -> str:
    """The index row of a paper (as migration 0002 has it), venue and comment together."""
    day = f"coalesce(CAST(julianday({row}.published) AS INTEGER), 0)"
    key = f"(4194304 - {day}) * 4294967296 + {row}.id"
    authors = (
        f"CASE WHEN json_valid({row}.authors) THEN "
        f"(SELECT group_concat(value, ', ') FROM json_each({row}.authors)) END"
    )
    venue = f"{row}.venue"
    if with_comment:
        venue = f"nullif(trim(coalesce({row}.venue, '') || ' ' || coalesce({row}.comment, '')), '')"
    return f"{key}, {row}.title, {row}.abstract, {authors}, {venue}"


def _triggers(*, with_comment: bool) -> list[str]:
    columns = (
        "title, abstract, authors, venue, comment, published"
        if with_comment
        else ("title, abstract, authors, venue, published")
    )
    return [
        f"""CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN
            INSERT INTO paper_fts(paper_fts, {PAPER_COLUMNS})
            SELECT 'delete', {_paper_values("old", with_comment=with_comment)}
            WHERE {INDEXED.format(row="old")};
            UPDATE paper_fts_state
            SET indexed_upto = min(indexed_upto, (SELECT coalesce(max(id), 0) FROM paper))
            WHERE id = 1;
            {BUMP}
        END""",
        f"""CREATE TRIGGER paper_fts_update AFTER UPDATE OF {columns} ON paper
        WHEN {INDEXED.format(row="old")} BEGIN
            INSERT INTO paper_fts(paper_fts, {PAPER_COLUMNS})
            VALUES ('delete', {_paper_values("old", with_comment=with_comment)});
            INSERT INTO paper_fts({PAPER_COLUMNS})
            VALUES ({_paper_values("new", with_comment=with_comment)});
            {BUMP}
        END""",
    ]


def _drop_triggers() -> None:
    op.execute("DROP TRIGGER IF EXISTS paper_fts_update")
    op.execute("DROP TRIGGER IF EXISTS paper_fts_delete")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("paper", sa.Column("comment", sa.String(), nullable=True))
    if sqlite:
        _drop_triggers()  # the moved text indexes the same, so the index stays as it is
    ids = _comment_ids(op.get_bind())
    for start in range(0, len(ids), 500):
        op.get_bind().execute(
            sa.text("UPDATE paper SET comment = venue, venue = NULL WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": ids[start : start + 500]},
        )
    if sqlite:
        for statement in _triggers(with_comment=True):
            op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_triggers()
    op.execute("UPDATE paper SET venue = comment WHERE venue IS NULL AND comment IS NOT NULL")
    if sqlite:  # in place: a batch copy would drop `paper`, and cascade to reading state
        op.execute("ALTER TABLE paper DROP COLUMN comment")
    else:
        op.drop_column("paper", "comment")
    if sqlite:
        for statement in _triggers(with_comment=False):
            op.execute(statement)


def _comment_ids(connection: sa.Connection) -> list[int]:
    """The papers whose venue came from an arXiv comment line."""
    rows = connection.execute(
        sa.text(
            "SELECT paper.id, paper.arxiv_id, paper.venue, source_file.format, source_file.path "
            "FROM paper JOIN paper_source ON paper_source.paper_id = paper.id "
            "JOIN source_file ON source_file.id = paper_source.source_id "
            "WHERE paper.venue IS NOT NULL AND paper.venue != '' "
            "ORDER BY paper.id, source_file.imported_at, source_file.id"
        )
    ).all()
    decided: set[int] = set()
    moved: list[int] = []
    atom_files: dict[str, dict[str, tuple[str | None, str | None]] | None] = {}
    for paper_id, arxiv_id, venue, format_name, path in rows:
        if paper_id in decided or format_name in NO_VENUE:
            continue
        decided.add(paper_id)  # the first source that can give a venue gave it
        if format_name == "arxiv":
            moved.append(paper_id)
        elif format_name in ATOM_FORMATS:
            if path not in atom_files:
                atom_files[path] = _atom_entries(Path(path))
            entries = atom_files[path]
            if _atom_comment(venue, (entries or {}).get(arxiv_id or "")):
                moved.append(paper_id)
    return moved


def _atom_comment(venue: str, entry: tuple[str | None, str | None] | None) -> bool:
    """Whether an Atom-sourced venue was the entry's comment rather than its journal ref:
    as the entry says when the file still has it, else as the value reads."""
    if entry is not None:
        comment, journal_ref = entry
        if venue in (comment, journal_ref):
            return venue == comment
    return bool(COMMENT_WORDS.search(venue))


def _atom_entries(path: Path) -> dict[str, tuple[str | None, str | None]] | None:
    """arXiv id -> (comment, journal ref) of an Atom file still on disk; None without it."""
    try:
        text = path.read_text(encoding="utf-8")
        if re.search(r"<!(?:DOCTYPE|ENTITY)", text, re.IGNORECASE):
            return None
        feed = ElementTree.fromstring(text)
    except (OSError, UnicodeDecodeError, ElementTree.ParseError):
        return None
    entries = {}
    for entry in feed.iter(f"{ATOM}entry"):
        address = entry.findtext(f"{ATOM}id") or ""
        match = re.search(r"arxiv\.org/abs/(.+?)(?:v\d+)?$", address.strip())
        if match:
            entries[match[1]] = (_folded(entry, "comment"), _folded(entry, "journal_ref"))
    return entries


def _folded(entry: ElementTree.Element, name: str) -> str | None:
    """The element's text as the importer stored it: spaces folded."""
    text = entry.findtext(f"{ARXIV}{name}")
    return " ".join(text.split()) or None if text else None
