"""The fetch of today's papers, with its progress bar above the footer.

The answers are read and parsed in a thread worker (the network never holds up the
writer); what they bring is then stored by the app's one writer, in one transaction,
and the new papers are indexed for search in the next job. Nothing is written when a
source fails: its line says why, and the other sources still come in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.text import Text
from sqlmodel import Session
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar
from textual.worker import get_current_worker

from models.fetch import (
    Download,
    FetchError,
    FetchSummary,
    PoliteClient,
    UnknownCategory,
    index_new_papers,
)
from models.store.library import Library
from tui.app.fetching import FetchPlan
from tui.app.messages import FetchProgress, FetchRead, Notice, WriteDone, WriteFailed, WriteJob
from tui.app.writer import LibraryWriter

STORE = "fetch"
INDEX = "index the fetched papers"
CANCEL_CHECK = 0.1  # seconds between looks at whether the app is closing


class FetchBar(Horizontal):
    """Shown while a fetch runs: what it does now and how far it has come."""

    DEFAULT_CSS = """
    FetchBar { height: 1; display: none; padding: 0 1; background: $boost; }
    FetchBar.-running { display: block; }
    FetchBar > Label { width: 1fr; height: 1; color: $text-muted; }
    FetchBar > ProgressBar { width: auto; height: 1; }
    """

    def __init__(
        self,
        library: Library,
        writer: LibraryWriter,
        *,
        make_client: Callable[[], PoliteClient] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.writer = writer
        self.make_client = make_client or self._client
        self._summaries: list[FetchSummary] | None = None  # stored, waiting for the index
        self._store_job: WriteJob | None = None
        self._index_job: WriteJob | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="fetch-what", markup=False)
        yield ProgressBar(total=1.0, show_eta=False, id="fetch-progress")

    @property
    def running(self) -> bool:
        return self.has_class("-running")

    def start(self, plan: FetchPlan) -> None:
        """Fetch the plan's sources (one fetch at a time)."""
        if self.running:
            self.notify("A fetch is running already.", severity="warning")
            return
        self.add_class("-running")
        self._show(0.0, 1.0, "fetching…")
        self._read(plan)

    def _show(self, done: float, total: float, what: str) -> None:
        self.query_one(Label).update(Text(what))
        self.query_one(ProgressBar).update(total=total, progress=done)

    def _finish(self) -> None:
        self._summaries = None
        self.remove_class("-running")

    def _client(self) -> PoliteClient:
        """A client that says on the bar when a service makes it wait."""

        def waiting(line: str) -> None:
            self.post_message(FetchProgress(0, 0, line))

        return PoliteClient(on_wait=waiting)

    # --- reading, in a worker ---------------------------------------------------------

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False)
    def _read(self, plan: FetchPlan) -> None:
        """Read in a daemon thread and wait for it here, so quitting never waits for a
        service that is slow to answer (or asks us to wait minutes): the app cancels this
        worker, which stops waiting, and the daemon thread ends with the process."""
        worker = get_current_worker()
        outcome: list[FetchRead | BaseException] = []

        def read_all() -> None:
            try:
                outcome.append(self._read_sources(plan))
            except BaseException as error:  # a bug: reported by the worker below
                outcome.append(error)

        thread = threading.Thread(target=read_all, name="papershelf-fetch", daemon=True)
        thread.start()
        while thread.is_alive():
            if worker.is_cancelled:
                return
            thread.join(CANCEL_CHECK)
        [result] = outcome
        if isinstance(result, BaseException):
            raise result
        self.post_message(result)

    def _read_sources(self, plan: FetchPlan) -> FetchRead:
        readers = plan.readers()
        downloads: list[Download] = []
        failures: list[str] = []
        with self.make_client() as client:
            for index, read in enumerate(readers):

                def progress(done: int, total: int, what: str, index: int = index) -> None:
                    part = done / total if total else 0.0
                    self.post_message(FetchProgress(index + part, len(readers), what))

                try:
                    downloads.append(read(self.library, client, progress))
                except FetchError as error:
                    failures.append(f"{error} (library unchanged)")
                except UnknownCategory as error:
                    failures.append(str(error))
        return FetchRead(downloads, failures)

    @on(FetchProgress)
    def _progress(self, message: FetchProgress) -> None:
        message.stop()
        if message.total:
            self._show(message.done, message.total, message.what)
        else:  # a line without a step: a service asks us to wait
            self.query_one(Label).update(Text(message.what))

    # --- storing, through the writer --------------------------------------------------

    @on(FetchRead)
    def _read_done(self, message: FetchRead) -> None:
        message.stop()
        for line in message.failures:
            self.notify(line, title="Fetch failed", severity="error", markup=False, timeout=15)
        changing = [download for download in message.downloads if download.has_changes]
        if not changing:
            self._report([download.summary for download in message.downloads])
            return
        self.query_one(Label).update(Text("saving…"))
        self._summaries = [d.summary for d in message.downloads if not d.has_changes]

        def store(session: Session) -> list[FetchSummary]:
            return [download.store(session) for download in changing]

        self._store_job = WriteJob(STORE, store, reply_to=self)
        self._index_job = WriteJob(INDEX, index_new_papers, reply_to=self)
        self.writer.submit(self._store_job)
        self.writer.submit(self._index_job)

    @on(WriteDone)
    def _written(self, message: WriteDone) -> None:
        message.stop()
        if message.job is self._store_job and self._summaries is not None:
            self._summaries += message.result
        elif message.job is self._index_job:
            self._report(self._summaries or [])

    @on(WriteFailed)
    def _not_written(self, message: WriteFailed) -> None:
        """Said by the screen (the message goes on to it); a fetch not stored is over."""
        if message.retrying:
            return
        if message.job is self._store_job:
            self._summaries = None
        elif message.job is self._index_job:
            self._report(self._summaries or [])

    def _report(self, summaries: list[FetchSummary]) -> None:
        """What came in, one line per source; the list shows it."""
        self._finish()
        if not summaries:
            return
        lines = [summary.line() for summary in summaries]
        lines += [warning for summary in summaries for warning in summary.warnings[:3]]
        self.screen.post_message(Notice("\n".join(lines), title="Fetched", reload=True))
