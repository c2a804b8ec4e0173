"""Exports and backups: Markdown notes, a reading digest, BibTeX, and the JSON backup.

Every function takes a session and keyword-only arguments; the command line and
the app call the same ones. `export_markdown` is the app's "export the current
view or selection".
"""

from __future__ import annotations

from models.interchange.backup import write_backup
from models.interchange.bibtex import render_bibtex, write_bibtex
from models.interchange.citekeys import citation_keys
from models.interchange.digest import GROUPINGS, render_digest, write_digest
from models.interchange.directory import MANIFEST, export_markdown
from models.interchange.filenames import paper_file_name, slugify
from models.interchange.markdown import render_paper
from models.interchange.output import ExportResult
from models.interchange.selection import export_ids, ids_with_notes

__all__ = [
    "GROUPINGS",
    "MANIFEST",
    "ExportResult",
    "citation_keys",
    "export_ids",
    "export_markdown",
    "ids_with_notes",
    "paper_file_name",
    "render_bibtex",
    "render_digest",
    "render_paper",
    "slugify",
    "write_backup",
    "write_bibtex",
    "write_digest",
]
