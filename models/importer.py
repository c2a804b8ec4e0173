"""Import listing files: parse, merge duplicates through indexed keys, write in one transaction.

A record is the same paper as another when they share an arXiv id, a DOI, a
normalised title, or a normalised abstract, and no identifier contradicts it (two
different arXiv ids are two papers, whatever else they share). A merge only fills
what the paper lacks, so importing a file again changes nothing and a reader's
state, kept in other tables, is never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from models.database import Library, utcnow
from models.keys import abstract_key, doi_key, parse_doi, title_key
from models.listings import ListingError, ListingRecord, ParseOptions, parse_listing
from models.tables import DatePrecision, Paper, PaperSource

PAPER = Paper.__table__
SOURCE = PaperSource.__table__
#: Bibliographic fields a merge may fill; the rest (ids, keys, times) are bookkeeping.
MERGED_FIELDS = (
    "arxiv_id",
    "arxiv_version",
    "doi",
    "title",
    "authors",
    "n_authors",
    "abstract",
    "published",
    "published_precision",
    "venue",
    "upvotes",
    "categories",
)
KEY_COLUMNS = {
    "arxiv": "arxiv_id",
    "doi": "doi_key",
    "title": "title_key",
    "abstract": "abstract_key",
}
CHUNK = 500  # bound parameters per IN (...) query, well under every backend's limit


@dataclass
class ImportSummary:
    """What one file's import did."""

    path: str
    format: str = ""
    new: int = 0
    merged: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def records(self) -> int:
        return self.new + self.merged + self.unchanged

    def line(self) -> str:
        return (
            f"{self.path}: {self.format or 'not imported'}: {self.new} new, {self.merged} merged, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )


def import_listing(
    library: Library,
    path: Path | str,
    *,
    format_name: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> ImportSummary:
    """Import one listing file in one transaction; raises ListingError, changing nothing."""
    path = Path(path)
    label = str(path)
    options = ParseOptions(today=today or date.today(), year=year)
    name, parsed = parse_listing(path, options, format_name)
    summary = ImportSummary(path=label, format=name, rejected=len(parsed.rejected))
    summary.warnings = [f"{label}:{line}: {reason}" for line, reason in parsed.warnings]
    summary.warnings += [f"{label}:{r.line}: skipped: {r.reason}" for r in parsed.rejected]
    source = str(path.resolve())
    try:
        with library.write() as session:
            merge = Merge(session.connection())
            merge.add(parsed.records)
            merge.write(source=source, format_name=name)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise ListingError(label, 1, f"not imported, library unchanged ({reason})") from None
    summary.new, summary.merged, summary.unchanged = merge.new, merge.merged, merge.unchanged
    return summary


def record_fields(record: ListingRecord) -> dict[str, Any]:
    """A parsed record as paper column values, identifiers normalised and keys computed."""
    values = {name: getattr(record, name) for name in MERGED_FIELDS}
    if values["doi"]:
        values["doi"] = parse_doi(values["doi"]) or values["doi"]
    if values["authors"] and not values["n_authors"]:
        values["n_authors"] = len(values["authors"])
    values["doi_key"] = doi_key(values["doi"])
    values["title_key"] = title_key(values["title"])
    values["abstract_key"] = abstract_key(values["abstract"])
    return values


def _fill(paper: dict[str, Any], values: dict[str, Any]) -> bool:
    """Fill what the paper lacks from a record; True when anything changed."""
    changed = False
    for name in MERGED_FIELDS:
        new = values.get(name)
        if new is None or new == [] or new == "":
            continue
        old = paper.get(name)
        if old is None or old == [] or old == "":
            paper[name] = new
            changed = True
    if (  # a full date beats one whose year was guessed
        values.get("published_precision") == DatePrecision.DAY
        and paper.get("published_precision") == DatePrecision.YEAR_INFERRED
    ):
        paper["published"] = values["published"]
        paper["published_precision"] = DatePrecision.DAY
        changed = True
    for name in ("arxiv_version", "upvotes"):  # newer listings carry the larger number
        old, new = paper.get(name), values.get(name)
        if old is not None and new is not None and new > old:
            paper[name] = new
            changed = True
    if changed:
        paper["doi_key"] = doi_key(paper.get("doi"))
        paper["title_key"] = title_key(paper.get("title"))
        paper["abstract_key"] = abstract_key(paper.get("abstract"))
    return changed


def _conflicts(paper: dict[str, Any], values: dict[str, Any], *, titles: bool) -> bool:
    """Whether an identifier (or, for abstract matches, the title) says these differ."""
    pairs = [("arxiv_id", "arxiv_id"), ("doi_key", "doi_key")]
    if titles:
        pairs.append(("title_key", "title_key"))
    return any(paper.get(a) and values.get(b) and paper[a] != values[b] for a, b in pairs)


class Merge:
    """Matches records against the library and each other, then writes the result."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.papers: list[dict[str, Any]] = []  # existing papers touched, and new ones
        self.index: dict[str, dict[str, list[dict[str, Any]]]] = {
            kind: defaultdict(list) for kind in KEY_COLUMNS
        }
        self.lines: dict[int, int] = {}  # id(paper dict) -> first line naming it
        self.new = self.merged = self.unchanged = 0

    def add(self, records: Iterable[ListingRecord]) -> list[dict[str, Any]]:
        """Match each record; the paper each one became or joined, in record order."""
        prepared = [(record.line, record_fields(record)) for record in records]
        self._load_existing(values for _, values in prepared)
        matched: list[dict[str, Any]] = []
        for line, values in prepared:
            paper = self._match(values)
            if paper is None:
                paper = dict(values, id=None, dirty=True, is_new=True)
                self.papers.append(paper)
                self.new += 1
            elif _fill(paper, values):
                paper["dirty"] = True
                self.merged += 1
            else:
                self.unchanged += 1
            self.lines.setdefault(id(paper), line)
            self._register(paper)
            matched.append(paper)
        return matched

    def _load_existing(self, prepared: Iterable[dict[str, Any]]) -> None:
        """Load the library's papers that share any key with the records, by index."""
        wanted: dict[str, set[str]] = {kind: set() for kind in KEY_COLUMNS}
        for values in prepared:
            for kind, column in KEY_COLUMNS.items():
                if values.get(column):
                    wanted[kind].add(values[column])
        seen: set[int] = set()
        columns = [PAPER.c.id, *(PAPER.c[name] for name in MERGED_FIELDS)]
        columns += [PAPER.c.doi_key, PAPER.c.title_key, PAPER.c.abstract_key]
        for kind, keys in wanted.items():
            column = PAPER.c[KEY_COLUMNS[kind]]
            for chunk in _chunks(sorted(keys)):
                for row in self.connection.execute(select(*columns).where(column.in_(chunk))):
                    if row.id not in seen:
                        seen.add(row.id)
                        paper = dict(row._mapping, dirty=False, is_new=False)
                        self.papers.append(paper)
                        self._register(paper)

    def _register(self, paper: dict[str, Any]) -> None:
        for kind, column in KEY_COLUMNS.items():
            key = paper.get(column)
            if key:
                papers = self.index[kind][key]
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
                if not _conflicts(paper, values, titles=kind == "abstract"):
                    return paper
        return None

    def write(self, *, source: str, format_name: str) -> None:
        """Insert new papers, update merged ones, and note the source file of each."""
        now = utcnow()
        self.write_papers(now)
        self._write_sources(source, format_name, now)

    def write_papers(self, now: datetime) -> None:
        """Insert new papers and update merged ones; each paper dict gets its id."""
        fields = [*MERGED_FIELDS, "doi_key", "title_key", "abstract_key"]
        new = [p for p in self.papers if p["is_new"]]
        if new:
            rows = [
                {name: p[name] for name in fields} | {"added_at": now, "updated_at": now}
                for p in new
            ]
            statement = insert(PAPER).returning(PAPER.c.id, sort_by_parameter_order=True)
            for paper, row in zip(new, self.connection.execute(statement, rows), strict=True):
                paper["id"] = row.id
        changed = [p for p in self.papers if p["dirty"] and not p["is_new"]]
        if changed:
            statement = (
                update(PAPER)
                .where(PAPER.c.id == bindparam("b_id"))
                .values({name: bindparam(f"b_{name}") for name in [*fields, "updated_at"]})
            )
            rows = [
                {f"b_{name}": p[name] for name in fields} | {"b_id": p["id"], "b_updated_at": now}
                for p in changed
            ]
            self.connection.execute(statement, rows)

    def _write_sources(self, source: str, format_name: str, now: datetime) -> None:
        known = set(
            self.connection.scalars(select(SOURCE.c.paper_id).where(SOURCE.c.path == source))
        )
        rows = [
            {
                "paper_id": p["id"],
                "path": source,
                "format": format_name,
                "line": self.lines.get(id(p)),
                "imported_at": now,
            }
            for p in self.papers
            if id(p) in self.lines and p["id"] not in known
        ]
        if rows:
            self.connection.execute(insert(SOURCE), rows)


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def bundled_listings() -> list[Path]:
    """The demo listings shipped in the `seeds` package."""
    from importlib.resources import files

    root = files("seeds")
    return sorted(Path(str(item)) for item in root.iterdir() if item.name.endswith(".txt"))


def import_bundled_seeds(library: Library) -> list[ImportSummary]:
    """Import the demo listings into a library that has never imported anything."""
    with library.read() as session:
        used = (
            session.execute(select(PAPER.c.id).limit(1)).first()
            or session.execute(select(SOURCE.c.id).limit(1)).first()
        )
    if used:
        return []
    return [import_listing(library, path) for path in bundled_listings()]
