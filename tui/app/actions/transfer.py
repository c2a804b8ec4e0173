"""Links, import and export from the app, each in a worker. Mixed into `PapershelfApp`."""

from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

from textual import work
from textual.widgets import ProgressBar

from models.ingest.formats.macro_files import shared_macros
from models.ingest.importer import import_listing
from models.ingest.record import ListingError
from models.interchange.citekeys import citation_key
from models.interchange.digest import write_digest
from models.interchange.directory import export_markdown
from models.interchange.references import write_references
from tui.app.screens.prompt import TextPrompt


class TransferActions:
    """Open or copy a paper's link; import listings; export the view or the selection."""

    # --- links ------------------------------------------------------------------

    def action_open_paper(self) -> None:
        paper = self.paper_list.current
        if paper is None:
            return
        if paper.paper.arxiv_id:
            url = f"https://arxiv.org/abs/{paper.paper.arxiv_id}"
        elif paper.paper.doi:
            url = f"https://doi.org/{paper.paper.doi}"
        else:
            self.notify("This paper has no arXiv id or DOI to open.")
            return
        self.open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def open_in_browser(self, url: str) -> None:
        """Open a graphical browser off the UI thread; without one, copy the link instead
        (a text browser would fight the app for the terminal)."""
        graphical = (
            sys.platform in ("darwin", "win32")
            or os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("BROWSER")
        )
        if graphical and webbrowser.open(url):
            self.call_from_thread(self.notify, f"Opened {url}", markup=False)
            return
        self.call_from_thread(self.copy_to_clipboard, url)
        self.call_from_thread(
            self.notify, f"No browser here; copied {url}", markup=False, severity="warning"
        )

    def action_copy_id(self, cite: bool = False) -> None:
        """Copy the paper's citation key (the one every export gives it), or `\\cite{key}`."""
        paper = self.paper_list.current
        if paper is not None:
            self.copy_citation_key(paper.id, cite)

    @work(thread=True, group="copy", exit_on_error=False)
    def copy_citation_key(self, paper_id: int, cite: bool = False) -> None:
        with self.library.read() as session:
            key = citation_key(session, paper_id)
        self.call_from_thread(self._copied, f"\\cite{{{key}}}" if cite else key)

    def _copied(self, text: str) -> None:
        self.copy_to_clipboard(text)
        self.notify(f"Copied {text}", markup=False)

    # --- import, help, palette ----------------------------------------------------

    @work(group="prompt", exit_on_error=False)
    async def action_import(self) -> None:
        answer = await self.push_screen_wait(
            TextPrompt(
                "Import a listing file or a folder of them",
                paths=True,
                value=str(Path.cwd()) + os.sep,
            )
        )
        if answer:
            path = Path(answer).expanduser()
            files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
            self.import_files(files)

    @work(thread=True, group="import", exit_on_error=False)
    def import_files(self, files: list[Path]) -> None:
        bar = self.query_one(ProgressBar)
        self.call_from_thread(bar.add_class, "-active")
        self.call_from_thread(bar.update, total=len(files), progress=0)
        totals = [0, 0, 0]
        macros = shared_macros(files)  # an abbreviations .bib beside the references
        for path in files:
            try:
                summary = import_listing(self.library, path, macros=macros)
                totals = [
                    totals[0] + summary.new,
                    totals[1] + summary.merged,
                    totals[2] + summary.unchanged,
                ]
            except ListingError as error:
                self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            self.call_from_thread(bar.advance, 1)
        self.call_from_thread(bar.remove_class, "-active")
        self.call_from_thread(
            self.notify,
            f"Imported {len(files)} file(s): {totals[0]} new, {totals[1]} merged, "
            f"{totals[2]} unchanged.",
            markup=False,
        )
        self.call_from_thread(self.reload)

    EXPORTS = {
        "markdown": ("Export to Markdown files in folder", "papershelf-notes"),
        "digest": ("Export a Markdown reading digest to file", "papershelf-digest.md"),
        "bibtex": ("Export BibTeX to file", "papershelf.bib"),
        "ris": ("Export RIS to file", "papershelf.ris"),
        "csl-json": ("Export CSL-JSON to file", "papershelf.json"),
    }

    @work(group="prompt", exit_on_error=False)
    async def action_export(self, kind: str) -> None:
        """Export the selected papers, or else the whole current view."""
        papers = self.paper_list
        ids = [i for i in papers.ids if i in papers.selected] or list(papers.ids)
        if not ids:
            self.notify("Nothing to export in this view.", severity="warning")
            return
        title, default = self.EXPORTS[kind]
        answer = await self.push_screen_wait(
            TextPrompt(f"{title} ({len(ids)} papers)", paths=True, value=str(Path.cwd() / default))
        )
        if answer:
            self.export_papers(kind, ids, Path(answer).expanduser())

    @work(thread=True, group="export", exit_on_error=False)
    def export_papers(self, kind: str, ids: list[int], target: Path) -> None:
        writers = {
            "markdown": lambda session, **args: export_markdown(session, **args, directory=target),
            "digest": lambda session, **args: write_digest(session, **args, path=target),
        }
        try:
            with self.library.read() as session:
                if kind in writers:
                    result = writers[kind](session, reader_id=self.library.reader_id, ids=ids)
                else:
                    result = write_references(
                        session, format_name=kind, reader_id=self.library.reader_id, ids=ids,
                        path=target,
                    )  # fmt: skip
        except OSError as error:
            self.call_from_thread(
                self.notify, f"Not exported: {error}", severity="error", markup=False
            )
            return
        self.call_from_thread(self.notify, result.line(), title="Exported", markup=False)
