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
from models.interchange.targets import UnsafeTarget
from models.shelf.papers import PaperView, paper_views
from models.store.bulk import chunked

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
    force: bool = False,
) -> ExportResult:
    """Write one `.md` file per paper in `ids` into `directory` (created if missing).

    The function behind `papershelf export markdown -o DIR` and the app's "export the
    current view or selection". Raises OSError when the directory cannot be written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    export = _DirectoryExport(directory, now or utcnow(), force=force)
    for chunk in chunked(ids):  # the manifest is written once a chunk, before its files
        for view in paper_views(session, reader_id=reader_id, ids=chunk):
            export.paper(view)
        export.write_pending()
    export.save_manifest()
    return export.result


class _DirectoryExport:
    """One export into one directory: its manifest, and what happened to each file."""

    def __init__(self, directory: Path, now: datetime, *, force: bool = False) -> None:
        self.directory = directory
        self.now = now
        self.force = force  # overwrite files edited since, or not written by papershelf
        manifest = directory / MANIFEST
        if manifest.is_symlink() or (manifest.exists() and not manifest.is_file()):
            raise UnsafeTarget(
                f"{MANIFEST} is a link or not a file, not papershelf's; move it away"
            )
        self.manifest = _read_manifest(directory)
        #: Files to write once the manifest on disk names them: (paper id, name, bytes).
        self.pending: list[tuple[int, str, bytes]] = []
        self.before = dict(self.manifest)
        self.names: dict[int, set[str]] = defaultdict(set)  # paper id -> its names here
        for name, entry in self.manifest.items():
            self.names[entry.get("paper", 0)].add(name)
        self.result = ExportResult(target=directory)

    def paper(self, view: PaperView) -> None:
        self.result.papers += 1
        name = paper_file_name(view.paper)
        path = self.directory / name
        existing = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        if (path.exists() or path.is_symlink()) and existing is None:  # a link, even dangling
            self.result.skipped.append((path, "not a file papershelf wrote; left as it is"))
            return
        if existing is not None:
            previous = _exported_time(existing)
            if previous and render_paper(view, exported=previous).encode() == existing:
                self._record(view.id, name, existing)
                self.result.unchanged.append(path)
                return
            recorded = self.manifest.get(name)
            if not self.force and (recorded is None or _digest(existing) not in _ours(recorded)):
                why = (
                    "edited since papershelf wrote it" if recorded else "not written by papershelf"
                )
                self.result.skipped.append((path, f"{why}; left as it is (--force overwrites it)"))
                return
        data = render_paper(view, exported=self.now).encode()
        self.pending.append((view.id, name, data))

    def write_pending(self) -> None:
        """Write the files waiting to be written, the manifest naming them first.

        The manifest on disk then accepts either content for each (`previous`, the one
        it had, and the new one), so an export interrupted among them still knows every
        file as its own, and the next one replaces or keeps it as usual."""
        if not self.pending:
            return
        for paper_id, name, data in self.pending:
            entry = {"paper": paper_id, "sha256": _digest(data)}
            old = self.manifest.get(name)
            if old and old.get("sha256") != entry["sha256"]:
                entry["previous"] = old.get("sha256")
            self.manifest[name] = entry
        self.save_manifest()
        for paper_id, name, data in self.pending:
            path = self.directory / name
            write_atomically(path, data)
            self._record(paper_id, name, data)
            self.result.written.append(path)
        self.pending = []

    def _record(self, paper_id: int, name: str, data: bytes) -> None:
        """Remember the file in the manifest; remove the paper's file under an older name."""
        self.manifest[name] = {"paper": paper_id, "sha256": _digest(data)}
        for old_name in self.names[paper_id] - {name}:
            entry = self.manifest.pop(old_name)
            old_path = self.directory / old_name
            if (
                old_path.is_file()
                and not old_path.is_symlink()
                and _digest(old_path.read_bytes()) in _ours(entry)
            ):
                old_path.unlink()
                self.result.removed.append(old_path)
        self.names[paper_id] = {name}

    def save_manifest(self) -> None:
        if self.manifest != self.before:
            text = json.dumps(self.manifest, indent=2, sort_keys=True) + "\n"
            write_atomically(self.directory / MANIFEST, text.encode())
            self.before = dict(self.manifest)


def _ours(entry: dict[str, Any]) -> set[str]:
    """The contents a manifest entry accepts as papershelf's: what it wrote, and what the
    file held before an export that was interrupted while replacing it."""
    return {digest for digest in (entry.get("sha256"), entry.get("previous")) if digest}


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
