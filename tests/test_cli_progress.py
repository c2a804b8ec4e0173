"""Long command-line imports show a progress bar on a terminal and nothing when piped."""

from __future__ import annotations

import sys

from tui.cli import main


def test_import_is_quiet_when_piped(db_path, seeds, capsys):
    assert main(["--db", str(db_path), "import", *map(str, seeds)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "imported 5 of 5 files" in out
    assert "\x1b[" not in out


def test_import_draws_a_bar_on_a_terminal(db_path, seeds, capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(["--db", str(db_path), "import", *map(str, seeds)]) == 0
    out, err = capsys.readouterr()
    assert "importing" in err  # the bar, on stderr
    assert "imported 5 of 5 files" in out and "importing" not in out
