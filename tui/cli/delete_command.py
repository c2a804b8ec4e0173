"""`papershelf delete ID... [--yes]`: delete papers with everything that hangs off them."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.errors import UserError

if TYPE_CHECKING:
    from models.store.library import Library


def add_delete_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("ids", nargs="+", metavar="ID", help="internal id or arXiv id")
    sub.add_argument("--yes", action="store_true", help="delete without asking")


def cmd_delete(library: Library, args: argparse.Namespace) -> int:
    from models.shelf.papers import display_title, find_paper
    from models.shelf.removal import delete_papers

    with library.read() as session:
        papers = {}
        for reference in args.ids:
            paper = find_paper(session, reference)
            papers[paper.id] = display_title(paper.title, paper.abstract)
    names = "; ".join(papers.values())
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("delete: add --yes to delete without being asked")
        answer = input(f"Delete {len(papers)} paper(s): {names}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("papershelf: nothing deleted", file=sys.stderr)
            return 1
    with library.write() as session:
        delete_papers(session, paper_ids=[i for i in papers if i is not None])
    print(f"deleted {len(papers)} paper(s): {names}")
    return 0
