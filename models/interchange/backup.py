"""The lossless backup: the whole library as one JSON document.

Every paper with every field and the files it came from, and under it each
reader's state by reader name: status and rating, tags, notes with their times,
and the status history. Times keep their microseconds. Nothing in the document
says when it was written, and every list has a fixed order, so backing up a
restored library gives the same bytes. `models.ingest.restore` reads it back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from models.core.times import iso_time
from models.ingest.backup_reading import FORMAT, VERSION
from models.interchange.output import ExportResult, write_if_changed
from models.shelf.papers import source_rows
from models.store.bulk import chunked
from models.store.schema import head_revision
from models.store.tables import (
    PAPER_FIELDS,
    Note,
    Paper,
    PaperTag,
    Reader,
    ReadingState,
    StatusChange,
    Tag,
)


def _dump(value: Any, depth: int) -> str:
    """`value` as `json.dumps(..., indent=2)` would print it `depth` levels down."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * depth)


def backup_text(session: Session) -> Iterator[str]:
    """The document in pieces, one paper at a time, so a large library streams."""
    tags = list(session.execute(select(Tag.name).order_by(Tag.name)).scalars())
    yield "{\n"
    yield f'  "format": "{FORMAT}",\n  "version": {VERSION},\n'
    yield f'  "schema": {_dump(head_revision(), 1)},\n  "tags": {_dump(tags, 1)},\n'
    ids = list(session.execute(select(Paper.id).order_by(Paper.id)).scalars())
    if not ids:
        yield '  "papers": []\n}\n'
        return
    yield '  "papers": [\n'
    number = 0
    for chunk in chunked(ids):
        for paper in _papers(session, chunk):
            number += 1
            yield "    " + _dump(paper, 2) + (",\n" if number < len(ids) else "\n")
    yield "  ]\n}\n"


def write_backup(session: Session, *, path: Path | str) -> ExportResult:
    """Write the backup to `path` (untouched when it would not change)."""
    papers = session.execute(select(func.count(Paper.id))).scalar_one()
    pieces = (piece.encode("utf-8") for piece in backup_text(session))
    return write_if_changed(Path(path), pieces, papers=papers)


def _papers(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """These papers as backup objects, with every reader's state, in id order."""
    papers: dict[int, dict[str, Any]] = {}
    for paper in session.execute(select(Paper).where(Paper.id.in_(ids))).scalars():
        entry: dict[str, Any] = {"id": paper.id}
        entry |= {name: getattr(paper, name) for name in PAPER_FIELDS}
        entry["published"] = paper.published.isoformat() if paper.published else None
        entry["added_at"] = iso_time(paper.added_at, microseconds=True)
        entry["updated_at"] = iso_time(paper.updated_at, microseconds=True)
        entry["sources"] = []
        entry["readers"] = {}
        papers[paper.id] = entry
    for paper_id, line, source in source_rows(session, ids):
        papers[paper_id]["sources"].append(
            {
                "path": source.path,
                "format": source.format,
                "line": line,
                "imported_at": iso_time(source.imported_at, microseconds=True),
            }
        )
    for paper_id, readers in _reader_state(session, ids).items():
        papers[paper_id]["readers"] = {name: readers[name] for name in sorted(readers)}
    return [papers[paper_id] for paper_id in ids if paper_id in papers]


def _reader_state(session: Session, ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """paper id -> reader name -> that reader's state, tags, notes and history."""
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)

    def block(paper_id: int, reader: str) -> dict[str, Any]:
        empty = {"state": None, "tags": [], "notes": [], "history": []}
        return found[paper_id].setdefault(reader, empty)

    rows = select(ReadingState, Reader.name).join(Reader, Reader.id == ReadingState.reader_id)
    for state, reader in session.execute(rows.where(ReadingState.paper_id.in_(ids))):
        block(state.paper_id, reader)["state"] = {
            "status": state.status,
            "rating": state.rating,
            "updated_at": iso_time(state.updated_at, microseconds=True),
        }
    rows = (
        select(PaperTag.paper_id, Reader.name, Tag.name, PaperTag.tagged_at)
        .join(Reader, Reader.id == PaperTag.reader_id)
        .join(Tag, Tag.id == PaperTag.tag_id)
        .where(PaperTag.paper_id.in_(ids))
        .order_by(Tag.name)
    )
    for paper_id, reader, tag, tagged_at in session.execute(rows):
        block(paper_id, reader)["tags"].append(
            {"name": tag, "tagged_at": iso_time(tagged_at, microseconds=True)}
        )
    rows = select(Note, Reader.name).join(Reader, Reader.id == Note.reader_id)
    rows = rows.where(Note.paper_id.in_(ids)).order_by(Note.created, Note.id)
    for note, reader in session.execute(rows):
        block(note.paper_id, reader)["notes"].append(
            {
                "id": note.id,
                "body": note.body,
                "created": iso_time(note.created, microseconds=True),
                "updated": iso_time(note.updated, microseconds=True),
            }
        )
    rows = select(StatusChange, Reader.name).join(Reader, Reader.id == StatusChange.reader_id)
    rows = rows.where(StatusChange.paper_id.in_(ids))
    for change, reader in session.execute(rows.order_by(StatusChange.changed_at, StatusChange.id)):
        block(change.paper_id, reader)["history"].append(
            {
                "old_status": change.old_status,
                "new_status": change.new_status,
                "changed_at": iso_time(change.changed_at, microseconds=True),
            }
        )
    return found
