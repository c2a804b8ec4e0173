"""Driving the app in tests: wait for its workers and writer, read what it shows and says."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from models.shelf.papers import PaperView, paper_view
from models.store.library import Library
from tui.app.app import PapershelfApp
from tui.app.screens.main import MainScreen
from tui.app.widgets import PaperList

SIZE = (120, 40)
PAUSES = 5000  # a bound on waiting, in frames (no wall-clock sleeps)


class Recorder:
    """Every message the app handles (`run_test(message_hook=recorder)`)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def of(self, kind: type[Message]) -> list:
        return [message for message in self.messages if isinstance(message, kind)]

    @property
    def notifications(self) -> list[Notification]:
        return [message.notification for message in self.of(Notify)]

    def said(self, words: str) -> bool:
        return any(words in n.message for n in self.notifications)

    def errors(self) -> list[str]:
        return [n.message for n in self.notifications if n.severity == "error"]


async def settle(app: PapershelfApp, pilot: Pilot) -> None:
    """Wait until the writer, the workers and the screen have caught up."""
    for _ in range(6):
        await pilot.pause()
        await asyncio.to_thread(app.writer.wait_idle, 10)
        await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot: Pilot, condition: Callable[[], object], what: str = "") -> None:
    """Let the app run frame by frame until `condition()` holds."""
    for _ in range(PAUSES):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what or condition}")


def main_screen(app: PapershelfApp) -> MainScreen:
    return app.main


def paper_list(app: PapershelfApp) -> PaperList:
    return app.main.paper_list


def state(library: Library, paper_id: int) -> PaperView:
    with library.read() as session:
        return paper_view(session, reader_id=library.reader_id, paper_id=paper_id)


def row_text(app: PapershelfApp, index: int) -> str:
    papers = paper_list(app)
    return papers.render_line(index - papers.scroll_offset.y).text


def tab_labels(app: PapershelfApp) -> str:
    from textual.widgets import Tab

    return "  ".join(str(tab.label) for tab in app.main.query(Tab))


@contextmanager
def lock_held(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding the library's write lock (`BEGIN IMMEDIATE`) until the
    block ends; the connection can commit early with `.commit()`."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    finally:
        if connection.in_transaction:
            connection.execute("COMMIT")
        connection.close()


CHARACTERS = {"slash": "/", "space": " ", "plus": "+", "minus": "-", "enter": "\r"}


def burst(app: PapershelfApp, *keys: str) -> None:
    """Send keys all at once, as a paste into the terminal or a fast typist does: every
    key is queued before the app handles the first. A key is a letter or digit, or a
    Textual key name (`slash`, `escape`, `space`)."""
    from textual import events

    for key in keys:
        character = key if len(key) == 1 else CHARACTERS.get(key)
        app.post_message(events.Key(key, character))
