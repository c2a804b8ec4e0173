"""`@string` macros shared by the `.bib` files of one import: a journal-abbreviation file
(`IEEEabrv.bib`) given beside the references that use it, in either order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from models.ingest.formats import read_listing_text
from models.ingest.formats.bibtex_file import string_macros
from models.ingest.formats.bibtex_values import Macros
from models.ingest.record import ListingError


def shared_macros(paths: Iterable[Path | str]) -> Macros:
    """The macros every BibTeX file among `paths` defines; files that cannot be read are
    left for the import itself to report."""
    macros = Macros()
    for path in paths:
        try:
            text = read_listing_text(Path(path))
        except ListingError:
            continue
        string_macros(text, macros)
    return macros
