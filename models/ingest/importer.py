"""Import listing files: parse, merge duplicates through indexed keys (`merge.py`), and
write the papers and their search index in one transaction."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from models.core.text import path_label
from models.ingest.formats import check_found, read_listing, source_label
from models.ingest.keyword_tags import tag_keywords
from models.ingest.merge import PAPER, SOURCE_FILE, Merge
from models.ingest.record import ListingError, ParseOptions
from models.store.library import Library, LibraryError, is_damage


@dataclass
class ImportSummary:
    """What one file's import did."""

    path: str
    format: str = ""
    new: int = 0
    merged: int = 0
    unchanged: int = 0
    rejected: int = 0
    #: Replacements of papers the library does not have, left out unless asked for.
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def records(self) -> int:
        return self.new + self.merged + self.unchanged

    def line(self) -> str:
        return (
            f"{self.path}: {self.format or 'not imported'}: {self.new} new, {self.merged} merged, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
            + (
                f", {self.skipped} replacements of papers not in the library skipped"
                if self.skipped
                else ""
            )
        )


def import_listing(
    library: Library,
    path: Path | str,
    *,
    format_name: str | None = None,
    year: int | None = None,
    today: date | None = None,
    macros: Any = None,
    keywords_as_tags: bool = False,
    replacements: bool = False,
    data: bytes | None = None,
) -> ImportSummary:
    """Import one listing file (or its bytes, already read) in one transaction; raises
    ListingError, changing nothing.

    `macros` (a `bibtex_values.Macros`) carries `@string` definitions between the files of
    one import; `keywords_as_tags` makes the listing's keywords the reader's tags. A
    replacement (a new version announced) of a paper the library lacks is skipped unless
    `replacements`: it is old news, not today's paper."""
    with collector_paused():
        options = ParseOptions(today or date.today(), year, macros=macros)
        return _import_file(
            library, Path(path), format_name, options, keywords_as_tags, replacements, data
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: an import makes ~10 objects a record and no cycles,
    and collections over them cost a third of a large import's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import_file(
    library: Library,
    path: Path,
    format_name: str | None,
    options: ParseOptions,
    keywords_as_tags: bool,
    replacements: bool,
    data: bytes | None,
) -> ImportSummary:
    label = path_label(path)
    name, parsed = read_listing(path, options, format_name, data)
    source = source_label(path)
    try:
        with library.write() as session:
            merge = Merge(session.connection(), replacements=replacements)
            matched = merge.add_writing(parsed.each_record())
            check_found(path, name, parsed)  # a file of no papers leaves the library as it was
            merge.write(source=source, format_name=name)
            if keywords_as_tags:
                tagged = [
                    (paper["id"], record.keywords)
                    for paper, record in zip(matched, parsed.records, strict=True)
                    if record.keywords
                ]
                tag_keywords(session.connection(), reader_id=library.reader_id, tagged=tagged)
    except SQLAlchemyError as error:
        if is_damage(error):
            raise  # the library's fault, not the file's: reported as such
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        if getattr(error, "connection_invalidated", False):  # the server went away
            raise LibraryError(
                f"{label}: not imported, library unchanged: lost the connection to "
                f"{library.location.label} ({reason})"
            ) from None
        raise ListingError(label, 1, f"not imported, library unchanged ({reason})") from None
    summary = ImportSummary(path=label, format=name, rejected=len(parsed.rejected))
    summary.warnings = [f"{label}:{line}: {reason}" for line, reason in parsed.warnings]
    summary.warnings += [f"{label}:{r.line}: skipped: {r.reason}" for r in parsed.rejected]
    summary.new, summary.merged, summary.unchanged = merge.new, merge.merged, merge.unchanged
    summary.skipped = merge.skipped
    return summary


def bundled_listings() -> list[Path]:
    """The demo listings shipped in the `seeds` package."""
    from importlib.resources import files

    root = files("seeds")
    return sorted(Path(str(item)) for item in root.iterdir() if item.name.endswith(".txt"))


def import_bundled_seeds(library: Library) -> list[ImportSummary]:
    """Import the demo listings into a library that has never imported anything."""
    with library.read() as session:
        used = (
            session.execute(select(PAPER.c.id).limit(1)).first()
            or session.execute(select(SOURCE_FILE.c.id).limit(1)).first()
        )
    if used:
        return []
    return [import_listing(library, path) for path in bundled_listings()]
