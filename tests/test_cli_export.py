"""`papershelf export` and `papershelf import` of .bib, .xml and backups: output, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "cli.sqlite")
    assert main(["import", "--db", path, str(DATA / "arxiv_query.xml")]) == 0
    assert main(["note", "--db", path, "1706.03762", "Worth a second read."]) == 0
    assert main(["set", "--db", path, "1706.03762", "--status", "read", "--tag", "ml"]) == 0
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_markdown_directory_then_again_unchanged(db, tmp_path, capsys):
    out_dir = tmp_path / "vault"
    status, out, _ = run(capsys, "export", "markdown", "--db", db, "-o", str(out_dir))
    assert status == 0 and out == f"exported 1 paper to {out_dir}: 1 written, 0 unchanged\n"
    assert [p.name for p in out_dir.glob("*.md")] == ["attention-is-all-you-need-1.md"]
    status, out, _ = run(capsys, "export", "markdown", "--db", db, "-o", str(out_dir))
    assert status == 0 and "0 written, 1 unchanged" in out


def test_markdown_with_a_query_and_a_digest_on_stdout(db, capsys):
    status, out, _ = run(
        capsys, "export", "markdown", "--db", db, "--single", "-", "--group-by", "tag", "Large"
    )
    assert status == 0 and out.startswith("# Reading digest\n\n1 paper, grouped by tag.")
    assert "## untagged (1)" in out and "### The Large N Limit" in out


def test_bibtex_to_stdout_and_to_a_file(db, tmp_path, capsys):
    status, out, _ = run(capsys, "export", "bibtex", "--db", db)
    assert status == 0 and out.count("\n@") == 2 and out.startswith("@misc{")
    target = tmp_path / "refs.bib"
    status, out, _ = run(capsys, "export", "bibtex", "--db", db, "-o", str(target), "Attention")
    assert status == 0 and target.read_text().startswith("@misc{vaswani2017attention,")


def test_json_backup_restores_through_import(db, tmp_path, capsys):
    backup, again = tmp_path / "backup.json", tmp_path / "again.json"
    assert run(capsys, "export", "json", "--db", db, "-o", str(backup))[0] == 0
    fresh = str(tmp_path / "fresh.sqlite")
    status, out, _ = run(capsys, "import", "--db", fresh, str(backup))
    assert status == 0 and "papershelf-backup: 3 new" in out and "1 note added" in out
    assert run(capsys, "export", "json", "--db", fresh, "-o", str(again))[0] == 0
    assert again.read_bytes() == backup.read_bytes()


def test_import_detects_bib_files(db, capsys):
    status, out, err = run(capsys, "import", "--db", db, str(DATA / "sample.bib"))
    # the arXiv papers' names were split from their display names on import: the .bib
    # changes Vaswani's (Łukasz, its venue) and finds Maldacena's as already stored
    assert status == 0 and "bibtex: 1 new, 1 merged, 1 unchanged, 1 rejected" in out
    assert "sample.bib:38: skipped" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "markdown"], "give either -o DIR or --single FILE"),
        (["export", "markdown", "-o", "{tmp}/d", "--single", "{tmp}/f"], "either -o DIR"),
        (["export", "markdown", "-o", "{tmp}/d", "--group-by", "tag"], "--group-by goes with"),
        (["export", "markdown", "-o", "{tmp}/file.txt"], "file.txt: not a directory"),
        (["export", "bibtex", "-o", "{tmp}/file.txt/refs.bib"], "file.txt"),
        (["export", "json", "-o", "{tmp}"], "Is a directory"),
    ],
)
def test_export_errors_are_one_line_and_exit_2(db, tmp_path, capsys, argv, message):
    (tmp_path / "file.txt").write_text("not a directory\n")
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    status, out, err = run(capsys, *argv[:2], "--db", db, *argv[2:])
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("papershelf: ")


def test_exports_create_the_folders_they_name(db, tmp_path, capsys):
    target = tmp_path / "new" / "deeper" / "refs.bib"
    status, out, err = run(capsys, "export", "--db", db, "bibtex", "-o", str(target))
    assert status == 0 and target.is_file() and str(target) in out


def test_commands_that_find_nothing_say_so_on_stderr(db, capsys):
    status, out, err = run(capsys, "search", "--db", db, "zzzqqq", "--json")
    assert status == 0 and out.strip() == "[]" and "no papers found" in err
    status, out, err = run(capsys, "list", "--db", db, "--status", "reading")
    assert status == 0 and out == "" and "no papers found" in err


@pytest.mark.parametrize("argv", [["export"], ["export", "json"], ["export", "yaml"]])
def test_export_usage_errors_exit_2(db, argv):
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--db", db] if len(argv) > 1 else argv)
    assert exit_info.value.code == 2


def test_a_broken_backup_import_exits_2_and_names_the_line(db, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "papershelf-backup",\n  "version": 1,\n  "papers": [}\n')
    status, _, err = run(capsys, "import", "--db", db, str(broken))
    assert status == 2 and f"{broken}:3: not valid JSON" in err
