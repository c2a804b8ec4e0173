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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlmodel import Session, col

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
    tags = list(session.execute(select(col(Tag.name)).order_by(col(Tag.name))).scalars())
    yield "{\n"
    yield f'  "format": "{FORMAT}",\n  "version": {VERSION},\n'
    yield f'  "schema": {_dump(head_revision(), 1)},\n  "tags": {_dump(tags, 1)},\n'
    ids = list(session.execute(select(col(Paper.id)).order_by(col(Paper.id))).scalars())
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
    papers = session.execute(select(func.count(col(Paper.id)))).scalar_one()
    pieces = (piece.encode("utf-8") for piece in backup_text(session))
    return write_if_changed(Path(path), pieces, papers=papers)


def _papers(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    """These papers as backup objects, with every reader's state, in id order."""
    papers: dict[int, dict[str, Any]] = {}
    for paper in session.execute(select(Paper).where(col(Paper.id).in_(ids))).scalars():
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


def _reader_state(session: Session, ids: Sequence[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """paper id -> reader name -> that reader's state, tags, notes and history."""
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)

    def block(paper_id: int, reader: str) -> dict[str, Any]:
        empty: dict[str, Any] = {"state": None, "tags": [], "notes": [], "history": []}
        return found[paper_id].setdefault(reader, empty)

    rows: Select = select(ReadingState, col(Reader.name)).join(
        Reader, col(Reader.id) == col(ReadingState.reader_id)
    )
    for state, reader in session.execute(rows.where(col(ReadingState.paper_id).in_(ids))):
        block(state.paper_id, reader)["state"] = {
            "status": state.status,
            "rating": state.rating,
            "updated_at": iso_time(state.updated_at, microseconds=True),
        }
    rows = (
        select(col(PaperTag.paper_id), col(Reader.name), col(Tag.name), col(PaperTag.tagged_at))
        .join(Reader, col(Reader.id) == col(PaperTag.reader_id))
        .join(Tag, col(Tag.id) == col(PaperTag.tag_id))
        .where(col(PaperTag.paper_id).in_(ids))
        .order_by(Tag.name)
    )
    for paper_id, reader, tag, tagged_at in session.execute(rows):
        block(paper_id, reader)["tags"].append(
            {"name": tag, "tagged_at": iso_time(tagged_at, microseconds=True)}
        )
    rows = select(Note, col(Reader.name)).join(Reader, col(Reader.id) == col(Note.reader_id))
    rows = rows.where(col(Note.paper_id).in_(ids)).order_by(col(Note.created), col(Note.id))
    for note, reader in session.execute(rows):
        block(note.paper_id, reader)["notes"].append(
            {
                "id": note.id,
                "body": note.body,
                "created": iso_time(note.created, microseconds=True),
                "updated": iso_time(note.updated, microseconds=True),
                "shared": bool(note.shared),
            }
        )
    rows = select(StatusChange, col(Reader.name)).join(
        Reader, col(Reader.id) == col(StatusChange.reader_id)
    )
    rows = rows.where(col(StatusChange.paper_id).in_(ids))
    for change, reader in session.execute(
        rows.order_by(col(StatusChange.changed_at), col(StatusChange.id))
    ):
        block(change.paper_id, reader)["history"].append(
            {
                "old_status": change.old_status,
                "new_status": change.new_status,
                "changed_at": iso_time(change.changed_at, microseconds=True),
            }
        )
    return found
