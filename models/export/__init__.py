"""Exports and backups: Markdown notes, a reading digest, BibTeX, and the JSON backup.

Every function takes a session and keyword-only arguments; the command line and
the app call the same ones. `export_markdown` is the app's "export the current
view or selection".
"""

from __future__ import annotations

from models.export.backup import write_backup
from models.export.bibtex import render_bibtex, write_bibtex
from models.export.citekeys import citation_keys
from models.export.digest import GROUPINGS, render_digest, write_digest
from models.export.directory import MANIFEST, export_markdown
from models.export.filenames import paper_file_name, slugify
from models.export.markdown import render_paper
from models.export.output import ExportResult
from models.export.restore import RestoreSummary, is_backup, restore_backup
from models.export.selection import export_ids, ids_with_notes

__all__ = [
    "GROUPINGS",
    "MANIFEST",
    "ExportResult",
    "RestoreSummary",
    "citation_keys",
    "export_ids",
    "export_markdown",
    "ids_with_notes",
    "is_backup",
    "paper_file_name",
    "render_bibtex",
    "render_digest",
    "render_paper",
    "restore_backup",
    "slugify",
    "write_backup",
    "write_bibtex",
    "write_digest",
]
