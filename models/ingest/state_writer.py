"""Adding a backup's reader state beside what the library holds, never over it.

Readers and tags are matched by name (tags ignoring case, as `add_tag` does). A
status and rating are added only where the reader has none for the paper; tags,
notes and history entries are added unless the same one is already there (a
note is the same when its time and text are), so nobody's notes are lost and a
second restore adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, CursorResult, insert, select

from models.core.values import fold_tag
from models.ingest.backup_reading import BackupPaper
from models.store.bulk import chunked
from models.store.tables import Note, PaperTag, Reader, ReadingState, StatusChange, Tag, table_of

READER, TAG, STATE = table_of(Reader), table_of(Tag), table_of(ReadingState)
PAPER_TAG, NOTE, CHANGE = table_of(PaperTag), table_of(Note), table_of(StatusChange)
KINDS = (("state", STATE), ("tag", PAPER_TAG), ("note", NOTE), ("change", CHANGE))


class StateWriter:
    """Collects the rows a backup adds, checks them against the library, then inserts them."""

    def __init__(self, connection: Connection, *, keep_note_ids: bool) -> None:
        self.connection = connection
        self.keep_note_ids = keep_note_ids
        readers = connection.execute(select(READER.c.id, READER.c.name))
        self.readers = {name: reader_id for reader_id, name in readers}
        tags = connection.execute(select(TAG.c.id, TAG.c.name))
        self.tags = {fold_tag(name): tag_id for tag_id, name in tags}
        self.rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind, _ in KINDS}

    def reader_id(self, name: str) -> int:
        if name not in self.readers:
            result = self.connection.execute(insert(READER).values(name=name))
            self.readers[name] = _new_id(result)
        return self.readers[name]

    def tag_id(self, name: str) -> int:
        if fold_tag(name) not in self.tags:
            result = self.connection.execute(insert(TAG).values(name=name))
            self.tags[fold_tag(name)] = _new_id(result)
        return self.tags[fold_tag(name)]

    def add_tags(self, names: Iterable[str]) -> None:
        for name in names:
            self.tag_id(name)

    def add_paper(self, paper_id: int, paper: BackupPaper) -> None:
        for name, block in paper.readers.items():
            owner = {"reader_id": self.reader_id(name), "paper_id": paper_id}
            if block["state"]:
                self.rows["state"].append(owner | block["state"])
            for tag, tagged_at in block["tags"]:
                tag_row = {"tag_id": self.tag_id(tag), "tagged_at": tagged_at}
                self.rows["tag"].append(owner | tag_row)
            for note in block["notes"]:
                keep = note if self.keep_note_ids else {k: v for k, v in note.items() if k != "id"}
                self.rows["note"].append(owner | keep)
            self.rows["change"].extend(owner | change for change in block["history"])

    def write(self) -> int:
        """Insert what the library lacks; how many notes were added."""
        paper_ids = sorted({row["paper_id"] for rows in self.rows.values() for row in rows})
        present = self._present(paper_ids)
        counts = {}
        for kind, table in KINDS:
            new = []
            for row in self.rows[kind]:
                identity = _identity(kind, row)
                if identity not in present:
                    present.add(identity)
                    new.append(row)
            if new:
                self.connection.execute(insert(table), new)
            counts[kind] = len(new)
        return counts["note"]

    def _present(self, paper_ids: list[int]) -> set[tuple]:
        """The identities of the state rows the library already has for these papers."""
        present: set[tuple] = set()
        for chunk in chunked(paper_ids):
            for kind, table in KINDS:
                rows = self.connection.execute(select(table).where(table.c.paper_id.in_(chunk)))
                present.update(_identity(kind, dict(row._mapping)) for row in rows)
        return present


def _identity(kind: str, row: dict[str, Any]) -> tuple:
    """What makes two rows of a kind the same piece of state."""
    owner = (kind, row["reader_id"], row["paper_id"])
    if kind == "state":
        return owner
    if kind == "tag":
        return (*owner, row["tag_id"])
    if kind == "note":
        return (*owner, row["created"], row["body"])
    return (*owner, row["old_status"], row["new_status"], row["changed_at"])


def _new_id(result: CursorResult) -> int:
    """The id the database gave the row an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None  # a single-row INSERT
    return key[0]
