"""The one writer: every change from the app, in the order the keys were pressed.

A single-thread executor runs each `WriteJob` in its own transaction and posts
`WriteDone` or `WriteFailed` to whoever asked. A job that meets a lock held by
another program says so at once and is tried again until it commits, so later
jobs wait behind it instead of being lost. Between jobs the same thread asks
SQLite's `PRAGMA data_version`, which changes exactly when another connection
commits, and posts `LibraryChanged` when something other than this writer wrote.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.exc import OperationalError
from textual.message import Message
from textual.message_pump import MessagePump

from models.store.library import Library
from tui.app.messages import LibraryChanged, WriteDone, WriteFailed, WriteJob, WriterIdle

LOCK_WAIT = 0.2  # seconds a try waits on another program's lock before saying so
RETRY_EVERY = (0.1, 0.25, 0.5, 1.0)  # seconds between tries, then every last one


def is_locked(error: BaseException) -> bool:
    """Whether another connection holds the lock (SQLite's `database is locked`/busy)."""
    text = str(getattr(error, "orig", error)).lower()
    return isinstance(error, OperationalError) and ("locked" in text or "busy" in text)


class LibraryWriter:
    """Runs write jobs one after another on one thread; watches for writes from elsewhere."""

    def __init__(self, library: Library, app: MessagePump) -> None:
        self.library = library
        self.app = app
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="papershelf-writer")
        self._queued: list[WriteJob] = []
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        # Held through each try: quitting without waiting decides what was dropped only
        # between tries, so a job reported unsaved can never commit a moment later.
        self._trying = threading.Lock()
        self._watch: sqlite3.Connection | None = None
        self._version: int | None = None
        self._wrote = False
        self._watch_queued = False

    # --- jobs -------------------------------------------------------------------

    def submit(self, job: WriteJob) -> None:
        with self._changed:
            self._queued.append(job)
        self._executor.submit(self._run, job)

    @property
    def queued(self) -> list[WriteJob]:
        """Jobs not yet committed, oldest first (the one being tried included)."""
        with self._changed:
            return list(self._queued)

    @property
    def idle(self) -> bool:
        return not self.queued

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every job submitted so far has finished (tests, quitting)."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._queued, timeout)

    def _run(self, job: WriteJob) -> None:
        message: Message | None = None
        try:
            message = self._commit(job)
        finally:
            # Off the queue before anyone hears of it: a handler may ask whether it is idle.
            with self._changed:
                if job in self._queued:
                    self._queued.remove(job)
                empty = not self._queued
                self._changed.notify_all()
            if message is not None:
                self._post(job, message)
            if empty and not self._stopping.is_set():
                self._send(self.app, WriterIdle())

    def _commit(self, job: WriteJob) -> Message | None:
        """Try until the job commits or fails for a reason other than a lock (None: the
        app quit while it waited)."""
        told = False
        attempt = 0
        while True:
            try:
                with self._trying:
                    if self._stopping.is_set():
                        return None
                    with self.library.write(wait=LOCK_WAIT) as session:
                        result = job.change(session)
                    with self._changed:
                        self._queued.remove(job)  # committed: no longer one to drop
            except Exception as error:
                if not is_locked(error):
                    return WriteFailed(job, error, retrying=False)
                if not told:
                    told = True
                    self._post(job, WriteFailed(job, error, retrying=True))
                self._stopping.wait(RETRY_EVERY[min(attempt, len(RETRY_EVERY) - 1)])
                attempt += 1
                continue
            self._wrote = True
            return WriteDone(job, result)

    def _post(self, job: WriteJob, message: Message) -> None:
        self._send(job.reply_to or self.app, message)

    @staticmethod
    def _send(target: MessagePump, message: Message) -> None:
        target.post_message(message)  # thread-safe; False once the target is gone

    # --- changes from elsewhere -------------------------------------------------

    def check_for_changes(self) -> Future[None] | None:
        """Ask (on the writer thread, between jobs) whether another program wrote; the
        look's future (None when one is already waiting or the library is no file)."""
        if self.library.location.path is None or self._watch_queued or self.stopped:
            return None
        self._watch_queued = True
        return self._executor.submit(self._check)

    def _check(self) -> None:
        self._watch_queued = False
        if self._stopping.is_set():
            return
        try:
            if self._watch is None:
                # Its own connection: data_version counts commits by every other one,
                # the writer's pooled connections included (told apart by `_wrote`).
                self._watch = sqlite3.connect(str(self.library.location.path))
            version = self._watch.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return
        changed = self._version is not None and version != self._version
        ours, self._wrote = self._wrote, False
        self._version = version
        if changed and not ours:
            self._send(self.app, LibraryChanged())

    # --- the end ----------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        return self._stopping.is_set()

    def stop(self, *, drop: bool = False) -> list[WriteJob]:
        """Finish every job (or, with `drop`, give up on those not committed); the dropped."""
        if self._stopping.is_set():
            return []
        dropped: list[WriteJob] = []
        if drop:
            with self._trying:
                self._stopping.set()
                dropped = self.queued
        else:
            self._executor.submit(self._close_watch)
        self._executor.shutdown(wait=not drop, cancel_futures=drop)
        self._stopping.set()
        return dropped

    def _close_watch(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
