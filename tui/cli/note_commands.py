"""`papershelf share NOTE` and `unshare NOTE`: a note of yours seen by the library's other
readers, or private again. Note ids are the numbers `papershelf show` heads notes with."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.cli.user_text import user_text

if TYPE_CHECKING:
    from models.store.library import Library

Command = Callable[[str, Callable | None, str], argparse.ArgumentParser]
SAID = {True: "shared with the library's other readers", False: "private again"}


def cmd_share(library: Library, args: argparse.Namespace) -> int:
    """Every note named, or none of them: a wrong id leaves all as they were."""
    from models.shelf.reading import share_note

    with library.write() as session:
        notes = [
            share_note(session, reader_id=library.reader_id, note_id=note_id, shared=args.share)
            for note_id in args.notes
        ]
        lines = [f"note {note.id} on paper {note.paper_id} {SAID[args.share]}" for note in notes]
    print("\n".join(lines))  # only once it is committed
    return 0


def _note_id(text: str) -> int:
    if not (text.isascii() and text.strip().isdigit() and len(text) <= 18):
        raise argparse.ArgumentTypeError(f"not a note id: {user_text(text)[:20]!r}")
    return int(text)


def add_note_commands(command: Command) -> None:
    """`share` and `unshare`, each taking one or more note ids."""
    for name, share, help_text in (
        ("share", True, "let the library's other readers see notes of yours (signed)"),
        ("unshare", False, "make shared notes of yours private again"),
    ):
        sub = command(name, cmd_share, help_text)
        sub.add_argument("notes", nargs="+", type=_note_id, metavar="NOTE", help="note ids")
        sub.set_defaults(share=share)
