"""Upgrades: a library made by every released schema opens in this version, with its
papers, notes, tags and ratings, and a backup of the old file named in the message."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from models import database
from models.database import head_revision, open_library
from models.papers import paper_view
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


@pytest.fixture
def newer_head(tmp_path, monkeypatch) -> str:
    """This version with one more migration than it has: every library here is older."""
    migrations = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS, migrations)
    (migrations / "versions" / "9999_trust_probe.py").write_text(
        f'''"""A migration the tests add, so today's libraries have an upgrade to go through."""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {head_revision()!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("trust_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("trust_probe")
'''
    )
    monkeypatch.setattr(database, "MIGRATIONS", migrations)
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
