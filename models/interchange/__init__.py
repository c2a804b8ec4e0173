"""Exports and backups: Markdown notes, a reading digest, BibTeX, and the JSON backup.

Every function takes a session and keyword-only arguments; the command line and
the app call the same ones. `export_markdown` is the app's "export the current
view or selection".

The names below load their module on first use (PEP 562), so importing one format's
module (a reference export from the command line) does not import every other.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "GROUPINGS": "digest",
    "MANIFEST": "directory",
    "ExportResult": "output",
    "citation_keys": "citekeys",
    "export_ids": "selection",
    "export_markdown": "directory",
    "ids_with_notes": "selection",
    "paper_file_name": "filenames",
    "render_references": "references",
    "render_digest": "digest",
    "render_paper": "markdown",
    "slugify": "filenames",
    "write_backup": "backup",
    "write_references": "references",
    "write_digest": "digest",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
