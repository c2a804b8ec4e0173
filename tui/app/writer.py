"""One thread that writes to the library, in the order the keys were pressed.

Every change from the app becomes a `WriteJob` on this queue: the job runs in its own
transaction on the writer thread, and its result comes back to the UI thread through
`call_from_thread`. Keys never wait for the database, and two quick keys never race.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from models.store.library import Library


@dataclass
class WriteJob:
    """A change to make in one transaction, and what to call with its result."""

    change: Callable[[Session], Any]
    done: Callable[[Any], None] | None = None
    failed: Callable[[Exception], None] | None = None


class Writer:
    """Runs write jobs one after another on a background thread."""

    def __init__(self, library: Library, call_from_thread: Callable[..., Any]) -> None:
        self.library = library
        self._call = call_from_thread
        self._jobs: queue.Queue[WriteJob | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._pending = 0
        self._finished = float("-inf")
        self._thread = threading.Thread(target=self._run, name="papershelf-writer", daemon=True)
        self._thread.start()

    def submit(self, job: WriteJob) -> None:
        with self._lock:
            self._pending += 1
            self._idle.clear()
        self._jobs.put(job)

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def wrote_within(self, seconds: float) -> bool:
        """Whether a job finished in the last `seconds` (its change is the app's own)."""
        return time.monotonic() - self._finished < seconds

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every submitted job has run (for quitting and for tests)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                with self.library.write() as session:
                    result = job.change(session)
            except Exception as error:  # reported to the UI, never lost silently
                if job.failed:
                    self._safe_call(job.failed, error)
            else:
                if job.done:
                    self._safe_call(job.done, result)
            self._finished = time.monotonic()
            with self._lock:
                self._pending -= 1
                if not self._pending:
                    self._idle.set()

    def _safe_call(self, callback: Callable[[Any], None], value: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app is gone (quitting): nothing to tell
            self._call(callback, value)
