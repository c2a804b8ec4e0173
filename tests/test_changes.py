"""An open view learns that the library changed: another terminal's commit, a dropped
server connection (then a catch-up), and nothing when nothing changed."""

from __future__ import annotations

import threading

import pg_databases
import pytest

from models.ingest.importer import import_listing
from models.shelf.reading import set_status
from models.store.changes import ChangeWatcher, watch_changes
from models.store.database import open_library


@pytest.fixture
def watcher(library, seeds):
    import_listing(library, seeds[0])
    watching = ChangeWatcher(library)
    yield watching
    watching.close()


def _other_terminal_sets(library, status: str) -> None:
    other = open_library(library.location.url, reader="someone-else")
    try:
        with other.write() as session:
            set_status(session, reader_id=other.reader_id, paper_id=1, status=status)
    finally:
        other.close()


def test_a_commit_elsewhere_is_reported_and_quiet_is_not(library, watcher):
    assert not watcher.wait(timeout=0.05)
    _other_terminal_sets(library, "read")
    assert watcher.wait(timeout=5)
    assert not watcher.wait(timeout=0.05)  # one report per change, not one per wait


def test_reading_is_not_a_change(library, watcher):
    with library.read() as session:
        session.connection().exec_driver_sql("SELECT count(*) FROM paper").scalar()
    assert not watcher.wait(timeout=0.05)


def test_watch_changes_yields_for_each_change_until_stopped(library, seeds):
    stop = threading.Event()
    changes = watch_changes(library, stop=stop)
    import_listing(library, seeds[0])
    next(changes)
    stop.set()
    assert list(changes) == []


def test_a_dropped_server_connection_reconnects_and_reports_a_catch_up(library, watcher, backend):
    if backend != "postgresql":
        pytest.skip("a server connection")
    pid = watcher._connection.info.backend_pid
    with pg_databases.admin_connection() as admin:
        admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    assert watcher.wait(timeout=10)  # reconnected: anything may have been missed
    assert watcher._connection.info.backend_pid != pid
    _other_terminal_sets(library, "skipped")
    assert watcher.wait(timeout=5)  # and listening again


def test_ignore_own_reports_other_writers_only(library, seeds, backend):
    if backend != "postgresql":
        pytest.skip("a notice names its server process on PostgreSQL only")
    import_listing(library, seeds[0])
    watching = ChangeWatcher(library, ignore_own=True)
    try:
        with library.write() as session:  # through the watched library's own engine
            set_status(session, reader_id=library.reader_id, paper_id=1, status="read")
        assert not watching.wait(timeout=0.3)
        _other_terminal_sets(library, "skipped")
        assert watching.wait(timeout=5)
    finally:
        watching.close()
