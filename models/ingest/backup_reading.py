"""Checking a backup's papers before anything is written: every value of the right kind.

A backup may have been edited by hand or cut short; each check names the paper
(by its place in the file) and the field, so the one-line error says what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, get_args, get_origin

from models.core.fields import MAX_ID, MAX_LINE, checked_fields, checked_int, checked_text
from models.core.text import clean_text
from models.core.values import MAX_TAGS_PER_PAPER, RATINGS, Status, clean_note, clean_tag
from models.store.tables import PAPER_FIELDS, PaperBase

#: What the first lines of a backup say it is; `restore_backup` checks them.
FORMAT = "papershelf-backup"
VERSION = 1

#: What JSON type each paper field has in a backup, read off `PaperBase`'s annotations.
_KINDS: dict[str, type] = {
    name: next(arg for arg in get_args(info.annotation) if arg is not type(None))
    for name, info in PaperBase.model_fields.items()
}
_STATUSES = {status.value for status in Status}


class InvalidBackup(ValueError):
    """A backup value that is missing or of the wrong kind."""


@dataclass
class BackupPaper:
    """One paper of a backup, checked and converted."""

    number: int
    id: int
    fields: dict[str, Any]
    added_at: datetime
    updated_at: datetime
    sources: list[dict[str, Any]] = field(default_factory=list)
    readers: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_time(value: Any, what: str) -> datetime:
    """A backup time as the library hands times out: aware, in UTC (naive ones are UTC)."""
    try:
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):  # Overflow: an offset past year 1 or 9999
        shown = (clean_text(repr(value)) or "")[:80]
        raise InvalidBackup(f"{what}: not a time: {shown}") from None


def _typed(data: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InvalidBackup(
            f"{what}: '{key}' is missing or not a {getattr(kind, '__name__', kind)}"
        )
    return value


def _optional(data: dict[str, Any], key: str, kind: type, what: str) -> Any:
    return None if data.get(key) is None else _typed(data, key, kind, what)


def _shared(note: dict[str, Any], what: str) -> bool:
    """A note's `shared` flag; backups written before notes could be shared have none."""
    shared = note.get("shared", False)
    if not isinstance(shared, bool):
        raise InvalidBackup(f"{what}: a note's 'shared' is not true or false")
    return shared


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidBackup(f"{what}: not an object")
    return value


_NAME_PARTS = {"family", "given", "prefix", "suffix", "literal"}


def _person_names(value: Any, what: str) -> list[dict[str, str]] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(name, dict)
        and set(name) <= _NAME_PARTS
        and all(isinstance(part, str) for part in name.values())
        for name in value
    ):
        raise InvalidBackup(f"{what}: 'author_names' is not a list of names")
    return value


def read_tags(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise InvalidBackup("'tags' is not a list of names")
    return [clean_tag(name) for name in value]


def _status(data: dict[str, Any], key: str, what: str) -> str:
    status = _typed(data, key, str, what)
    if status not in _STATUSES:
        raise InvalidBackup(f"{what}: '{key}' is not a status: {clean_text(status)!r}")
    return status


def _field(data: dict[str, Any], name: str, what: str) -> Any:
    """One paper field of a backup, of the kind `PaperBase` declares for it."""
    kind = get_origin(_KINDS[name]) or _KINDS[name]
    if kind is date:
        text = _optional(data, name, str, what)
        try:
            return None if text is None else date.fromisoformat(text)
        except ValueError:
            raise InvalidBackup(f"{what}: '{name}' is not a date") from None
    value = _optional(data, name, kind, what)
    if kind is list and value and not all(isinstance(item, str) for item in value):
        raise InvalidBackup(f"{what}: '{name}' is not a list of strings")
    return value


def read_paper(number: int, value: Any) -> BackupPaper:
    what = f"paper {number}"
    data = _mapping(value, what)
    fields: dict[str, Any] = {}
    for name in PAPER_FIELDS:
        if name == "author_names":  # added in schema 0003: older backups lack it
            fields[name] = _person_names(data.get(name), what)
            continue
        fields[name] = _field(data, name, what)
    paper = BackupPaper(
        number=number,
        id=checked_int(_typed(data, "id", int, what), f"{what}: id", 1, MAX_ID),
        fields=checked_fields(fields),
        added_at=read_time(data.get("added_at"), f"{what} added_at"),
        updated_at=read_time(data.get("updated_at"), f"{what} updated_at"),
    )
    for source in _typed(data, "sources", list, what):
        source = _mapping(source, f"{what} source")
        paper.sources.append(
            {
                "path": checked_text(_typed(source, "path", str, what), f"{what}: path", 4096),
                "format": checked_text(_typed(source, "format", str, what), f"{what}: format", 32),
                "line": _line(_optional(source, "line", int, what), what),
                "imported_at": read_time(source.get("imported_at"), f"{what} source"),
            }
        )
    for reader, block in _mapping(data.get("readers", {}), f"{what} readers").items():
        reader_name = checked_text(reader, f"{what}: reader", 128)
        if not reader_name:
            raise InvalidBackup(f"{what}: a reader without a name")
        paper.readers[reader_name] = _reader_block(block, f"{what} reader {reader_name!r}")
    return paper


def _line(value: int | None, what: str) -> int | None:
    return None if value is None else checked_int(value, f"{what}: line", 0, MAX_LINE)


def _reader_block(value: Any, what: str) -> dict[str, Any]:
    data = _mapping(value, what)
    state = data.get("state")
    if state is not None:
        state = _mapping(state, what)
        rating = _optional(state, "rating", int, what)
        if _status(state, "status", what) and rating not in (None, *RATINGS):
            raise InvalidBackup(f"{what}: rating out of 1-5")
        state = {
            "status": state["status"],
            "rating": rating,
            "updated_at": read_time(state.get("updated_at"), what),
        }
    tags = [
        (clean_tag(_typed(tag, "name", str, what)), read_time(tag.get("tagged_at"), what))
        for tag in (_mapping(t, what) for t in _typed(data, "tags", list, what))
    ]
    if len({name.lower() for name, _ in tags}) > MAX_TAGS_PER_PAPER:
        raise InvalidBackup(f"{what}: more than {MAX_TAGS_PER_PAPER} tags")
    notes = [
        {
            "id": checked_int(_typed(note, "id", int, what), f"{what}: note id", 1, MAX_ID),
            "body": clean_note(_typed(note, "body", str, what)),
            "created": read_time(note.get("created"), what),
            "updated": read_time(note.get("updated"), what),
            "shared": _shared(note, what),
        }
        for note in (_mapping(n, what) for n in _typed(data, "notes", list, what))
    ]
    history = [
        {
            "old_status": _status(change, "old_status", what),
            "new_status": _status(change, "new_status", what),
            "changed_at": read_time(change.get("changed_at"), what),
        }
        for change in (_mapping(c, what) for c in _typed(data, "history", list, what))
    ]
    return {"state": state, "tags": tags, "notes": notes, "history": history}
