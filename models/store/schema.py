"""The library's schema: Alembic migrations applied on open, an older file backed up first."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sqlalchemy import (
    inspect,
)

from models.core.times import utcnow
from models.store.library import Library, LibraryError

MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic_config(connection):
    from alembic.config import Config

    config = Config(stdout=sys.stdout)  # the current stream: its default was bound at import
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this version of papershelf knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None  # the versions folder ships with the package
    return head


def migrate_schema(library: Library) -> None:
    """Apply pending migrations; back an older SQLite file up first and say where."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    with library.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        connection.rollback()
        if current == head:
            return
        tables = set(inspect(connection).get_table_names())
        if current is None and tables - {"alembic_version"}:
            raise LibraryError(
                f"{library.location.label}: not a papershelf library (it has other tables)"
            )
        if current is not None and current not in _known_revisions():
            raise LibraryError(
                f"{library.location.label}: made by a newer papershelf (schema {current}); "
                "upgrade papershelf to open it"
            )
    if current is not None and library.location.path is not None:
        backup = _backup(library, current)
        library.messages.append(
            f"upgraded library schema {current} -> {head}; backup of the old file: {backup}"
        )
    with library.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def _backup(library: Library, revision: str) -> Path:
    """Copy the library file (with its WAL folded in) beside itself before an upgrade."""
    path = library.location.path
    assert path is not None
    with library.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    shutil.copy2(path, backup)
    return backup
