"""What an export did, and writing its files without ever leaving half a file behind."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models.interchange.targets import export_target, remove_stale_temporaries, temporary_prefix


@dataclass
class ExportResult:
    """The files an export wrote, left as they were, removed or would not touch."""

    target: Path | None
    papers: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        """Every file that now holds this export."""
        return sorted(self.written + self.unchanged)

    def line(self) -> str:
        """One line for the command line and the app's notification."""
        where = str(self.target) if self.target else "standard output"
        counts = [f"{len(self.written)} written", f"{len(self.unchanged)} unchanged"]
        if self.removed:
            counts.append(f"{len(self.removed)} renamed away")
        if self.skipped:
            counts.append(f"{len(self.skipped)} left alone")
        noun = "paper" if self.papers == 1 else "papers"
        return f"exported {self.papers} {noun} to {where}: " + ", ".join(counts)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, then rename over
    (or straight into it, when it is a device or a FIFO: see `targets`)."""
    target = export_target(path)
    if target.is_stream:
        _stream(target.path, [data])
        return
    temporary, _ = _write_temporary(target.path, [data])
    _replace(temporary, target.path)


def write_if_changed(path: Path, pieces: Iterable[bytes], *, papers: int) -> ExportResult:
    """Write a one-file export, leaving the file (and its mtime) alone when it would not change.

    The pieces stream into a temporary file, so a large export is never whole in memory.
    A device, FIFO or `/dev/stdout` is written to as the stream it is, never replaced.
    """
    result = ExportResult(target=path, papers=papers)
    target = export_target(path)
    if target.is_stream:
        _stream(target.path, pieces)
        result.written.append(path)
        return result
    path = target.path
    temporary, digest = _write_temporary(path, pieces)
    if path.is_file() and _file_digest(path) == digest:
        Path(temporary).unlink()
        result.unchanged.append(path)
    else:
        _replace(temporary, path)
        result.written.append(path)
    return result


def _write_temporary(path: Path, pieces: Iterable[bytes]) -> tuple[str, str]:
    """A temporary file beside `path` holding the pieces, and their SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)  # an export names the folder it wants
    remove_stale_temporaries(path)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=temporary_prefix(path), suffix=".tmp"
    )
    digest = hashlib.sha256()
    try:
        with os.fdopen(handle, "wb") as file:
            for piece in pieces:
                file.write(piece)
                digest.update(piece)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary, digest.hexdigest()


def _stream(path: Path, pieces: Iterable[bytes]) -> None:
    """Write into an existing device, FIFO or stream; appending, so `>>` keeps what it had."""
    with open(os.open(path, os.O_WRONLY | os.O_APPEND), "wb") as stream:
        for piece in pieces:
            stream.write(piece)


def _replace(temporary: str, path: Path) -> None:
    """Move the temporary file into place, keeping the permissions the old file had.

    A new file is readable by all (0644), as a plain `open` would make it, not
    private like the temporary file.
    """
    try:
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.is_file() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
