"""No escape sequence gets through: fed through every field of every importer and the
command line, none reaches any output (show, list, search, JSON, every export, stderr)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tui.cli import main

CORPUS = Path(__file__).parent / "corpus"
#: What must never be printed or written: C0/C1 controls but newline and tab, DEL, bidi
#: overrides and isolates, line/paragraph separators, lone surrogates.
UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
ESCAPED = ["\x1b]0;PWNED\x07", "\x1b]52;c;cHduZWQ=\x07", "\x1b[2J"]
SOURCES = [
    "escapes_everywhere.txt",  # arxiv: abstract, comment, DOI
    "escapes_abstracts.txt",  # abstracts
    "ansi_controls.txt",  # hf-daily: title, abstract
    "escapes_everywhere.bib",  # bibtex: title, authors, journal, DOI, abstract
    "escapes_everywhere.xml",  # arxiv-atom: title, abstract, author, DOI, venue, category
    "escapes_backup.json",  # backup: every field, source, reader, tag, note
]


def unsafe(text: str) -> list[str]:
    return sorted({repr(m[0]) for m in UNSAFE.finditer(text)})


def run(capsys, *args: str, reader: str = "tester") -> tuple[int, str]:
    status = main(["--reader", reader, *args])
    out, err = capsys.readouterr()
    return status, out + err


@pytest.fixture
def escaped_library(tmp_path, capsys) -> tuple[str, Path]:
    """A library that imported every escape-laden source, including from a file whose
    name holds an escape, and took escapes in a tag, a note and a reader's name."""
    db = str(tmp_path / "library.sqlite")
    evil = tmp_path / f"named{ESCAPED[0]}.txt"
    shutil.copy(CORPUS / "escapes_everywhere.txt", evil)
    outputs = []
    for source in [*(CORPUS / name for name in SOURCES), evil]:
        status, output = run(capsys, "--db", db, "import", str(source))
        assert status == 0, output
        outputs.append(output)
    status, output = run(capsys, "--db", db, "set", "1", "--tag", f"x{ESCAPED[1]}y")
    outputs.append(output)
    status, output = run(capsys, "--db", db, "note", "1", f"note{ESCAPED[0]}\n{ESCAPED[2]}text")
    outputs.append(output)
    status, output = run(
        capsys, "--db", db, "set", "1", "--status", "read", reader=f"eve{ESCAPED[0]}"
    )
    assert status == 0, output
    outputs.append(output)
    assert [unsafe(output) for output in outputs] == [[]] * len(outputs)
    return db, tmp_path


def test_no_escape_reaches_the_command_line_output(escaped_library, capsys):
    db, _ = escaped_library
    status, listing = run(capsys, "--db", db, "list")
    ids = [line.split()[0] for line in listing.splitlines()]
    assert status == 0 and len(ids) >= 6
    outputs = {"list": listing}
    for paper_id in ids:
        outputs[f"show {paper_id}"] = run(capsys, "--db", db, "show", paper_id)[1]
        outputs[f"show {paper_id} --json"] = run(capsys, "--db", db, "show", paper_id, "--json")[1]
    outputs["list --json"] = run(capsys, "--db", db, "list", "--json")[1]
    outputs["search"] = run(capsys, "--db", db, "search", "capybara")[1]
    outputs["search error"] = run(capsys, "--db", db, "search", f"year:{ESCAPED[0]}")[1]
    outputs["show missing"] = run(capsys, "--db", db, "show", f"x{ESCAPED[0]}")[1]
    for name, output in outputs.items():
        assert unsafe(output) == [], name
    for name in ("list --json", *(f"show {i} --json" for i in ids)):  # JSON's \u001b too
        assert unsafe(json.dumps(json.loads(outputs[name]), ensure_ascii=False)) == [], name


def test_no_escape_reaches_an_export(escaped_library, capsys):
    db, tmp_path = escaped_library
    exports = tmp_path / "exports"
    commands = [
        ["export", "markdown", "-o", str(exports / "notes"), "capybara"],
        ["export", "markdown", "--single", str(exports / "digest.md"), "capybara"],
        ["export", "bibtex", "-o", str(exports / "refs.bib")],
        ["export", "json", "-o", str(exports / "backup.json")],
    ]
    exports.mkdir()
    for command in commands:
        status, output = run(capsys, "--db", db, *command)
        assert status == 0 and unsafe(output) == [], command
    written = [path for path in exports.rglob("*") if path.is_file()]
    assert len(written) >= 9  # 5+ papers' files, their manifest, digest, .bib, backup
    for path in written:
        assert unsafe(path.read_text(encoding="utf-8")) == [], path.name
    backup = json.loads((exports / "backup.json").read_text(encoding="utf-8"))
    assert unsafe(json.dumps(backup, ensure_ascii=False)) == []
