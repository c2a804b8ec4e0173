"""Merge fetched papers into the library in one transaction, through the importer's Merge.

Papers meet as in an import (arXiv id, DOI, title, abstract; `models/ingest/merge.py`),
and a merge fills what a paper lacks. Two things differ from a file import:

- An authoritative record (a replacement in the arXiv feed, an arXiv API answer)
  also corrects the bibliographic fields that changed: title, authors, abstract,
  categories, DOI and, from the API, the first version's date. A reader's status,
  rating, tags and notes live in other tables and are never touched, so an updated
  paper stays where the reader put it and does not return to the Inbox.
- A replacement of a paper the library does not have is skipped unless asked for:
  the reader never saw the first version, and the feed announces it as old news.

The counts are per paper: a paper listed twice (in two categories, or as new and
cross-list) is one paper, counted once, as new if any listing says new.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from models.core.times import utcnow
from models.core.values import DatePrecision
from models.fetch.http import Validators
from models.ingest.formats import ListingRecord

# The importer's pause of the cycle collector: a merge makes many small objects and no cycles.
from models.ingest.importer import collector_paused
from models.ingest.merge import PAPER, Merge, add_sources, record_fields
from models.store.bulk import chunked
from models.store.library import Library
from models.store.search_index import update_index
from models.store.tables import FetchValidator

VALIDATOR = FetchValidator.metadata.tables["fetch_validator"]
#: Fields an authoritative record overwrites when it says something else.
CORRECTED_FIELDS = ("title", "authors", "abstract", "categories", "doi", "published")
KEYS = {"title": "title_key", "abstract": "abstract_key", "doi": "doi_key"}
REPLACEMENT_KINDS = ("replace", "replace-cross")


@dataclass
class Incoming:
    """A fetched paper, how it was announced, and where it came from."""

    record: ListingRecord
    kind: str  # new, cross, replace, replace-cross, api, hf, crossref
    source: str
    format_name: str
    corrects: bool = False


@dataclass
class MergeCounts:
    """What a merge did, per paper."""

    new: int = 0
    cross_lists: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def merge_incoming(
    library: Library,
    incoming: list[Incoming],
    *,
    replacements: bool = False,
    validators: dict[str, Validators] | None = None,
) -> MergeCounts:
    """Merge in one transaction (with the feeds' validators); the new papers are then indexed."""
    with collector_paused(), library.write() as session:
        counts = merge_in_transaction(
            session.connection(), incoming, replacements=replacements, validators=validators
        )
    if counts.new or counts.cross_lists:
        update_index(library)
    return counts


def merge_in_transaction(
    connection: Connection,
    incoming: list[Incoming],
    *,
    replacements: bool = False,
    validators: dict[str, Validators] | None = None,
) -> MergeCounts:
    """`merge_incoming` inside the caller's transaction, the search index left to the caller."""
    kept = incoming if replacements else _known_replacements_only(connection, incoming)
    merge = Merge(connection)
    papers = merge.add([item.record for item in kept])
    _correct(connection, kept, papers)
    _count_filled_authors(merge.papers)
    counts = _count(kept, papers)
    counts.skipped = len(incoming) - len(kept)
    now = utcnow()
    merge.write_papers(now)
    add_sources(connection, _source_rows(kept, papers, now))
    if validators:
        _store_validators(connection, validators, now)
    return counts


def load_validators(library: Library, url: str) -> Validators | None:
    """The ETag and Last-Modified the feed at `url` sent with the answer last merged."""
    with library.read() as session:
        row = session.execute(select(VALIDATOR).where(VALIDATOR.c.url == url)).first()
    if row is None or not (row.etag or row.last_modified):
        return None
    return Validators(row.etag, row.last_modified)


def _known_replacements_only(connection: Connection, incoming: list[Incoming]) -> list[Incoming]:
    """Drop the replacements of papers that neither the library (matched as a merge would)
    nor this fetch's new and cross-listed items have."""
    replacements = [item for item in incoming if item.kind in REPLACEMENT_KINDS]
    if not replacements:
        return incoming
    announced = {item.record.arxiv_id for item in incoming if item.kind not in REPLACEMENT_KINDS}
    matched = Merge(connection).add([item.record for item in replacements])  # nothing written
    unknown = {
        id(item)
        for item, paper in zip(replacements, matched, strict=True)
        if paper["is_new"] and item.record.arxiv_id not in announced
    }
    return [item for item in incoming if id(item) not in unknown]


def _correct(connection: Connection, kept: list[Incoming], papers: list[dict[str, Any]]) -> None:
    """Overwrite what authoritative records say differently about papers already there."""
    targets = [
        (item, paper)
        for item, paper in zip(kept, papers, strict=True)
        if item.corrects and not paper["is_new"]
    ]
    stored = _stored_fields(connection, sorted({paper["id"] for _, paper in targets}))
    for item, paper in targets:
        current = stored[paper["id"]]
        values = record_fields(item.record)
        for name in CORRECTED_FIELDS:
            value = values[name]
            if value is None or value == [] or value == current[name]:
                continue
            if name == "published" and values["published_precision"] != DatePrecision.DAY:
                continue
            current[name] = paper[name] = value
            changed = {name}
            if name in KEYS:
                paper[KEYS[name]] = values[KEYS[name]]
                changed.add(KEYS[name])
            if name == "authors":
                paper["n_authors"] = len(value)
                changed.add("n_authors")
            if name == "published":
                paper["published_precision"] = DatePrecision.DAY
                changed.add("published_precision")
            paper["changed"] |= changed


def _count_filled_authors(papers: list[dict[str, Any]]) -> None:
    """A paper that just gained its authors' names counts them: a saved Hugging Face page
    said "5 authors", the API's list is the count from now on."""
    for paper in papers:
        authors = paper.get("authors")
        if "authors" in paper["changed"] and authors and paper.get("n_authors") != len(authors):
            paper["n_authors"] = len(authors)
            paper["changed"].add("n_authors")


def _stored_fields(connection: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    columns = [PAPER.c.id, *(PAPER.c[name] for name in CORRECTED_FIELDS)]
    stored: dict[int, dict[str, Any]] = {}
    for chunk in chunked(ids):
        for row in connection.execute(select(*columns).where(PAPER.c.id.in_(chunk))):
            stored[row.id] = dict(row._mapping)
    return stored


def _count(kept: list[Incoming], papers: list[dict[str, Any]]) -> MergeCounts:
    kinds: dict[int, tuple[dict[str, Any], str]] = {}
    for item, paper in zip(kept, papers, strict=True):
        seen = kinds.get(id(paper))
        if seen is None or (seen[1] == "cross" and item.kind != "cross"):
            kinds[id(paper)] = (paper, item.kind)
    counts = MergeCounts()
    for paper, kind in kinds.values():
        if paper["is_new"]:
            if kind == "cross":
                counts.cross_lists += 1
            else:
                counts.new += 1
        elif paper["changed"]:
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def _source_rows(kept: list[Incoming], papers: list[dict[str, Any]], now: Any) -> list[dict]:
    return [
        {
            "paper_id": paper["id"],
            "path": item.source,
            "format": item.format_name,
            "line": item.record.line,
            "imported_at": now,
        }
        for item, paper in zip(kept, papers, strict=True)
    ]


def _store_validators(connection: Connection, validators: dict[str, Validators], now: Any) -> None:
    urls = sorted(validators)
    connection.execute(delete(VALIDATOR).where(VALIDATOR.c.url.in_(urls)))
    rows = [
        {"url": url, "etag": v.etag, "last_modified": v.last_modified, "fetched_at": now}
        for url, v in validators.items()
        if v.etag or v.last_modified
    ]
    if rows:
        connection.execute(insert(VALIDATOR), rows)
