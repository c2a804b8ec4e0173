"""Editing a note in the user's own editor ($VISUAL, else $EDITOR) with the app suspended."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import App


def editor_command() -> list[str] | None:
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return shlex.split(value)
    return None


def edit_externally(app: App, text: str) -> str | None:
    """What the editor left in a temporary Markdown file holding `text`; None if no editor
    is set, it failed, or the app cannot be suspended here."""
    command = editor_command()
    if command is None:
        app.notify("Set $VISUAL or $EDITOR to edit notes in your own editor.", severity="warning")
        return None
    handle, name = tempfile.mkstemp(prefix="papershelf-note-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            if app.is_headless:  # no terminal to hand over (tests, scripts)
                finished = subprocess.run([*command, str(path)], check=False)
            else:
                with app.suspend():
                    finished = subprocess.run([*command, str(path)], check=False)
        except Exception as error:  # SuspendNotSupported (tests, some terminals), no such editor
            app.notify(f"Could not run {command[0]}: {error}", severity="error", markup=False)
            return None
        if finished.returncode != 0:
            app.notify(f"{command[0]} exited with {finished.returncode}; note not changed.")
            return None
        return path.read_text(encoding="utf-8").rstrip("\n")
    finally:
        path.unlink(missing_ok=True)
