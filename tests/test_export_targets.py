"""Exports write only regular files (or stream into what is not one), clean up after a
killed writer, and an interrupted directory export still knows every file it wrote."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from models.interchange import directory as directory_module
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


@pytest.fixture
def db(tmp_path) -> str:
    """Four papers, each with a note, so a Markdown export writes four files."""
    path = str(tmp_path / "cli.sqlite")
    assert main(["import", "--db", path, str(DATA / "arxiv_query.xml")]) == 0
    assert main(["import", "--db", path, str(DATA / "sample.bib")]) == 0
    for paper_id in range(1, 5):
        assert main(["note", "--db", path, str(paper_id), f"Note on paper {paper_id}."]) == 0
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_fifo_is_written_as_a_stream_not_replaced(db, tmp_path, capsys):
    fifo = tmp_path / "backup.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    status, _, err = run(capsys, "export", "json", "--db", db, "-o", str(fifo))
    reader.join()
    assert status == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received[0].startswith(b'{\n  "format": "papershelf-backup"')


def test_a_terminal_device_is_written_as_a_stream(db, capsys):
    master, slave = os.openpty()
    device = os.ttyname(slave)
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(os.read(master, 1 << 16)))
    reader.start()
    status, _, err = run(capsys, "export", "bibtex", "--db", db, "-o", device, "id:1706.03762")
    reader.join()
    os.close(slave)
    os.close(master)
    assert status == 0, err
    assert stat.S_ISCHR(os.stat(device).st_mode) if os.path.exists(device) else True
    assert b"@" in chunks[0]


@pytest.mark.parametrize("redirect", ["pipe", "file"])
def test_dev_stdout_gets_the_export_whether_a_pipe_or_a_file(db, tmp_path, redirect):
    command = [sys.executable, "-m", "tui.cli", "export", "json", "--db", db, "-o", "/dev/stdout"]
    if redirect == "pipe":
        output = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=60).stdout
    else:
        target = tmp_path / "redirected.json"
        with target.open("wb") as file:
            subprocess.run(command, stdout=file, cwd=ROOT, timeout=60, check=True)
        output = target.read_bytes()
    assert output.startswith(b'{\n  "format": "papershelf-backup"') and output.endswith(b"}\n")


def test_a_symlinked_digest_keeps_its_link(db, tmp_path, capsys):
    real = tmp_path / "real-digest.md"
    real.write_text("old digest\n")
    link = tmp_path / "digest.md"
    link.symlink_to(real)
    status, _, err = run(capsys, "export", "markdown", "--db", db, "--single", str(link))
    assert status == 0, err
    assert link.is_symlink() and real.read_text().startswith("# Reading digest")


def test_a_dangling_symlink_is_refused_and_left(db, tmp_path, capsys):
    link = tmp_path / "refs.bib"
    link.symlink_to(tmp_path / "elsewhere" / "refs.bib")
    status, out, err = run(capsys, "export", "bibtex", "--db", db, "-o", str(link))
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "symbolic link to a file that does not exist" in err
    assert link.is_symlink() and not (tmp_path / "elsewhere").exists()


def test_links_in_an_export_folder_are_left_alone(db, tmp_path, capsys):
    folder = tmp_path / "vault"
    assert run(capsys, "export", "markdown", "--db", db, "-o", str(folder))[0] == 0
    victim = sorted(folder.glob("*.md"))[0]
    victim.unlink()
    victim.symlink_to(tmp_path / "nowhere.md")  # dangling
    status, out, err = run(capsys, "export", "markdown", "--db", db, "-o", str(folder))
    assert status == 0 and f"{victim}: not a file papershelf wrote; left as it is" in err
    assert victim.is_symlink() and not (tmp_path / "nowhere.md").exists()
    manifest = folder / ".papershelf-export.json"
    (tmp_path / "saved.json").write_bytes(manifest.read_bytes())
    manifest.unlink()
    manifest.symlink_to(tmp_path / "saved.json")
    status, out, err = run(capsys, "export", "markdown", "--db", db, "-o", str(folder))
    assert status == 2 and err.count("\n") == 1 and "is a link or not a file" in err
    assert manifest.is_symlink()


def test_an_interrupted_markdown_export_resumes_knowing_its_files(db, tmp_path, capsys):
    folder = tmp_path / "vault"
    real_write = directory_module.write_atomically
    calls = []

    def interrupted(path: Path, data: bytes) -> None:
        calls.append(path.name)
        if len(calls) == 4:  # the manifest, then two papers' files: then the lights go out
            raise KeyboardInterrupt
        real_write(path, data)

    directory_module.write_atomically = interrupted
    try:
        assert run(capsys, "export", "markdown", "--db", db, "-o", str(folder))[0] == 130
    finally:
        directory_module.write_atomically = real_write
    assert calls[0] == ".papershelf-export.json" and len(list(folder.glob("*.md"))) == 2
    status, out, err = run(capsys, "export", "markdown", "--db", db, "-o", str(folder))
    assert status == 0 and err == "", err  # nothing "not written by papershelf"
    assert "exported 4 papers" in out and "2 written, 2 unchanged" in out
    status, out, err = run(capsys, "export", "markdown", "--db", db, "-o", str(folder))
    assert "0 written, 4 unchanged" in out and err == ""


def test_a_killed_writers_temporary_file_is_removed_by_the_next_export(db, tmp_path, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".backup.json.{dead.pid}.k1ll3d_x.tmp"
    stale.write_bytes(b"x" * 100_000)  # what a `kill -9` midway leaves
    mine = tmp_path / f".backup.json.{os.getpid()}.inuse_ab.tmp"
    mine.write_bytes(b"in use")  # a live writer's: kept
    status, _, err = run(capsys, "export", "json", "--db", db, "-o", str(tmp_path / "backup.json"))
    assert status == 0, err
    assert not stale.exists() and mine.exists()
    assert [p.name for p in tmp_path.glob(".backup.json.*")] == [mine.name]
