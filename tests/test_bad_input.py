"""Bad input through the real command line: a normal import, or one `FILE:LINE: reason`
line on stderr, exit status 2, and not one row of the library changed."""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
from pathlib import Path

import pytest
from conftest import write_big_listing
from sqlalchemy import select

from models.store.tables import Paper
from tui.cli import main

CORPUS = Path(__file__).parent / "corpus"
#: What a terminal must never receive from a listing: C0/C1 controls (ESC among them)
#: and the bidirectional overrides that reorder what is shown.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def shelf(db_path, seeds, capsys) -> str:
    """A library holding the first seed listing, with a note, a tag and a rating."""
    db = str(db_path)
    assert run(capsys, "--db", db, "import", str(seeds[0]))[0] == 0
    assert run(capsys, "--db", db, "set", "1", "--rate", "4", "--tag", "keep")[0] == 0
    assert run(capsys, "--db", db, "note", "1", "a note to keep")[0] == 0
    return db


def papers(db: str) -> list[Paper]:
    from models.store.database import open_library

    library = open_library(db)
    try:
        with library.read() as session:
            return list(session.execute(select(Paper).order_by(Paper.id)).scalars())
    finally:
        library.close()


# --- files that are refused --------------------------------------------------------


def generated(tmp_path: Path, name: str) -> Path:
    """Inputs too big to commit, and paths that are not files."""
    path = tmp_path / name
    if name == "one-mb-line.txt":  # one line, no format in it
        path.write_text("word " * 200_000)
    elif name == "a-directory":
        path.mkdir()
    return path


REFUSED = [
    # (file, line, the reason's start)
    ("empty.txt", 1, "empty file: no papers in it"),
    ("blank.txt", 1, "empty file: no papers in it"),
    ("binary.png", 3, "binary file (NUL byte), not a text listing"),
    ("cut_off.xml", 65, "no papers found as arxiv-atom (not well-formed XML"),
    ("unknown_format.json", 1, "unknown listing format"),
    ("one-mb-line.txt", 1, "unknown listing format"),
    ("a-directory", 1, "is a directory, not a listing file"),
    ("no-such-file.txt", 1, "no such file"),
]


@pytest.mark.parametrize(("name", "line", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_file_is_one_line_exit_2_library_unchanged(
    shelf, tmp_path, capsys, dump, name, line, reason
):
    path = CORPUS / name if (CORPUS / name).exists() else generated(tmp_path, name)
    before = dump(shelf)
    status, out, err = run(capsys, "--db", shelf, "import", str(path))
    assert status == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"{path}:{line}: {reason}")
    assert "Traceback" not in err + out
    assert "imported 0 of 1 files" in out
    assert dump(shelf) == before


def test_a_format_that_does_not_fit_is_refused(shelf, capsys, dump):
    before = dump(shelf)
    path = CORPUS / "latin1.txt"
    status, _, err = run(capsys, "--db", shelf, "import", "--format", "bibtex", str(path))
    assert status == 2
    assert err.splitlines()[-1].startswith(f"{path}:1: no papers found as bibtex")
    assert dump(shelf) == before


def test_an_unknown_format_name_is_a_usage_error(shelf, capsys, dump):
    before = dump(shelf)
    with pytest.raises(SystemExit) as exited:
        main(["--db", shelf, "import", "--format", "endnote", str(CORPUS / "latin1.txt")])
    assert exited.value.code == 2
    assert "invalid choice: 'endnote'" in capsys.readouterr().err
    assert dump(shelf) == before


def test_a_refused_file_among_good_ones_changes_only_what_the_good_ones_add(shelf, capsys, dump):
    before = dump(shelf)
    bad, good = CORPUS / "binary.png", CORPUS / "latin1.txt"
    status, out, err = run(capsys, "--db", shelf, "import", str(bad), str(good))
    assert status == 2
    assert "imported 1 of 2 files: 2 new" in out
    after = dump(shelf)
    for table in ("note", "paper_tag", "reading_state", "reader", "tag"):
        assert after[table] == before[table]
    assert after["paper"][: len(before["paper"])] == before["paper"]


# --- files that import -------------------------------------------------------------


def imported(capsys, db: str, path: Path) -> tuple[str, list[str]]:
    """Import one file that must import: its summary line and its warning lines."""
    status, out, err = run(capsys, "--db", db, "import", str(path))
    assert status == 0, err
    warnings = err.splitlines()
    for warning in warnings:
        assert warning.startswith(f"{path}:") and re.match(r"\d+: ", warning[len(str(path)) + 1 :])
    return out.splitlines()[0], warnings


def test_latin1_imports_with_a_warning(shelf, capsys):
    summary, warnings = imported(capsys, shelf, CORPUS / "latin1.txt")
    assert "abstracts: 2 new" in summary
    assert warnings == [f"{CORPUS / 'latin1.txt'}:1: not UTF-8; read as Windows-1252/Latin-1"]
    abstracts = [p.abstract for p in papers(shelf)[-2:]]
    assert abstracts == ["Café résumé of a naïve paper.", "A second paper, © 2024."]


def test_bom_and_crlf_import_as_if_they_were_not_there(shelf, capsys):
    summary, warnings = imported(capsys, shelf, CORPUS / "bom_crlf.txt")
    assert "arxiv: 2 new, 0 merged, 0 unchanged, 0 rejected" in summary
    assert warnings == []
    first, second = papers(shelf)[-2:]
    assert first.abstract == "An abstract with Windows line ends."
    assert (first.arxiv_id, str(first.published)) == ("2401.10001", "2024-01-18")
    assert (second.abstract, second.comment) == ("A second abstract.", "ICML 2024")


@pytest.mark.parametrize(
    ("name", "summary", "warnings"),
    [
        (
            "cut_off.txt",
            "arxiv: 1 new, 0 merged, 0 unchanged, 1 rejected",
            ["5: skipped: text after the last arXiv id has no id of its own (listing cut off?)"],
        ),
        (
            "cut_off.bib",
            "bibtex: 1 new, 0 merged, 0 unchanged, 1 rejected",
            ["6: skipped: cut: entry not read (cut off, or its braces do not balance)"],
        ),
        (
            "missing_fields.bib",
            "bibtex: 1 new, 0 merged, 0 unchanged, 1 rejected",
            ["1: skipped: nothing: no title, abstract, arXiv id or DOI"],
        ),
        ("missing_fields.txt", "hf-daily: 1 new, 0 merged, 0 unchanged, 0 rejected", []),
    ],
)
def test_cut_off_and_incomplete_records_are_skipped_by_line(shelf, capsys, name, summary, warnings):
    path = CORPUS / name
    line, got = imported(capsys, shelf, path)
    assert summary in line
    assert got == [f"{path}:{warning}" for warning in warnings]


def test_fifty_megabytes_import_in_one_go(db_path, tmp_path, capsys):
    path = tmp_path / "big.txt"
    records = write_big_listing(path, 50_000_000)
    started = time.monotonic()
    summary, warnings = imported(capsys, str(db_path), path)
    assert f"arxiv: {records} new, 0 merged, 0 unchanged, 0 rejected" in summary
    assert warnings == []
    assert time.monotonic() - started < 60


def test_a_one_megabyte_abstract_line_imports(db_path, tmp_path, capsys):
    path = tmp_path / "long.txt"
    path.write_text("Abstract:" + "word " * 200_000 + "\n")
    summary, _ = imported(capsys, str(db_path), path)
    assert "abstracts: 1 new" in summary
    [paper] = papers(str(db_path))
    assert len(paper.abstract) == 5 * 200_000 - 1


# --- text that must not drive the terminal ----------------------------------------


def test_escapes_and_controls_are_stripped_on_import(shelf, capsys):
    imported(capsys, shelf, CORPUS / "ansi_controls.txt")
    paper = papers(shelf)[-1]
    assert paper.title == "Escapes red in a title here"
    assert paper.abstract == ("An abstract with a link, a bell , a reset and reversed text.")
    assert not UNSAFE.search(paper.title + paper.abstract)


def test_markup_in_every_text_field_is_kept_literally(shelf, capsys):
    imported(capsys, shelf, CORPUS / "rich_markup.bib")
    paper = papers(shelf)[-1]
    assert paper.title == ("[bold red]Bold[/] and [link=https://evil.example]a link[/link] [blink")
    assert paper.authors == ["Jane [b]Doe[/b]", "[i]John[/i] Smith"]
    assert paper.abstract.startswith("An abstract with [reverse]markup[/reverse] and :smile:")
    assert paper.venue == "[red]Venue[/red] 2024"
    assert paper.categories == ["cs.[b]LG[/b]"]
    assert paper.doi == "10.1234/[b]x[/b]"
    status, out, _ = run(capsys, "--db", shelf, "show", "2401.10004")
    assert status == 0
    assert "[bold red]Bold[/] and [link=https://evil.example]a link[/link] [blink" in out


def test_a_non_ascii_tag_twice_is_one_tag_and_can_be_removed(shelf, capsys):
    for _ in range(2):
        assert run(capsys, "--db", shelf, "set", "2", "--tag", "Ärger", "--tag", "À")[0] == 0
    assert run(capsys, "--db", shelf, "set", "3", "--tag", "À")[0] == 0
    status, out, _ = run(capsys, "--db", shelf, "list", "--tag", "À")
    assert status == 0 and len(out.splitlines()) == 2
    assert run(capsys, "--db", shelf, "set", "2", "--untag", "À")[0] == 0
    status, out, _ = run(capsys, "--db", shelf, "list", "--tag", "À")
    assert out.split()[0] == "3" and len(out.splitlines()) == 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_without_reading_it_all(shelf, capsys, dump, device):
    before = dump(shelf)
    status, _, err = run(capsys, "--db", shelf, "import", device)
    assert status == 2
    assert err.startswith(f"{device}:") and "binary file (NUL byte)" in err
    assert dump(shelf) == before


def test_a_listing_past_the_size_cap_is_refused(shelf, tmp_path, capsys, dump, monkeypatch):
    import models.ingest.formats

    monkeypatch.setattr(models.ingest.formats, "MAX_LISTING_BYTES", 1 << 20)
    path = tmp_path / "huge.txt"
    write_big_listing(path, 2_000_000)
    before = dump(shelf)
    status, _, err = run(capsys, "--db", shelf, "import", str(path))
    assert status == 2
    assert err == f"{path}:1: larger than 1 MiB: split it into smaller files\n"
    assert dump(shelf) == before


def test_text_that_is_not_utf8_on_the_command_line_or_stdin_is_stored(shelf, capsys, monkeypatch):
    # What Python hands over for the bytes of 'résumé' in Latin-1: lone surrogates.
    latin1_arg = b"r\xe9sum\xe9".decode("utf-8", "surrogateescape")
    assert run(capsys, "--db", shelf, "note", "2", latin1_arg)[0] == 0
    assert run(capsys, "--db", shelf, "set", "2", "--tag", latin1_arg)[0] == 0
    stdin = io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfcaf\xc3\xa9\n"), encoding="ascii")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert run(capsys, "--db", shelf, "note", "2", "-")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"caf\xe9\n")))
    assert run(capsys, "--db", shelf, "note", "2", "-")[0] == 0
    status, out, err = run(capsys, "--db", shelf, "search", latin1_arg)
    assert (status, err) == (0, "")
    status, out, _ = run(capsys, "--db", shelf, "show", "2", "--json")
    shown = json.loads(out)
    assert [note["body"] for note in shown["notes"]] == ["résumé", "café", "café"]
    assert shown["tags"] == ["résumé"]


def test_a_listing_whose_name_is_not_utf8_imports(shelf, tmp_path, capsys):
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.txt"))
    path.write_text("Abstract:A paper from a file named in Latin-1.\n")
    status, out, err = run(capsys, "--db", shelf, "import", str(path))
    assert (status, err) == (0, "")
    status, out, _ = run(capsys, "--db", shelf, "show", "11", "--json")
    assert json.loads(out)["sources"][0]["path"] == f"{tmp_path}/caf\ufffd.txt"
