"""Telling an open view that the library changed under it: another terminal, another reader.

On SQLite, `PRAGMA data_version` on one long-lived connection changes exactly when
another connection commits, so a cheap poll (a few microseconds) finds every commit.
On PostgreSQL, migration 0007's triggers send a notice on `papershelf_changes` with
every committed change, and a connection of its own LISTENs; when that connection
drops, the watcher reconnects and reports a change, so the caller's reload is the
catch-up for whatever it missed meanwhile.

A watcher blocks its caller while it waits: run it in a thread (the app's worker),
never on a UI thread. Writes through the library's own engine count as changes too,
unless the watcher is told to `ignore_own` (PostgreSQL only: a notice names the server
process that sent it, and the watcher knows its engine's, so an app that already shows
its own writes is told only of the others').
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event

from models.store.library import Library

CHANNEL = "papershelf_changes"
#: How often SQLite's counter is read while waiting, in seconds.
POLL = 0.1
#: The longest pause between attempts to reach a PostgreSQL server that went away.
MAX_BACKOFF = 5.0


class ChangeWatcher:
    """Waits for commits to a library from anywhere but this watcher itself."""

    def __init__(self, library: Library, *, ignore_own: bool = False) -> None:
        self.library = library
        self.closed = threading.Event()
        self._postgres = library.engine.dialect.name == "postgresql"
        self._connection: Any = None  # sqlite3's or psycopg's, as the library is
        self._version: int | None = None
        self._own: set[int] = set()  # server processes of the library's own engine
        if ignore_own and self._postgres:
            # Checked out before every write, so known before its notice can arrive.
            event.listen(library.engine, "checkout", self._note_own)
        self._connect()

    def _note_own(self, dbapi_connection: Any, *_: Any) -> None:
        self._own.add(dbapi_connection.info.backend_pid)

    def wait(self, timeout: float) -> bool:
        """True as soon as someone commits a change (or after a reconnection, when changes
        may have been missed); False if `timeout` seconds pass without one or it is closed."""
        deadline = time.monotonic() + timeout
        if self._postgres:
            return self._wait_postgres(deadline)
        while not self.closed.is_set():
            version = self._sqlite_version()
            if version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.closed.wait(min(POLL, left))
        return False

    def close(self) -> None:
        self.closed.set()
        if event.contains(self.library.engine, "checkout", self._note_own):
            event.remove(self.library.engine, "checkout", self._note_own)
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --- SQLite --------------------------------------------------------------------

    def _sqlite_version(self) -> int:
        assert self._connection is not None
        return self._connection.execute("PRAGMA data_version").fetchone()[0]

    # --- PostgreSQL ------------------------------------------------------------------

    def _connect(self) -> None:
        if not self._postgres:
            path = self.library.location.path
            target = f"file:{path}?mode=ro" if path else ":memory:"
            self._connection = sqlite3.connect(target, uri=bool(path), check_same_thread=False)
            self._version = self._sqlite_version()
            return
        import psycopg

        url = self.library.engine.url.set(drivername="postgresql")
        self._connection = psycopg.connect(
            url.render_as_string(hide_password=False), autocommit=True
        )
        self._connection.execute(f"LISTEN {CHANNEL}")

    def _wait_postgres(self, deadline: float) -> bool:
        import psycopg

        backoff = 0.2
        while not self.closed.is_set():
            left = deadline - time.monotonic()
            try:
                if self._connection is None:
                    self._connect()
                    return True  # back after a drop: whatever happened meanwhile, reload
                if left <= 0:
                    return False
                # A list at once: the generator holds the connection's lock until done.
                got = list(self._connection.notifies(timeout=min(left, 1.0), stop_after=1))
                if got and self._foreign(got + self._drain()):
                    return True
            except psycopg.OperationalError:
                if self._connection is not None:
                    self._connection.close()
                    self._connection = None
                if left <= 0:
                    return False
                self.closed.wait(min(backoff, max(left, 0)))
                backoff = min(backoff * 2, MAX_BACKOFF)
        return False

    def _drain(self) -> list[Any]:
        """Take the notices already queued: one report covers them all."""
        assert self._connection is not None
        return list(self._connection.notifies(timeout=0.01))  # 0 would mean no timeout

    def _foreign(self, notices: list[Any]) -> bool:
        """Whether any of these notices came from elsewhere than the library's own engine."""
        return any(notice.pid not in self._own for notice in notices)


def watch_changes(
    library: Library, *, stop: threading.Event, ignore_own: bool = False
) -> Iterator[None]:
    """Yield once per change to the library (a burst of commits may be one), until `stop`.

    Watching starts at the call, not at the first `next()`, so nothing committed in
    between is missed. For a thread worker: `for _ in watch_changes(library, stop=e): ...`.
    """
    return _reports(ChangeWatcher(library, ignore_own=ignore_own), stop)


def _reports(watcher: ChangeWatcher, stop: threading.Event) -> Iterator[None]:
    try:
        while not stop.is_set():
            if watcher.wait(timeout=0.5):
                yield
    finally:
        watcher.close()
