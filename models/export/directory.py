"""Export papers as one Markdown file each into a directory, again and again, safely.

An unchanged paper keeps its file byte for byte (its `exported` time included), so
a vault or a git repository sees no change. A changed paper's file is replaced.
A file papershelf did not write, or one edited since it wrote it, is never
overwritten or deleted: the manifest `.papershelf-export.json` remembers the hash
of every file written here, and only a file that still has that hash is ours to
replace (or to remove when its paper's title, and so its name, changed).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models.database import utcnow
from models.export.filenames import paper_file_name
from models.export.markdown import render_paper
from models.export.output import ExportResult, write_atomically
from models.papers import PaperView, paper_views

MANIFEST = ".papershelf-export.json"
CHUNK = 500
#: The only names papershelf writes (see `filenames`); a manifest naming others is ignored.
_OUR_NAME = re.compile(r"[a-z0-9-]+-\d+\.md")
_EXPORTED = re.compile(r"^exported: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$", re.MULTILINE)


def export_markdown(
    session: Session,
    *,
    reader_id: int,
    ids: Sequence[int],
    directory: Path | str,
    now: datetime | None = None,
) -> ExportResult:
    """Write one `.md` file per paper in `ids` into `directory` (created if missing).

    The function behind `papershelf export markdown -o DIR` and the app's "export the
    current view or selection". Raises OSError when the directory cannot be written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(directory)
    before = dict(manifest)
    result = ExportResult(target=directory)
    now = now or utcnow()
    for start in range(0, len(ids), CHUNK):
        for view in paper_views(session, reader_id=reader_id, ids=ids[start : start + CHUNK]):
            _export_one(view, directory, manifest, result, now)
            result.papers += 1
    if manifest != before:
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        write_atomically(directory / MANIFEST, text.encode())
    return result


def _export_one(
    view: PaperView,
    directory: Path,
    manifest: dict[str, dict[str, Any]],
    result: ExportResult,
    now: datetime,
) -> None:
    name = paper_file_name(view.paper)
    path = directory / name
    existing = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    if path.exists() and existing is None:
        result.skipped.append((path, "not a file papershelf wrote; left as it is"))
        return
    if existing is not None:
        previous = _exported_time(existing)
        if previous and render_paper(view, exported=previous).encode() == existing:
            manifest[name] = {"paper": view.id, "sha256": _digest(existing)}
            result.unchanged.append(path)
            _remove_renamed(view.id, name, directory, manifest, result)
            return
        recorded = manifest.get(name)
        if recorded is None or recorded.get("sha256") != _digest(existing):
            reason = "edited since papershelf wrote it" if recorded else "not written by papershelf"
            result.skipped.append((path, f"{reason}; left as it is"))
            return
    data = render_paper(view, exported=now).encode()
    write_atomically(path, data)
    manifest[name] = {"paper": view.id, "sha256": _digest(data)}
    result.written.append(path)
    _remove_renamed(view.id, name, directory, manifest, result)


def _remove_renamed(
    paper_id: int,
    name: str,
    directory: Path,
    manifest: dict[str, dict[str, Any]],
    result: ExportResult,
) -> None:
    """Remove this paper's file under an older name, if it is still as papershelf wrote it."""
    for old_name, entry in list(manifest.items()):
        if old_name == name or entry.get("paper") != paper_id:
            continue
        del manifest[old_name]
        old_path = directory / old_name
        if (
            old_path.is_file()
            and not old_path.is_symlink()
            and _digest(old_path.read_bytes()) == entry.get("sha256")
        ):
            old_path.unlink()
            result.removed.append(old_path)


def _exported_time(data: bytes) -> datetime | None:
    """The `exported` time in a file's front matter, if it has one."""
    head = data[:65536].decode("utf-8", errors="replace")
    match = _EXPORTED.search(head.split("\n---\n", 1)[0])
    return datetime.strptime(match[1], "%Y-%m-%dT%H:%M:%SZ") if match else None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(directory: Path) -> dict[str, dict[str, Any]]:
    """The files papershelf wrote here before; empty when there is no usable manifest."""
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        name: entry
        for name, entry in data.items()
        if isinstance(entry, dict) and _OUR_NAME.fullmatch(name)
    }
