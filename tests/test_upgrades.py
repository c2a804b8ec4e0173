"""Upgrades: a library made by every released schema opens in this version, with its
papers, notes, tags and ratings, and a backup of the old file named in the message."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.shelf.papers import paper_view
from models.store import schema
from models.store.database import open_library
from models.store.schema import head_revision
from tui.cli import main

LIBRARIES = sorted((Path(__file__).parent / "libraries").glob("schema-*.sqlite"))


def raw(path: Path, query: str) -> list[tuple]:
    """Rows straight from the file, without the current code's models or migrations."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def what_it_holds(path: Path) -> dict:
    """What a reader must find again after the upgrade, read from the old file as it is."""
    return {
        "papers": raw(path, "SELECT id, arxiv_id, doi, title, abstract FROM paper ORDER BY id"),
        "notes": raw(path, "SELECT paper_id, body FROM note ORDER BY id"),
        "tags": raw(
            path,
            "SELECT paper_id, tag.name FROM paper_tag JOIN tag ON tag.id = tag_id "
            "ORDER BY paper_id, tag.name",
        ),
        "states": raw(path, "SELECT paper_id, status, rating FROM reading_state ORDER BY paper_id"),
    }


def revision(path: Path) -> str:
    return raw(path, "SELECT version_num FROM alembic_version")[0][0]


def test_there_is_a_library_for_the_first_schema():
    assert [path.name for path in LIBRARIES][:1] == ["schema-0001.sqlite"]


@pytest.mark.parametrize("made_by", LIBRARIES, ids=[path.stem for path in LIBRARIES])
def test_a_library_of_each_released_schema_opens_with_everything_in_it(made_by, tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copy2(made_by, path)
    old = revision(path)
    held = what_it_holds(path)
    original = path.read_bytes()

    library = open_library(str(path), reader="tester")
    try:
        assert revision(path) == head_revision()
        with library.read() as session:
            views = [
                paper_view(session, reader_id=library.reader_id, paper_id=paper_id)
                for paper_id, *_ in held["papers"]
            ]
        assert [
            (v.id, v.paper.arxiv_id, v.paper.doi, v.paper.title, v.paper.abstract) for v in views
        ] == held["papers"]
        assert [(v.id, n.body) for v in views for n in v.notes] == held["notes"]
        assert [(v.id, tag) for v in views for tag in sorted(v.tags)] == held["tags"]
        states = {(v.id, v.status, v.rating) for v in views if v.status != "new" or v.rating}
        assert states == set(held["states"])
        backups = sorted(tmp_path.glob("library.sqlite.*.bak"))
        if old == head_revision():
            assert library.messages == [] and backups == []
        else:
            [backup] = backups
            assert backup.name.startswith(f"library.sqlite.{old}.")
            assert library.messages == [
                f"upgraded library schema {old} -> {head_revision()}; backup of the old file: "
                f"{backup}"
            ]
            assert backup.read_bytes() == original
    finally:
        library.close()


def probe_migrations(folder: Path, upgrade: str) -> Path:
    """A copy of this version's migrations with one more, revision 9999, doing `upgrade`."""
    migrations = folder / "migrations"
    shutil.copytree(schema.MIGRATIONS, migrations)
    (migrations / "versions" / "9999_trust_probe.py").write_text(
        f'''"""A migration the tests add, so today's libraries have an upgrade to go through."""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {head_revision()!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    {upgrade}


def downgrade() -> None:
    op.drop_table("trust_probe")
'''
    )
    return migrations


@pytest.fixture
def newer_head(tmp_path, monkeypatch) -> str:
    """This version with one more migration than it has: every library here is older."""
    upgrade = 'op.create_table("trust_probe", sa.Column("id", sa.Integer(), primary_key=True))'
    monkeypatch.setattr(schema, "MIGRATIONS", probe_migrations(tmp_path, upgrade))
    return "9999"


def test_an_upgrade_backs_the_old_file_up_first_and_says_where(newer_head, tmp_path, capsys):
    path = tmp_path / "library.sqlite"
    shutil.copy2(LIBRARIES[-1], path)
    old, original = revision(path), path.read_bytes()
    held = what_it_holds(path)
    assert main(["--db", str(path), "list", "--limit", "1"]) == 0
    [backup] = tmp_path.glob("library.sqlite.*.bak")
    err = capsys.readouterr().err
    assert err == (
        f"papershelf: upgraded library schema {old} -> {newer_head}; "
        f"backup of the old file: {backup}\n"
    )
    assert backup.read_bytes() == original
    assert revision(path) == newer_head
    assert what_it_holds(path) == held
    assert main(["--db", str(path), "list", "--limit", "1"]) == 0  # once only
    assert capsys.readouterr().err == ""
    assert len(list(tmp_path.glob("library.sqlite.*.bak"))) == 1


def test_a_library_from_a_newer_papershelf_is_refused_untouched(tmp_path, capsys):
    path = tmp_path / "library.sqlite"
    shutil.copy2(LIBRARIES[-1], path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    connection.commit()
    connection.close()
    original = path.read_bytes()
    assert main(["--db", str(path), "list"]) == 1
    assert capsys.readouterr().err == (
        f"papershelf: {path}: made by a newer papershelf (schema ffff); "
        "upgrade papershelf to open it\n"
    )
    assert path.read_bytes() == original


#: The upgrade in its own process, with the slow probe migration in place of the real ones.
UPGRADE_WITH = """
import sys
from pathlib import Path
from models.store import schema
from tui.cli import main
schema.MIGRATIONS = Path(sys.argv[1])
sys.exit(main(["--db", sys.argv[2], "list", "--limit", "1"]))
"""
SLOW_UPGRADE = (
    'op.execute("CREATE TABLE trust_probe AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL "'
    "\"SELECT x + 1 FROM n LIMIT 3000000) SELECT x, printf('%030d', x) AS pad FROM n\")"
)


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_kill_9_during_an_upgrade_leaves_the_old_library_and_its_backup(tmp_path, journal):
    path = tmp_path / "library.sqlite"
    shutil.copy2(LIBRARIES[-1], path)
    connection = sqlite3.connect(path)  # "wal": as every library is once papershelf opened it
    connection.execute(f"PRAGMA journal_mode = {journal}")
    connection.close()
    old, held = revision(path), what_it_holds(path)
    migrations = probe_migrations(tmp_path, SLOW_UPGRADE)
    process = subprocess.Popen(
        [sys.executable, "-c", UPGRADE_WITH, str(migrations), str(path)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    files = [path, path.with_name(path.name + "-wal")]
    size = path.stat().st_size
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        written = sum(file.stat().st_size for file in files if file.exists())
        if written > size + 4_000_000:  # the migration's table is being written
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()

    [backup] = tmp_path.glob("library.sqlite.*.bak")
    assert revision(backup) == old and what_it_holds(backup) == held
    # This version opens it (rolling the killed upgrade back first), and upgrades it to
    # this version's own head with everything still in it.
    assert main(["--db", str(path), "list", "--limit", "1"]) == 0
    assert revision(path) == head_revision() and what_it_holds(path) == held
    assert raw(path, "PRAGMA integrity_check") == [("ok",)]
    assert "trust_probe" not in {name for (name,) in raw(path, "SELECT name FROM sqlite_master")}
