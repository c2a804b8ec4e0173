"""Messages the app's workers and its writer post; `@on` handlers apply them on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from textual.message import Message
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel

from models.fetch import Download
from models.search.query import QueryError
from models.search.watches import WatchCount
from models.shelf.papers import PaperView

if TYPE_CHECKING:
    from tui.app.view import View


@dataclass
class ViewLoaded(Message):
    """The ids of a view (`complete` once all have come), with counts and how typos read."""

    view: View
    ids: list[int]
    counts: dict[str, int] | None  # None on the first page: they come with the rest
    total: int
    keep: int | None = None
    complete: bool = True
    readings: list[tuple[str, list[str]]] = field(default_factory=list)
    rows: list[PaperView] = field(default_factory=list)
    #: Set once the first page is on screen: the worker's long reads wait for it, so they
    #: never hold the interpreter while the first screenful is being painted.
    painted: threading.Event | None = None


@dataclass
class ViewFailed(Message):
    """The view's query cannot be understood."""

    view: View
    error: QueryError


@dataclass
class RowsLoaded(Message):
    """Rows of the list, fetched as they scrolled into view."""

    views: list[PaperView]


@dataclass
class TagsLoaded(Message):
    """The reader's tags, most used first, for a prompt's completion."""

    names: list[str]


@dataclass(eq=False)
class WriteJob:
    """One change in one transaction, and who hears how it went."""

    description: str
    change: Callable[[Session], Any]
    reply_to: MessagePump | None = None
    #: Text to keep if the app must quit before this job commits (a note's body).
    unsaved_text: Callable[[], str | None] = field(default=lambda: None)


@dataclass
class WriteDone(Message):
    """A write job committed; `result` is what its change returned."""

    job: WriteJob
    result: Any


@dataclass
class WriteFailed(Message):
    """A write job did not commit; `retrying` while another program holds the lock."""

    job: WriteJob
    error: Exception
    retrying: bool


@dataclass
class WriterIdle(Message):
    """Every write asked for so far has finished."""


@dataclass
class LibraryChanged(Message):
    """Another program (the command line, another app) committed a change."""


@dataclass
class Imported(Message):
    """An import from the app added these papers (the palette can take them back)."""

    paper_ids: list[int]
    description: str


@dataclass
class Notice(Message):
    """A line for the user from a worker (an import's or an export's summary)."""

    text: str
    title: str = ""
    severity: SeverityLevel = "information"
    reload: bool = False


@dataclass
class WatchMarks(Message):
    """Which of the papers `asked` about are Inbox papers a watch matches."""

    asked: list[int]
    watched: set[int]


@dataclass
class WatchesCounted(Message):
    """The reader's watches with their counts, for the view tabs."""

    watches: list[WatchCount]


@dataclass
class FetchProgress(Message):
    """How far a fetch has come: `done` of `total`, and what it does now."""

    done: float
    total: float
    what: str


@dataclass
class FetchRead(Message):
    """A fetch's answers, read and parsed (nothing written yet), and the sources that failed,
    one line each."""

    downloads: list[Download]
    failures: list[str]
