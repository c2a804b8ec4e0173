"""Restore a backup: exactly into an empty library, by the import merge rules into one with papers.

Into an empty library every paper keeps its id, fields and times, and every note
its id, so backing the library up again gives the same bytes. Into a library with
papers, the backup's papers go through the importer's `Merge` like any listing
(same arXiv id, DOI, title or abstract is one paper; a merge only fills what the
paper lacks), and reader state is added beside what is there: tags and notes from
both sides, the library's own status and rating kept where it has one. Restoring
the same backup twice adds nothing the second time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from models.core.citekey import base_key
from models.core.keys import dedupe_keys
from models.core.text import path_label
from models.core.times import utcnow
from models.core.values import InvalidValue
from models.ingest.backup_reading import (
    FORMAT,
    VERSION,
    BackupPaper,
    InvalidBackup,
    read_paper,
    read_tags,
)
from models.ingest.formats import read_listing_bytes
from models.ingest.importer import ImportSummary
from models.ingest.merge import PAPER, Merge, add_sources
from models.ingest.record import ListingError, ListingRecord
from models.ingest.state_writer import StateWriter
from models.store.library import Library, is_damage
from models.store.search_index import update_index

_HEAD = re.compile(rb'^\s*\{\s*"format"\s*:\s*"papershelf-backup"')


@dataclass
class RestoreSummary(ImportSummary):
    """An import summary that also counts the notes the backup added."""

    notes: int = 0

    def line(self) -> str:
        return f"{super().line()}; {self.notes} note{'' if self.notes == 1 else 's'} added"


def is_backup(data: bytes) -> bool:
    """Whether a file's bytes start like a papershelf backup (`{"format": "papershelf-backup"`).

    It takes the bytes, not the path, so a stream is read once and then restored whole."""
    return bool(_HEAD.match(data[:256].removeprefix(b"\xef\xbb\xbf")))


def read_backup(path: Path, raw: bytes | None = None) -> tuple[list[str], list[BackupPaper]]:
    """The backup's tag names and papers; ListingError (`FILE:LINE: reason`) if unusable."""
    label = path_label(path)
    try:
        data = json.loads((read_listing_bytes(path) if raw is None else raw).decode("utf-8-sig"))
    except json.JSONDecodeError as error:
        raise ListingError(label, error.lineno, f"not valid JSON ({error.msg})") from None
    except UnicodeDecodeError as error:
        raise ListingError(label, 1, f"cannot read ({error})") from None
    except RecursionError:
        raise ListingError(label, 1, "not a papershelf backup (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ListingError(label, 1, "not a papershelf backup")
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ListingError(label, 1, f"backup version {version!r} is newer than this papershelf")
    try:
        tags = read_tags(data.get("tags", []))
        papers = data.get("papers")
        if not isinstance(papers, list):
            raise InvalidBackup("'papers' is not a list")
        return tags, [read_paper(number, item) for number, item in enumerate(papers, 1)]
    except (InvalidBackup, InvalidValue) as error:  # InvalidValue: a field out of range
        raise ListingError(label, 1, f"not a valid backup ({error})") from None


def restore_backup(library: Library, path: Path | str, data: bytes | None = None) -> RestoreSummary:
    """Restore the backup at `path` (or its bytes, already read) in one transaction; on
    ListingError nothing changed."""
    path = Path(path)
    tags, papers = read_backup(path, data)
    summary = RestoreSummary(path=path_label(path), format=FORMAT)
    try:
        with library.write() as session:
            connection = session.connection()
            empty = connection.execute(select(PAPER.c.id).limit(1)).first() is None
            if empty:
                ids = _insert_exactly(connection, papers)
                summary.new = len(ids)
            else:
                ids = _merge(connection, papers, summary)
            writer = StateWriter(connection, keep_note_ids=empty)
            writer.add_tags(tags)
            for paper, paper_id in zip(papers, ids, strict=True):
                writer.add_paper(paper_id, paper)
            summary.notes = writer.write()
    except SQLAlchemyError as error:
        if is_damage(error):
            raise  # the library's fault, not the file's: reported as such
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise ListingError(
            path_label(path), 1, f"not restored, library unchanged ({reason})"
        ) from None
    update_index(library)
    return summary


def _keys(fields: dict[str, Any]) -> dict[str, Any]:
    return dedupe_keys(doi=fields["doi"], title=fields["title"], abstract=fields["abstract"]) | {
        "citation_key": base_key(
            fields["authors"], fields["title"], fields["published"], fields["author_names"]
        ),
    }


def _insert_exactly(connection, papers: list[BackupPaper]) -> list[int]:
    """Insert every paper as it was: its id, its fields, its times, its sources."""
    if papers:
        rows = [
            {"id": paper.id, **paper.fields, **_keys(paper.fields)}
            | {"added_at": paper.added_at, "updated_at": paper.updated_at}
            for paper in papers
        ]
        connection.execute(PAPER.insert(), rows)
        sources = [source | {"paper_id": paper.id} for paper in papers for source in paper.sources]
        add_sources(connection, sources)
    return [paper.id for paper in papers]


def _merge(connection, papers: list[BackupPaper], summary: RestoreSummary) -> list[int]:
    """Merge the papers by the import rules; the library id each one became or joined."""
    merge = Merge(connection)
    matched = merge.add(ListingRecord(line=paper.number, **paper.fields) for paper in papers)
    merge.write_papers(utcnow())
    summary.new, summary.merged, summary.unchanged = merge.new, merge.merged, merge.unchanged
    ids = [paper["id"] for paper in matched]
    sources = [
        source | {"paper_id": paper_id}
        for paper, paper_id in zip(papers, ids, strict=True)
        for source in paper.sources
    ]
    add_sources(connection, sources)
    return ids
