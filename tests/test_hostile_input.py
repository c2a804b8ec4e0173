"""What an adversarial run and a bad day found: each ends in one line and exit 2 (input)
or 1 (library) with the library unchanged, or imports whole; never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
HUGE = "99999999999999999999"


def listing(records: int) -> bytes:
    """An arXiv listing of `records` papers, well over the 8 KiB a buffered read takes."""
    body = "".join(
        f"Paper {n} studies capybaras at length; " * 12 + f"\narXiv:2401.{n:05d}\n\n"
        for n in range(1, records + 1)
    )
    return body.encode()


def papershelf(*args: str, db: Path, stdin=None, data: bytes | None = None, env=None):
    """The installed command in a child process, as a shell pipeline runs it."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(db), *args],
        input=data,
        stdin=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("name", ["/dev/stdin", "-"])
def test_a_pipe_imports_whole(tmp_path, name):
    done = papershelf("import", name, db=tmp_path / "l.sqlite", data=listing(40))
    assert done.returncode == 0, done.stderr
    assert b": arxiv: 40 new" in done.stdout


def test_a_backup_through_a_pipe_restores_whole(tmp_path):
    db = tmp_path / "l.sqlite"
    assert papershelf("import", "-", db=db, data=listing(40)).returncode == 0
    backup = papershelf("export", "json", "-o", "-", db=db).stdout
    done = papershelf("import", "/dev/stdin", db=tmp_path / "restored.sqlite", data=backup)
    assert done.returncode == 0, done.stderr
    assert b"papershelf-backup: 40 new" in done.stdout


def test_a_fifo_imports_whole(tmp_path, db_path, capsys):
    fifo = tmp_path / "listing.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(listing(40)))
    writer.start()
    assert main(["--db", str(db_path), "import", str(fifo)]) == 0
    writer.join()
    assert ": arxiv: 40 new" in capsys.readouterr().out


def test_no_terminal_means_no_app_and_one_line(tmp_path):
    done = papershelf(db=tmp_path / "l.sqlite", stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.count(b"\n") == 1 and b"needs a terminal" in done.stderr


def test_an_ascii_only_terminal_still_gets_every_line(tmp_path):
    db = tmp_path / "l.sqlite"
    papershelf("import", str(ROOT / "tests" / "data" / "sample.bib"), db=db)
    papershelf("set", "1", "--rate", "4", db=db)
    done = papershelf("list", db=db, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    assert b"????" in done.stdout  # the stars, which ASCII lacks


BAD_COMMANDS = [
    (["show", HUGE], 2),
    (["show", "²"], 2),
    (["set", HUGE, "--status", "read"], 2),
    (["note", HUGE, "a note"], 2),
    (["list", "--limit", HUGE * 3], 2),
    (["search", "x", "--limit", HUGE], 2),
    (["search", "year:9999"], 2),
    (["search", "year:0000"], 2),
    (["search", f"id:{HUGE}"], 2),
    (["search", "rating:" + "9" * 5000], 2),
    (["search", "word " * 200], 2),
    (["search", "-negated " * 200], 2),
    (["search", "x" * 100_000], 2),
    (["search", " ".join(f"tag:t{n}" for n in range(1100))], 2),
    (["import", "--year", HUGE, str(CORPUS / "huge_numbers_hf.txt")], 2),
    (["note", "1", "x" * 200_001], 2),
    (["--reader", "\x1b]0;\x07", "list"], 2),
    (["--db", "~nosuchuser/library.sqlite", "list"], 1),
    (["--db", "/tmp/" + "a" * 300, "list"], 1),
    *(
        (["import", str(CORPUS / name)], 2)
        for name in [
            "huge_version.txt",
            "many_digits.txt",
            "deep_backup.json",
            "time_offset_backup.json",
            "empty_tag_backup.json",
            "unknown_status_backup.json",
            "huge_tag_backup.json",
            "chained_accents.bib",
        ]
    ),
]


@pytest.mark.parametrize(("argv", "status"), BAD_COMMANDS, ids=lambda v: str(v)[:40])
def test_bad_input_is_one_line_and_changes_nothing(shelf, db_path, dump, capsys, argv, status):
    before = dump(db_path)
    argv = argv if argv[0] == "--db" else ["--db", str(db_path), *argv]
    try:
        assert main(argv) == status
    except SystemExit as exited:  # argparse's own errors
        assert exited.code == status
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert dump(db_path) == before


@pytest.mark.parametrize("name", ["nested_braces.bib"])
def test_deep_latex_nesting_imports_without_a_traceback(db_path, capsys, name):
    """bibtexparser 2 and pylatexenc read 100 nested braces as the text inside them."""
    assert main(["--db", str(db_path), "import", str(CORPUS / name)]) == 0
    out, err = capsys.readouterr()
    assert "bibtex: 1 new" in out and "Traceback" not in err


def test_an_oversized_record_is_skipped_by_its_line(db_path, capsys):
    assert main(["--db", str(db_path), "import", str(CORPUS / "huge_numbers_hf.txt")]) == 0
    out, err = capsys.readouterr()
    assert "hf-daily: 1 new, 0 merged, 0 unchanged, 2 rejected" in out
    assert err.splitlines() == [
        f"{CORPUS / 'huge_numbers_hf.txt'}:3: skipped: n_authors of 77 bits is out of range "
        "(0-100000)",
        f"{CORPUS / 'huge_numbers_hf.txt'}:11: skipped: upvotes of 67 bits is out of range "
        "(0-1000000000)",
    ]


def test_queries_are_capped_with_a_clear_message(shelf, db_path, capsys):
    eight = "large language models reasoning with retrieval and agents"
    assert main(["--db", str(db_path), "search", eight]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "search", eight + " today"]) == 2
    assert capsys.readouterr().err == (
        "papershelf: search: a query has at most 8 words and phrases, this one 9 "
        f"(at 1: {(eight + ' today')[:39]}…)\n"
    )
    filters = " ".join(f"-tag:t{n}" for n in range(25))
    assert main(["--db", str(db_path), "search", filters]) == 2
    assert "at most 24 words and filters, this one 25" in capsys.readouterr().err


def test_a_paper_takes_at_most_100_tags_and_a_note_100000_characters(library, add_paper, capsys):
    paper_id = add_paper(title="A much tagged paper")
    db = library.location.url
    tags = [arg for n in range(100) for arg in ("--tag", f"t{n}")]
    assert main(["--db", db, "set", str(paper_id), *tags]) == 0
    capsys.readouterr()
    assert main(["--db", db, "set", str(paper_id), "--tag", "one-more"]) == 2
    assert capsys.readouterr().err == "papershelf: a paper has at most 100 tags\n"
    assert main(["--db", db, "note", str(paper_id), "x" * 100_000]) == 0
    assert main(["--db", db, "note", str(paper_id), "x" * 100_001]) == 2
    assert "a note has at most 100000 characters" in capsys.readouterr().err
