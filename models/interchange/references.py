"""The reference formats `papershelf export` writes, behind one registry: a new format is
one module with a `render(session, *, reader_id, ids) -> (text, count)` and one line here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlmodel import Session

from models.interchange.bibtex import render_bibtex
from models.interchange.csl_json import render_csl_json
from models.interchange.output import ExportResult, write_if_changed
from models.interchange.ris import render_ris

Render = Callable[..., tuple[str, int]]
REFERENCE_FORMATS: dict[str, Render] = {
    "bibtex": render_bibtex,
    "ris": render_ris,
    "csl-json": render_csl_json,
}


def write_references(
    session: Session, *, format_name: str, reader_id: int, ids: Sequence[int], path: Path | str
) -> ExportResult:
    """Write the papers in this format to `path`, untouched when it would not change."""
    text, count = REFERENCE_FORMATS[format_name](session, reader_id=reader_id, ids=ids)
    return write_if_changed(Path(path), [text.encode()], papers=count)
