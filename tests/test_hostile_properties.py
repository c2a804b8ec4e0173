"""The real command line against mutated listings, `.bib` files, feeds and backups:
whatever the mutation, `papershelf import` imports what it can (the library sound and
clean) or prints one line and exits 2 (or 1), the library exactly as it was."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from conftest import dump_tables
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
CORPUS = Path(__file__).parent / "corpus"
#: Bounded: a few seconds a format, and no shrinking (a failure prints the example as found).
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
#: bibtexparser 1.x raises its UndefinedString (a KeyError) for an undefined `@string`
#: macro; the bibtexparser 2 reader that replaces it must report it as FILE:LINE instead.
#: What the adversarial run spliced in: numbers past every column, nesting past the
#: stack, escapes, surrogates, JSON of the wrong kind, and the formats' own syntax.
HOSTILE = [
    "9" * 25, "9" * 5000, "-1", "0", "18446744073709551616", "1e999", "9999-12-31",
    "0000-00-00", "+99:00", "{" * 200, "}" * 50, "\\'" * 900, "@string{a = a # a}",
    "\x1b]0;PWNED\x07", "\x1b]52;c;eA==\x07", "\x9b2J", "\u202e", "\\ud800", "\x00",
    "null", "[]", "{}", '"', ",", ":", "\n", "\n\n", "arXiv:2401.00001v99999999999",
    "Created: 2024-13-45", " - doi: 10.1/\x1b[2J", "99999 authors", "Feb 30, 99999",
    "<title>", "</entry>", "<!DOCTYPE x [<!ENTITY a 'a'>]>", "&a;",
]  # fmt: skip
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, Path]:
    """A small library with reader state, and its backup: what mutations start from."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "template.sqlite"
    for source in (DATA / "sample.bib", DATA / "arxiv_query.xml"):
        assert main(["--db", str(db), "--reader", "tester", "import", str(source)]) == 0
    assert main(["--db", str(db), "--reader", "tester", "set", "1", "--status", "read"]) == 0
    assert main(["--db", str(db), "--reader", "tester", "note", "1", "A note to keep."]) == 0
    backup = folder / "backup.json"
    assert main(["--db", str(db), "export", "json", "-o", str(backup)]) == 0
    return db, backup


def seeds(template: tuple[Path, Path]) -> dict[str, bytes]:
    listing = (ROOT / "seeds" / "000_950f68edfbbc750a.txt").read_bytes()[:4000]
    return {
        "listing.txt": listing,
        "page.txt": (ROOT / "seeds" / "003_2941fd94b31b7ed2.txt").read_bytes()[:4000],
        "refs.bib": (DATA / "sample.bib").read_bytes(),
        "feed.xml": (DATA / "arxiv_query.xml").read_bytes(),
        "backup.json": template[1].read_bytes(),
    }


edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from(["insert", "replace", "delete", "repeat"]),
        st.sampled_from(HOSTILE),
        st.integers(1, 64),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, changes: list[tuple[float, str, str, int]]) -> bytes:
    for where, kind, piece, length in changes:
        at = int(where * len(data))
        payload = piece.encode("utf-8", "surrogatepass")
        if kind == "insert":
            data = data[:at] + payload + data[at:]
        elif kind == "replace":
            data = data[:at] + payload + data[at + length :]
        elif kind == "delete":
            data = data[:at] + data[at + length :]
        else:
            data = data[:at] + data[at : at + length] * 50 + data[at:]
    return data


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def sound(db: Path) -> None:
    """The library passes SQLite's and FTS5's checks, and holds no unsafe character."""
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.execute("INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 0)")
        assert connection.execute("SELECT max(id) FROM paper").fetchone()[0] < 2**32
        texts = connection.execute(
            "SELECT coalesce(title, '') || coalesce(abstract, '') || coalesce(doi, '') || "
            "coalesce(venue, '') || coalesce(authors, '') FROM paper"
        )
        for (text,) in texts:
            assert not UNSAFE.search(json.loads(json.dumps(text))), text[:80]
    finally:
        connection.close()


@pytest.mark.parametrize(
    "name",
    ["listing.txt", "page.txt", "refs.bib", "feed.xml"] + ["backup.json"],
)
@SETTINGS
@given(changes=edits)
def test_a_mutated_file_imports_or_is_one_line_and_exit_2(template, name, changes):
    data = mutate(seeds(template)[name], changes)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "library.sqlite"
        shutil.copy(template[0], db)
        path = Path(folder) / name
        path.write_bytes(data)
        before = dump_tables(db)
        status, out, err = run("--db", str(db), "--reader", "tester", "import", str(path))
        assert "Traceback" not in err
        assert status in (0, 1, 2), err
        if status == 0:
            sound(db)
        else:
            assert len(err.splitlines()) == 1, err
            assert dump_tables(db) == before
