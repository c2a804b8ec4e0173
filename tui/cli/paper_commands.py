"""`papershelf list`, `search`, `show`, `set` and `note`: reading the library and
changing one reader's state from a script, as the app does."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from models.core.values import parse_rating, parse_status
from tui.cli.user_text import read_stdin
from tui.errors import UserError

if TYPE_CHECKING:
    from models.shelf.papers import PaperView
    from models.store.library import Library
    from models.store.tables import Paper


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    from models.search import search_papers
    from models.search.query import filter_query

    status = parse_status(args.status).value if args.status else None
    query = filter_query(status=status, tags=tuple(args.tag or ()))
    with library.read() as session:
        views = search_papers(session, reader_id=library.reader_id, query=query, limit=args.limit)
        print_views(views, as_json=args.json)
    return 0


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    from models.search import search_papers
    from models.search.query import QueryError

    with library.read() as session:
        try:
            views = search_papers(
                session, reader_id=library.reader_id, query=args.query, limit=args.limit
            )
        except QueryError as error:
            where = args.query[error.start : error.end] or args.query
            where = where if len(where) <= 40 else where[:39] + "…"
            raise UserError(f"search: {error.message} (at {error.start + 1}: {where})") from None
        print_views(views, as_json=args.json)
    return 0


def paper_id_of(paper: Paper) -> int:
    """A stored paper's id (the table declares it optional only for papers not yet added)."""
    assert paper.id is not None
    return paper.id


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    from models.shelf.papers import find_paper, paper_view
    from models.shelf.reading import status_history

    with library.read() as session:
        paper_id = paper_id_of(find_paper(session, args.id))
        view = paper_view(session, reader_id=library.reader_id, paper_id=paper_id)
        if args.json:
            print(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
            return 0
        history = status_history(session, reader_id=library.reader_id, paper_id=paper_id)
        print(describe(view, history))
    return 0


def cmd_set(library: Library, args: argparse.Namespace) -> int:
    if not (args.status or args.rate is not None or args.unrate or args.tag or args.untag):
        raise UserError(
            "set: nothing to change (give --status, --rate, --unrate, --tag or --untag)"
        )
    if args.rate is not None and args.unrate:
        raise UserError("set: --rate and --unrate contradict each other")
    from models.shelf.papers import find_paper, paper_view
    from models.shelf.reading import add_tag, remove_tag, set_rating, set_status

    status = parse_status(args.status) if args.status else None
    rating = parse_rating(args.rate) if args.rate is not None else None
    with library.write() as session:
        paper_id = paper_id_of(find_paper(session, args.id))
        state = {"reader_id": library.reader_id, "paper_id": paper_id}
        if status:
            set_status(session, **state, status=status)
        if rating is not None or args.unrate:
            set_rating(session, **state, rating=rating)
        for tag in args.tag or ():
            add_tag(session, **state, name=tag)
        for tag in args.untag or ():
            remove_tag(session, **state, name=tag)
    with library.read() as session:
        view = paper_view(session, reader_id=library.reader_id, paper_id=paper_id)
        print(summary_line(view))
    return 0


def cmd_note(library: Library, args: argparse.Namespace) -> int:
    from models.shelf.papers import find_paper
    from models.shelf.reading import add_note

    body = read_stdin() if args.text == "-" else args.text
    if not body.strip():
        raise UserError("note: the note is empty")
    with library.write() as session:
        paper_id = paper_id_of(find_paper(session, args.id))
        note = add_note(
            session, reader_id=library.reader_id, paper_id=paper_id, body=body, shared=args.share
        )
        note_id = note.id
    shared = ", shared with the library's other readers" if args.share else ""
    print(f"note {note_id} added to paper {paper_id}{shared}")  # only once it is committed
    return 0


# --- output ---------------------------------------------------------------------


def summary_line(view: PaperView) -> str:
    from models.shelf.papers import published_year
    from tui.display import glyph, stars

    tags = " ".join(f"#{tag}" for tag in view.tags)
    parts = [
        f"{view.id:>6}",
        f"{glyph(view.status)} {view.status:<8}",
        f"{stars(view.rating):<5}",
        f"{published_year(view.paper.published):<4}",
        view.display_title,
    ]
    return "  ".join(parts) + (f"  {tags}" if tags else "")


def print_views(views: list[PaperView], *, as_json: bool) -> None:
    if as_json:
        if not views:
            print("papershelf: no papers found", file=sys.stderr)
        json.dump([view.to_json() for view in views], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if not views:
        print("papershelf: no papers found", file=sys.stderr)  # stdout stays empty (or [])
    for view in views:
        print(summary_line(view))


def describe(view: PaperView, history: list) -> str:
    from tui.display import paper_fields

    paper = view.paper
    lines = [view.display_title, ""]
    lines += [f"{name:>10}: {value}" for name, value in paper_fields(view)]
    for source in view.sources:
        lines.append(f"{'source':>10}: {source['path']}:{source['line']} ({source['format']})")
    if paper.abstract:
        lines += ["", paper.abstract]
    for note in view.notes:
        when = f"{note.created:%Y-%m-%d %H:%M}" + (", shared" if note.shared else "")
        lines += ["", f"## Note {note.id} ({when})", note.body]
    for shared in view.shared_notes:
        when = f"{shared.created:%Y-%m-%d %H:%M}"
        lines += ["", f"## Note {shared.id} by {shared.author} ({when}, shared)", shared.body]
    if history:
        lines += ["", "History:"]
        lines += [
            f"  {c.changed_at:%Y-%m-%d %H:%M}  {c.old_status} -> {c.new_status}" for c in history
        ]
    return "\n".join(lines)


# --- arguments ------------------------------------------------------------------
