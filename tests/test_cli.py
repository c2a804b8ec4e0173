"""The command line as scripts use it: JSON contract, exit statuses, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

JSON_KEYS = {
    "id", "arxiv_id", "doi", "title", "abstract", "authors", "n_authors", "published",
    "venue", "upvotes", "status", "rating", "tags", "notes",
}  # fmt: skip


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def seeded(library_url, seeds, capsys) -> str:
    status, out, _ = run(capsys, "--db", library_url, "import", *map(str, seeds))
    assert status == 0
    assert out.splitlines()[-1] == (
        "imported 5 of 5 files: 186 new, 2 merged, 0 unchanged, 0 rejected"
    )
    return library_url


def test_list_json_contract(seeded, capsys):
    status, out, _ = run(capsys, "list", "--db", seeded, "--json")
    assert status == 0
    papers = json.loads(out)
    assert len(papers) == 186
    assert all(set(paper) >= JSON_KEYS for paper in papers)
    by_arxiv = {p["arxiv_id"]: p for p in papers if p["arxiv_id"]}
    paper = by_arxiv["2407.10184"]
    assert paper["doi"] == "10.1145/3637528.3671661"
    assert paper["status"] == "new" and paper["rating"] is None
    assert paper["tags"] == [] and paper["notes"] == []
    dated = [p["published"] for p in papers if p["published"]]
    assert all(len(d) == 10 and d[4] == "-" and d[7] == "-" for d in dated)
    hf = next(
        p
        for p in papers
        if p["title"] == "Bone: Block Affine Transformation as "
        "Parameter Efficient Fine-tuning Methods for Large Language Models"
    )
    assert hf["n_authors"] == 1 and hf["authors"] is None


def test_set_note_and_filters(seeded, capsys):
    status, out, _ = run(
        capsys,
        "--db",
        seeded,
        "set",
        "arXiv:2407.10184v1",
        "--status",
        "to-read",
        "--rate",
        "4",
        "--tag",
        "rl",
        "--tag",
        "graphs",
    )
    assert status == 0 and "to-read" in out
    assert run(capsys, "--db", seeded, "note", "2407.10184", "Read **section 3**.")[0] == 0
    status, out, _ = run(
        capsys, "--db", seeded, "list", "--status", "to-read", "--tag", "rl", "--json"
    )
    [paper] = json.loads(out)
    assert (paper["arxiv_id"], paper["rating"], paper["tags"]) == (
        "2407.10184",
        4,
        ["graphs", "rl"],
    )
    [note] = paper["notes"]
    assert note["body"] == "Read **section 3**."
    assert note["created"].endswith("Z") and note["updated"] == note["created"]
    assert run(capsys, "--db", seeded, "set", str(paper["id"]), "--unrate", "--untag", "rl")[0] == 0
    _, out, _ = run(capsys, "--db", seeded, "show", "2407.10184", "--json")
    shown = json.loads(out)
    assert (shown["rating"], shown["tags"]) == (None, ["graphs"])
    _, out, _ = run(capsys, "--db", seeded, "show", "2407.10184")
    assert "new -> to-read" in out  # the status history


def test_note_from_stdin(seeded, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("# Heading\n\n- point one\n"))
    assert run(capsys, "--db", seeded, "note", "1", "-")[0] == 0
    _, out, _ = run(capsys, "--db", seeded, "show", "1", "--json")
    assert json.loads(out)["notes"][0]["body"] == "# Heading\n\n- point one"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "424242", "--status", "read"], "no paper with id or arXiv id '424242'"),
        (["set", "1", "--status", "finished"], "unknown status 'finished'"),
        (["set", "1", "--rate", "9"], "rating must be 1-5"),
        (["set", "1", "--rate", "x"], "rating must be a whole number"),
        (["set", "1"], "nothing to change"),
        (["note", "1", "  "], "the note is empty"),
        (["list", "--status", "done-ish"], "unknown status"),
        (["show", "9999.99999"], "no paper"),
    ],
)
def test_bad_values_exit_2_with_one_line(seeded, capsys, args, message):
    status, _, err = run(capsys, "--db", seeded, *args)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_bad_listing_exits_2_and_names_file_and_line(db_path, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    good = tmp_path / "good.txt"
    good.write_text("Abstract:A paper.\n")
    status, out, err = run(capsys, "--db", str(db_path), "import", str(bad), str(good))
    assert status == 2
    assert err.strip() == f"{bad}:1: binary file (NUL byte), not a text listing"
    assert "imported 1 of 2 files: 1 new" in out


def test_not_a_library_file(tmp_path, capsys):
    fake = tmp_path / "notes.txt"
    fake.write_text("these are my precious notes")
    status, _, err = run(capsys, "--db", str(fake), "list")
    assert status == 1
    assert err.strip() == f"papershelf: {fake}: not a papershelf library (not a SQLite database)"
    assert fake.read_text() == "these are my precious notes"


def test_first_use_of_default_library_imports_seeds(capsys):
    status, out, err = run(capsys, "list", "--json")
    assert status == 0
    assert "imported 186 papers from the bundled demo listings" in err
    assert len(json.loads(out)) == 186
    status, _, err = run(capsys, "list")
    assert "bundled" not in err  # only the first time


def test_help_on_every_command():
    for command in ([], ["import"], ["list"], ["search"], ["show"], ["set"], ["note"]):
        result = subprocess.run(
            [sys.executable, "-m", "tui.cli", *command, "--help"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent.parent,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "usage: papershelf" in result.stdout


def test_wrong_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["list", "--limit", "zero"])
    assert raised.value.code == 2


def test_a_negated_first_word_is_explained(seeded, capsys):
    """`search -survey` reads as an unknown option to argparse: the error says what to type."""
    with pytest.raises(SystemExit) as raised:
        main(["--db", seeded, "search", "-survey"])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert "required: QUERY" in err and "search -- -survey" in err
    status, out, _ = run(capsys, "--db", seeded, "search", "--", "-survey")
    assert status == 0 and out.strip()
