"""Links, import and export from the main screen: each runs in a thread worker that posts
a `Notice`; nothing here touches a widget from a thread."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual.screen import Screen

from models.ingest.formats.macro_files import shared_macros
from models.ingest.importer import import_listing
from models.ingest.record import ListingError
from models.interchange.citekeys import citation_key
from models.interchange.digest import write_digest
from models.interchange.directory import export_markdown
from models.interchange.output import ExportResult
from models.interchange.references import REFERENCE_FORMATS, write_references
from models.shelf.removal import newest_paper_id, paper_ids_above
from models.store.library import Library
from tui.app.messages import Imported, Notice

EXPORTS = {
    "markdown": ("Export to Markdown files in folder", "papershelf-notes"),
    "digest": ("Export a Markdown reading digest to file", "papershelf-digest.md"),
    "bibtex": ("Export BibTeX to file", "papershelf.bib"),
    "ris": ("Export RIS to file", "papershelf.ris"),
    "csl-json": ("Export CSL-JSON to file", "papershelf.json"),
}


class Transfers:
    """Open or copy a paper's link; import listings; export papers. Runs on `screen`."""

    def __init__(self, screen: Screen[None], library: Library) -> None:
        self.screen = screen
        self.library = library

    def _in_worker(self, group: str, job: Callable[[], None]) -> None:
        self.screen.run_worker(job, thread=True, group=group, exit_on_error=False)

    def _tell(self, text: str, **fields) -> None:
        self.screen.post_message(Notice(text, **fields))

    def open_in_browser(self, url: str) -> None:
        """Open a graphical browser off the UI thread; without one, copy the link instead
        (a text browser would fight the app for the terminal)."""

        def job() -> None:
            graphical = sys.platform in ("darwin", "win32") or any(
                os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
            )
            if graphical and webbrowser.open(url):
                self._tell(f"Opened {url}")
                return
            self._tell(url, title="copy", severity="warning")

        self._in_worker("browser", job)

    def copy_citation_key(self, paper_id: int, *, cite: bool = False) -> None:
        """Copy the paper's citation key (the one every export gives it), or `\\cite{key}`."""

        def job() -> None:
            with self.library.read() as session:
                key = citation_key(session, paper_id)
            self._tell(f"\\cite{{{key}}}" if cite else key, title="copy")

        self._in_worker("copy", job)

    def import_files(self, files: list[Path]) -> None:
        def job() -> None:
            with self.library.read() as session:
                before = newest_paper_id(session)
            totals = [0, 0, 0]
            macros = shared_macros(files)  # an abbreviations .bib beside the references
            for path in files:
                try:
                    summary = import_listing(self.library, path, macros=macros)
                except ListingError as error:
                    self._tell(str(error), severity="error")
                    continue
                totals = [
                    totals[0] + summary.new,
                    totals[1] + summary.merged,
                    totals[2] + summary.unchanged,
                ]
            with self.library.read() as session:
                added = paper_ids_above(session, before)
            if added:
                names = files[0].name if len(files) == 1 else f"{len(files)} files"
                self.screen.post_message(Imported(added, f"import of {names}"))
            self._tell(
                f"Imported {len(files)} file(s): {totals[0]} new, {totals[1]} merged, "
                f"{totals[2]} unchanged.",
                reload=True,
            )

        self._in_worker("import", job)

    def export(self, kind: str, ids: list[int], target: Path) -> None:
        writers: dict[str, Callable[..., ExportResult]] = {
            "markdown": lambda session, **args: export_markdown(session, **args, directory=target),
            "digest": lambda session, **args: write_digest(session, **args, path=target),
            **{
                name: partial(write_references, format_name=name, path=target)
                for name in REFERENCE_FORMATS
            },
        }

        def job() -> None:
            try:
                with self.library.read() as session:
                    result = writers[kind](session, reader_id=self.library.reader_id, ids=ids)
            except OSError as error:
                self._tell(f"Not exported: {target}: {error.strerror or error}", severity="error")
                return
            lines = [result.line()]
            lines += [f"{path.name}: {why}" for path, why in result.skipped[:3]]
            self._tell("\n".join(lines), title="Exported")

        self._in_worker("export", job)
