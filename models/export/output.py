"""What an export did, and writing its files without ever leaving half a file behind."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


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
    """Write `data` to `path` through a temporary file beside it, then rename over.

    The file keeps the permissions it had; a new one is readable by all (0644), as a
    plain `open` would make it, not private like the temporary file.
    """
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes, *, papers: int) -> ExportResult:
    """Write a one-file export, leaving the file (and its mtime) alone when it would not change."""
    result = ExportResult(target=path, papers=papers)
    if path.is_file() and path.read_bytes() == data:
        result.unchanged.append(path)
    else:
        write_atomically(path, data)
        result.written.append(path)
    return result
