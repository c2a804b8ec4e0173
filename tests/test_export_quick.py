"""`papershelf export bibtex|ris|csl-json` of a whole library reads the SQLite file
directly, without loading SQLAlchemy, and writes exactly what the export through a
session writes; anything that needs the library opened properly still gets that."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.interchange.references import REFERENCE_FORMATS
from models.interchange.selection import export_ids
from models.store.database import open_library
from models.store.schema import head_revision
from models.store.schema_version import schema_head
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
LIBRARIES = Path(__file__).parent / "libraries"
FORMATS = sorted(REFERENCE_FORMATS)


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "quick.sqlite")
    assert main(["import", "--db", path, str(DATA / "arxiv_query.xml")]) == 0
    assert main(["set", "--db", path, "1706.03762", "--tag", "ml", "--tag", "attention"]) == 0
    return path


def through_session(db: str, format_name: str) -> str:
    """The export as the app makes it: the library opened, the text rendered from a session."""
    library = open_library(db, reader="tester")
    try:
        with library.read() as session:
            ids = export_ids(
                session, reader_id=library.reader_id, query=None, noted_by_default=False
            )
            return REFERENCE_FORMATS[format_name](session, reader_id=library.reader_id, ids=ids)[0]
    finally:
        library.close()


def run_command(*argv: str) -> subprocess.CompletedProcess:
    """The command as its own process, saying afterwards which modules it loaded."""
    code = (
        "import sys; from tui.cli import main; status = main(sys.argv[1:]); "
        "sys.stdout.flush(); "
        "print('LOADED', *sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'textual', "
        "'httpx', 'rapidfuzz', 'bibtexparser') if m in sys.modules), file=sys.stderr); "
        "sys.exit(status)"
    )
    env = {"PYTHONPATH": str(ROOT), "PAPERSHELF_READER": "tester", "HOME": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, timeout=60
    )


def loaded(result: subprocess.CompletedProcess) -> list[str]:
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED"))
    return line.split()[1:]


def test_the_schema_head_is_read_as_alembic_reads_it():
    assert schema_head() == head_revision()


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_whole_library_export_loads_no_database_layer_and_matches_the_app(db, format_name):
    result = run_command("export", format_name, "--db", db)
    assert result.returncode == 0, result.stderr
    assert loaded(result) == []
    assert result.stdout == through_session(db, format_name)
    assert "vaswani2017attention" in result.stdout


def test_the_file_written_is_the_same_and_left_alone_when_unchanged(db, tmp_path, capsys):
    target = tmp_path / "refs.bib"
    assert main(["export", "bibtex", "--db", db, "-o", str(target)]) == 0
    assert "1 written" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == through_session(db, "bibtex")
    assert main(["export", "bibtex", "--db", db, "-o", str(target)]) == 0
    assert "0 written, 1 unchanged" in capsys.readouterr().out


def test_tags_are_the_readers_own(db, capsys):
    assert main(["export", "bibtex", "--db", db, "--reader", "someone-else"]) == 0
    assert "keywords" not in capsys.readouterr().out
    assert main(["export", "bibtex", "--db", db]) == 0
    assert "keywords      = {attention, ml}" in capsys.readouterr().out


def test_a_new_reader_is_added_as_the_full_open_does(db):
    result = run_command("export", "ris", "--db", db, "--reader", "newcomer")
    assert result.returncode == 0 and "sqlalchemy" in loaded(result)
    names = sqlite3.connect(db).execute("SELECT name FROM reader ORDER BY name").fetchall()
    assert ("newcomer",) in names


def test_a_query_goes_through_the_search(db):
    result = run_command("export", "csl-json", "--db", db, "Attention")
    assert result.returncode == 0 and "sqlalchemy" in loaded(result)
    assert result.stdout.count('"id":') == 1


def test_an_older_library_is_upgraded_first_and_says_so(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy2(LIBRARIES / "schema-0001.sqlite", path)
    result = run_command("export", "bibtex", "--db", str(path))
    assert result.returncode == 0
    assert "upgraded library schema 0001 -> " in result.stderr
    again = run_command("export", "bibtex", "--db", str(path))
    assert again.returncode == 0 and loaded(again) == [] and again.stdout == result.stdout


def test_a_file_that_is_no_library_is_one_line(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n", encoding="utf-8")
    result = run_command("export", "bibtex", "--db", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"papershelf: {path}: not a papershelf")
    assert path.read_text(encoding="utf-8") == "not a database\n"


@pytest.mark.parametrize("format_name", FORMATS)
def test_an_export_larger_than_a_chunk_holds_every_paper_once_in_order(tmp_path, format_name):
    """Exports are read and written a chunk of papers at a time; the joins must not show."""
    import json

    import bibtexparser
    import rispy

    from models.interchange.reference_rows import CHUNK

    count = 2 * CHUNK + 1
    bib = tmp_path / "many.bib"
    bib.write_text(
        "\n".join(
            f"@article{{k{n}, title = {{Paper number {n}}}, author = {{Writer, Ann{n}}},"
            f" year = {{{1900 + n % 120}}}, doi = {{10.5555/many.{n}}}}}"
            for n in range(count)
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "many.sqlite")
    assert main(["import", "--db", db, str(bib)]) == 0
    result = run_command("export", format_name, "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == through_session(db, format_name)
    if format_name == "bibtex":
        dois = [entry["doi"] for entry in bibtexparser.parse_string(result.stdout).entries]
    elif format_name == "ris":
        dois = [entry["doi"] for entry in rispy.loads(result.stdout)]
    else:
        dois = [item["DOI"] for item in json.loads(result.stdout)]
    assert sorted(dois) == sorted(f"10.5555/many.{n}" for n in range(count))
    assert len(set(dois)) == count
