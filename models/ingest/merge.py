"""Merging records into the library: one record meets the papers it may be, through
indexed keys, and fills only what they lack.

A record is the same paper as another when they share an arXiv id, a DOI, a
normalised title, or a normalised abstract, and no identifier contradicts it (two
different arXiv ids are two papers, whatever else they share). A merge only fills
what the paper lacks, so importing a file again changes nothing and a reader's
state, kept in other tables, is never touched. Imports (`importer.py`), fetches and
restores all merge through `Merge`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, select, update

from models.core.citekey import base_key
from models.core.keys import dedupe_keys, parse_doi
from models.core.names import split_display_names
from models.core.times import utcnow
from models.ingest.duplicates import contradicts, finer_date, given_structure
from models.ingest.record import Announcement, ListingRecord
from models.store.bulk import WriteBehind, bulk_insert, chunked
from models.store.paper_guards import insert_guards_lifted
from models.store.search_index import index_pending
from models.store.tables import PAPER_FIELDS, Paper, PaperSource, SourceFile, table_of

PAPER = table_of(Paper)
SOURCE = table_of(PaperSource)
SOURCE_FILE = table_of(SourceFile)
KEY_COLUMNS = {
    "arxiv": "arxiv_id",
    "doi": "doi_key",
    "title": "title_key",
    "abstract": "abstract_key",
}


def record_fields(record: ListingRecord) -> dict[str, Any]:
    """A parsed record as paper column values, identifiers normalised and keys computed."""
    values = {name: getattr(record, name) for name in PAPER_FIELDS}
    if values["doi"]:
        values["doi"] = parse_doi(values["doi"]) or values["doi"]
    if values["authors"] and not values["n_authors"]:
        values["n_authors"] = len(values["authors"])
    if values["authors"] and not values["author_names"]:  # plain display names (arXiv, HF)
        values["author_names"] = split_display_names(values["authors"])
    values |= dedupe_keys(doi=values["doi"], title=values["title"], abstract=values["abstract"])
    values["citation_key"] = base_key(
        values["authors"], values["title"], values["published"], values["author_names"]
    )
    values["volume"] = record.volume  # tells same-titled columns apart; not stored
    return values


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _fill(paper: dict[str, Any], values: dict[str, Any]) -> set[str]:
    """Fill what the paper lacks from a record; the names of the fields that changed."""
    changed = {
        name for name in PAPER_FIELDS if not _empty(values.get(name)) and _empty(paper.get(name))
    }
    authors, names = paper.get("authors"), values.get("author_names")
    if "author_names" in changed and authors and len(authors) != len(names or ()):
        changed.discard("author_names")  # structure for another list of names than the paper's
    elif given_structure(paper, values):
        changed.add("author_names")
    for name in changed:
        paper[name] = values[name]
    if finer_date(values, paper):  # a full date beats a year alone or one that was guessed
        paper["published"] = values["published"]
        paper["published_precision"] = values["published_precision"]
        changed |= {"published", "published_precision"}
    for name in ("arxiv_version", "upvotes"):  # newer listings carry the larger number
        old, new = paper.get(name), values.get(name)
        if old is not None and new is not None and new > old:
            paper[name] = new
            changed.add(name)
    for field_name, key in (
        ("doi", "doi_key"),
        ("title", "title_key"),
        ("abstract", "abstract_key"),
    ):
        if field_name in changed:
            paper[key] = values[key]
            changed.add(key)
    if not paper.get("citation_key") or changed & {"authors", "title", "published"}:
        paper["citation_key"] = base_key(
            paper.get("authors"), paper.get("title"), paper.get("published"),
            paper.get("author_names"),
        )  # fmt: skip
        changed.add("citation_key")
    return changed


def _conflicts(paper: dict[str, Any], values: dict[str, Any], kind: str) -> bool:
    """Whether an identifier (or, for abstract matches, the title) says these differ, or,
    for a match on the text, a year, volume or the authors do."""
    pairs = ["arxiv_id", "doi_key", "title_key"] if kind == "abstract" else ["arxiv_id", "doi_key"]
    if any(paper.get(name) and values.get(name) and paper[name] != values[name] for name in pairs):
        return True
    return kind != "doi" and contradicts(paper, values)


#: The columns a new paper's row holds, beside its times.
WRITTEN_FIELDS = [*PAPER_FIELDS, "doi_key", "title_key", "abstract_key", "citation_key"]
#: Records an import matches per batch before handing the batch's new papers to SQLite.
WRITE_BATCH = 1000


#: Long texts are loaded as "present or not": a merge only asks whether they are missing.
PRESENT = True


class Merge:
    """Matches records against the library and each other, then writes the result."""

    def __init__(self, connection: Connection, *, replacements: bool = True) -> None:
        self.connection = connection
        self.replacements = replacements  # False: skip replacements of papers not here
        self.skipped = 0
        self.papers: list[dict[str, Any]] = []  # existing papers touched, and new ones
        self.index: dict[str, dict[str, list[dict[str, Any]]]] = {kind: {} for kind in KEY_COLUMNS}
        self.new = self.merged = self.unchanged = 0
        self.now = utcnow()  # when the papers written are added
        self._library_empty: bool | None = None  # None: not yet asked
        self._held: set[int] = set()  # ids of the library's papers in `papers`

    def add(self, records: Iterable[ListingRecord]) -> list[dict[str, Any]]:
        """Match each record; the paper each one became or joined, in record order.
        Nothing is written until `write` (or `write_papers`)."""
        return self._add_batch(list(records))

    def add_writing(self, records: Iterable[ListingRecord]) -> list[dict[str, Any]]:
        """`add`, but on SQLite new papers are written while later records are still
        being made and matched: each batch's new papers are inserted, then indexed for
        search on another thread (`WriteBehind`); batches matched while an indexing runs
        wait, and go in together once it is done, so the index takes larger runs when it
        is the slower side. `write` does the rest.

        A later record that fills a paper already inserted makes it an update, as for a
        paper the library had. PostgreSQL takes the new papers in one COPY at `write`,
        whose index triggers run once over all of them."""
        if self.connection.dialect.name != "sqlite":
            return self.add(records)
        matched: list[dict[str, Any]] = []
        waiting: list[dict[str, Any]] = []  # new papers not yet inserted
        with insert_guards_lifted(self.connection), WriteBehind() as behind:
            for batch in chunked(records, WRITE_BATCH):
                start = len(self.papers)
                matched += self._add_batch(batch, behind)
                waiting += [paper for paper in self.papers[start:] if paper["is_new"]]
                if not behind.running:
                    self._insert_and_index(waiting, behind)
                    waiting = []
            behind.wait()
            self._insert_and_index(waiting, behind)
        return matched

    def _insert_and_index(self, papers: list[dict[str, Any]], behind: WriteBehind) -> None:
        """Insert these new papers (the connection is free), then index them behind."""
        rows = [self._paper_row(paper) for paper in papers]
        for paper, paper_id in zip(papers, bulk_insert(self.connection, PAPER, rows), strict=True):
            paper["id"], paper["inserted"], paper["changed"] = paper_id, True, set()
            self._held.add(paper_id)
        # FTS5's tokenizer is most of an import's SQLite work, and all of it C
        behind.submit(partial(index_pending, self.connection))

    def _add_batch(
        self, records: list[ListingRecord], behind: WriteBehind | None = None
    ) -> list[dict[str, Any]]:
        prepared = [(record, record_fields(record)) for record in records]
        if behind is not None and self._library_empty is not True:
            behind.wait()  # the look-ups use the connection
        self._load_existing([values for _, values in prepared])
        matched: list[dict[str, Any]] = []
        for record, values in prepared:
            line = record.line
            paper = self._match(values)
            if paper is None and self._skips(record):
                self.skipped += 1
                continue
            if paper is None:
                paper = values | {"id": None, "is_new": True, "changed": set(), "line": line}
                self.papers.append(paper)
                self.new += 1
                self._register(paper)
            else:
                paper.setdefault("line", line)
                changed = _fill(paper, values)
                if changed:
                    paper["changed"] |= changed
                    self.merged += 1
                    self._register(paper)
                else:
                    self.unchanged += 1
            matched.append(paper)
        return matched

    def _skips(self, record: ListingRecord) -> bool:
        return not self.replacements and record.announcement == Announcement.REPLACEMENT

    def _load_existing(self, prepared: list[dict[str, Any]]) -> None:
        """Load the library's papers that share a key with the records, through the indexes:
        by arXiv id first, then by DOI, title and abstract for the records still unmatched."""
        if self._library_empty is None:
            first = self.connection.execute(select(PAPER.c.id).limit(1)).first()
            self._library_empty = first is None
        if self._library_empty:
            return  # nothing to match but what this merge holds
        long_texts = ("abstract",)  # titles are loaded whole: the citation key needs them
        columns: list[ColumnElement] = [
            PAPER.c.id,
            PAPER.c.doi_key,
            PAPER.c.title_key,
            PAPER.c.abstract_key,
        ]
        columns.append(PAPER.c.citation_key)
        columns += [PAPER.c[name] for name in PAPER_FIELDS if name not in long_texts]
        columns += [PAPER.c[name].is_not(None).label(name) for name in long_texts]
        pending = prepared
        for column_name in KEY_COLUMNS.values():
            keys = sorted({values[column_name] for values in pending if values.get(column_name)})
            column = PAPER.c[column_name]
            for chunk in chunked(keys):
                for row in self.connection.execute(select(*columns).where(column.in_(chunk))):
                    if row.id not in self._held:
                        self._held.add(row.id)
                        paper = dict(row._mapping, is_new=False, changed=set())
                        for name in long_texts:
                            paper[name] = PRESENT if paper[name] else None
                        self.papers.append(paper)
                        self._register(paper)
            pending = [values for values in pending if self._match(values) is None]

    def _register(self, paper: dict[str, Any]) -> None:
        for kind, column in KEY_COLUMNS.items():
            key = paper.get(column)
            if key:
                papers = self.index[kind].setdefault(key, [])
                if not any(other is paper for other in papers):
                    papers.append(paper)

    def _match(self, values: dict[str, Any]) -> dict[str, Any] | None:
        if values["arxiv_id"]:
            found = self.index["arxiv"].get(values["arxiv_id"])
            if found:
                return found[0]
        for kind in ("doi", "title", "abstract"):
            key = values.get(KEY_COLUMNS[kind])
            for paper in self.index[kind].get(key, ()) if key else ():
                if not _conflicts(paper, values, kind):
                    return paper
        return None

    def write(self, *, source: str, format_name: str) -> None:
        """Insert new papers, update merged ones, and note the source file of each."""
        self.write_papers(self.now)
        self._write_sources(source, format_name, self.now)

    def _paper_row(self, paper: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
        added = now or self.now
        return {name: paper[name] for name in WRITTEN_FIELDS} | {
            "added_at": added,
            "updated_at": added,
        }

    def write_papers(self, now: datetime) -> None:
        """Insert new papers and update merged ones; each paper dict gets its id."""
        new = [p for p in self.papers if p["is_new"] and "inserted" not in p]
        rows = [self._paper_row(paper, now) for paper in new]
        for paper, paper_id in zip(new, bulk_insert(self.connection, PAPER, rows), strict=True):
            paper["id"] = paper_id
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for paper in self.papers:
            if paper["changed"] and (not paper["is_new"] or "inserted" in paper):
                by_columns[tuple(sorted(paper["changed"]))].append(paper)
        for names, papers in by_columns.items():  # one UPDATE per set of changed columns
            statement = (
                update(PAPER)
                .where(PAPER.c.id == bindparam("b_id"))
                .values({name: bindparam(f"b_{name}") for name in [*names, "updated_at"]})
            )
            rows = [
                {f"b_{name}": p[name] for name in names} | {"b_id": p["id"], "b_updated_at": now}
                for p in papers
            ]
            self.connection.execute(statement, rows)

    def _write_sources(self, source: str, format_name: str, now: datetime) -> None:
        rows = [
            {
                "paper_id": p["id"],
                "path": source,
                "format": format_name,
                "line": p["line"],
                "imported_at": now,
            }
            for p in self.papers
            if "line" in p
        ]
        add_sources(self.connection, rows)


def add_sources(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Record that files named papers: rows of paper_id, path, format, line, imported_at.

    A file is recorded once (its first import time kept); a paper it already named is
    skipped, so importing a file again adds nothing."""
    files: dict[str, int] = {}
    for path in sorted({row["path"] for row in rows}):
        source_id = connection.scalar(select(SOURCE_FILE.c.id).where(SOURCE_FILE.c.path == path))
        if source_id is None:
            first = next(row for row in rows if row["path"] == path)
            new = {"path": path, "format": first["format"], "imported_at": first["imported_at"]}
            [source_id] = bulk_insert(connection, SOURCE_FILE, [new])
        files[path] = source_id
    known: set[tuple[int, int]] = set()
    for source_id in files.values():
        linked = select(SOURCE.c.paper_id).where(SOURCE.c.source_id == source_id)
        known.update((paper_id, source_id) for paper_id in connection.scalars(linked))
    links = []
    for row in rows:
        key = (row["paper_id"], files[row["path"]])
        if key not in known:
            known.add(key)
            links.append({"paper_id": key[0], "source_id": key[1], "line": row["line"]})
    bulk_insert(connection, SOURCE, links, ids=False)
