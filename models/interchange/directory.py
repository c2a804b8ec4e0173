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
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models.core.times import utcnow
from models.interchange.filenames import paper_file_name
from models.interchange.markdown import render_paper
from models.interchange.output import ExportResult, write_atomically
from models.shelf.papers import PaperView, each_paper_view

MANIFEST = ".papershelf-export.json"
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
    export = _DirectoryExport(directory, now or utcnow())
    for view in each_paper_view(session, reader_id=reader_id, ids=ids):
        export.paper(view)
    export.save_manifest()
    return export.result


class _DirectoryExport:
    """One export into one directory: its manifest, and what happened to each file."""

    def __init__(self, directory: Path, now: datetime) -> None:
        self.directory = directory
        self.now = now
        self.manifest = _read_manifest(directory)
        self.before = dict(self.manifest)
        self.names: dict[int, set[str]] = defaultdict(set)  # paper id -> its names here
        for name, entry in self.manifest.items():
            self.names[entry.get("paper")].add(name)
        self.result = ExportResult(target=directory)

    def paper(self, view: PaperView) -> None:
        self.result.papers += 1
        name = paper_file_name(view.paper)
        path = self.directory / name
        existing = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        if path.exists() and existing is None:
            self.result.skipped.append((path, "not a file papershelf wrote; left as it is"))
            return
        if existing is not None:
            previous = _exported_time(existing)
            if previous and render_paper(view, exported=previous).encode() == existing:
                self._record(view.id, name, existing)
                self.result.unchanged.append(path)
                return
            recorded = self.manifest.get(name)
            if recorded is None or recorded.get("sha256") != _digest(existing):
                why = (
                    "edited since papershelf wrote it" if recorded else "not written by papershelf"
                )
                self.result.skipped.append((path, f"{why}; left as it is"))
                return
        data = render_paper(view, exported=self.now).encode()
        write_atomically(path, data)
        self._record(view.id, name, data)
        self.result.written.append(path)

    def _record(self, paper_id: int, name: str, data: bytes) -> None:
        """Remember the file in the manifest; remove the paper's file under an older name."""
        self.manifest[name] = {"paper": paper_id, "sha256": _digest(data)}
        for old_name in self.names[paper_id] - {name}:
            entry = self.manifest.pop(old_name)
            old_path = self.directory / old_name
            if (
                old_path.is_file()
                and not old_path.is_symlink()
                and _digest(old_path.read_bytes()) == entry.get("sha256")
            ):
                old_path.unlink()
                self.result.removed.append(old_path)
        self.names[paper_id] = {name}

    def save_manifest(self) -> None:
        if self.manifest != self.before:
            text = json.dumps(self.manifest, indent=2, sort_keys=True) + "\n"
            write_atomically(self.directory / MANIFEST, text.encode())


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
