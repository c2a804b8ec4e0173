"""What a fetch reports (FetchSummary), its progress steps, and a fetch read but not yet
stored (Download): the network half of a fetch apart from its storing half, so the app
can read in a worker and hand the store step to its one writer.

`fetch_arxiv` and `fetch_hf` are `read_arxiv(...).merge(library)` and
`read_hf(...).merge(library)`; the app calls `Download.store(session)` in a write job
of its own, then `index_new_papers(session)` in the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from models.fetch.http import Validators
from models.fetch.merge import Incoming, MergeCounts, merge_in_transaction, merge_incoming
from models.ingest.importer import collector_paused
from models.store.library import Library
from models.store.search_index import index_pending, is_available

#: `progress(done, total, what)`: `done` of `total` steps, and what happens now.
Progress = Callable[[int, int, str], None]
NOT_MODIFIED = "nothing new (unchanged since the last fetch)"


@dataclass
class Steps:
    """Counts the steps of one fetch for its progress callback."""

    report: Progress
    total: int
    done: int = 0

    def start(self, what: str) -> None:
        self.report(self.done, self.total, what)
        self.done += 1

    def finish(self, summary: FetchSummary) -> FetchSummary:
        self.report(self.total, self.total, summary.line())
        return summary


@dataclass
class FetchSummary:
    """What one fetch brought: the counts the app and the command line report."""

    source: str
    new: int = 0
    cross_lists: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # replacements of papers not in the library
    not_found: int = 0  # ids or DOIs the service does not have
    not_modified: bool = False
    announced: date | None = None
    #: Set when there was nothing to do, and why; the line then says only that.
    note: str | None = None
    #: Whether this source announces cross-lists at all (arXiv's feed does).
    has_cross_lists: bool = False
    warnings: list[str] = field(default_factory=list)

    def add(self, counts: MergeCounts) -> None:
        self.new += counts.new
        self.cross_lists += counts.cross_lists
        self.updated += counts.updated
        self.unchanged += counts.unchanged
        self.skipped += counts.skipped

    def line(self) -> str:
        """`arXiv cs.CL (2026-12-01): 34 new, 8 cross-lists, 3 updated, 120 unchanged`."""
        head = self.source + (f" ({self.announced})" if self.announced else "")
        if self.note:
            return f"{head}: {self.note}"
        parts = [f"{self.new} new"]
        if self.has_cross_lists:
            parts.append(f"{self.cross_lists} cross-list{'s' if self.cross_lists != 1 else ''}")
        parts += [f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.skipped:
            parts.append(f"{self.skipped} replacements of papers not in the library skipped")
        if self.not_found:
            parts.append(f"{self.not_found} not found")
        return f"{head}: {', '.join(parts)}"


@dataclass
class Download:
    """Answers read and parsed, nothing written yet: what one fetch would merge."""

    summary: FetchSummary
    steps: Steps
    what: str  # what the items are, for the progress line: "announcements", "papers"
    incoming: list[Incoming] = field(default_factory=list)
    replacements: bool = False
    validators: dict[str, Validators] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        """Whether storing it writes anything (an unchanged feed writes nothing)."""
        return not self.summary.not_modified

    def merge(self, library: Library) -> FetchSummary:
        """Merge in one transaction of its own, then index the new papers (the command line)."""
        if self.has_changes:
            self._starting()
            self.summary.add(
                merge_incoming(
                    library,
                    self.incoming,
                    replacements=self.replacements,
                    validators=self.validators,
                )
            )
        return self.steps.finish(self.summary)

    def store(self, session: Session) -> FetchSummary:
        """Merge in the caller's transaction (the app's writer); the new papers are indexed
        by `index_new_papers` in a later one."""
        if self.has_changes:
            self._starting()
            with collector_paused():
                counts = merge_in_transaction(
                    session.connection(),
                    self.incoming,
                    replacements=self.replacements,
                    validators=self.validators,
                )
            self.summary.add(counts)
        return self.steps.finish(self.summary)

    def _starting(self) -> None:
        self.steps.start(f"merging {len(self.incoming)} {self.what}")


def index_new_papers(session: Session) -> int:
    """Add the papers stored since the last indexing to the search index (SQLite's FTS5;
    nothing to do elsewhere), in the caller's transaction."""
    if not is_available(session):
        return 0
    return index_pending(session.connection())  # 0 when nothing waits


def quiet(done: int, total: int, what: str) -> None:
    """The progress callback when nobody watches."""
