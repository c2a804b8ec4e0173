"""The `papershelf` command: the app with no arguments, and commands for scripts.

Every command opens the library through `models.store.database.open_library` and calls
the same functions as the app. Errors are one line on stderr and a non-zero exit:
2 for bad input (arguments, values, listing files), 1 for a library that cannot
be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from models.core.fields import YEARS
from models.core.text import clean_text
from models.core.values import InvalidValue, Status, parse_rating, parse_status
from models.store.location import LibraryError, default_reader
from tui.cli.delete_command import add_delete_arguments, cmd_delete
from tui.cli.export_commands import add_export_commands
from tui.cli.fetch_commands import add_fetch_commands, query_help
from tui.cli.note_commands import add_note_commands
from tui.cli.user_text import read_stdin, user_text
from tui.errors import EXIT_BAD_INPUT, EXIT_LIBRARY, UserError, loaded_class

if TYPE_CHECKING:
    from models.shelf.papers import PaperView
    from models.store.library import Library
    from models.store.tables import Paper

# A command imports what it uses when it runs (the database layer, parsers, the app), so
# each starts without loading what the others need: SQLAlchemy alone takes 0.4 s, and an
# export of 10,000 papers reads a SQLite file directly in under a second.


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # PYTHONIOENCODING=ascii: "?" for "★", no crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    OneLineParser.arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return run_app(args)
        quick = getattr(args, "quick", None)  # a way that needs no open library, when it applies
        if quick is not None and (status := quick(args, reader_name(args))) is not None:
            return status
        library = open_for(args)
        try:
            return args.handler(library, args) or 0
        except loaded_class("sqlalchemy.exc", "DatabaseError") as error:
            from models.store.library import database_failure

            raise database_failure(library, error) from None  # type: ignore[arg-type]
        finally:
            library.close()
    except UserError as error:
        print(f"papershelf: {clean_text(str(error))}", file=sys.stderr)
        return error.status
    except InvalidValue as error:
        print(f"papershelf: {clean_text(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except loaded_class("models.shelf.papers", "PaperNotFound") as error:
        print(f"papershelf: {clean_text(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LibraryError as error:  # it may name a path from --db: no escapes either
        print(f"papershelf: {clean_text(str(error))}", file=sys.stderr)
        return EXIT_LIBRARY
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `papershelf list | head`
        sys.stderr.close()
        return 0


def open_for(args: argparse.Namespace, *, seed: bool = True) -> Library:
    """Open the library the arguments name; seed an empty default library on first use."""
    from models.ingest.importer import import_bundled_seeds
    from models.store.database import open_library

    library = open_library(getattr(args, "db", None), reader=reader_name(args))
    for message in library.messages:
        print(f"papershelf: {message}", file=sys.stderr)
    if seed and library.location.is_default:
        summaries = import_bundled_seeds(library)
        if summaries:
            new = sum(summary.new for summary in summaries)
            print(
                f"papershelf: new library at {library.location.label}; imported {new} papers "
                "from the bundled demo listings",
                file=sys.stderr,
            )
    return library


def run_app(args: argparse.Namespace) -> int:
    from tui.app.app import PapershelfApp  # here: the commands start without Textual

    library = open_for(args, seed=False)  # the app seeds in a worker and says so
    app = PapershelfApp(library, seed_default=True)
    try:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):  # `papershelf < /dev/null`
            raise UserError("the app needs a terminal; see `papershelf --help` for the commands")
        app.run()
    finally:
        library.close()
    return app.return_code or 0  # 1 when quitting dropped changes (kept in a recovery file)


MAX_LIMIT = 1_000_000_000


# --- commands -------------------------------------------------------------------


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    from models.ingest.formats.macro_files import shared_macros
    from models.ingest.importer import ImportSummary
    from tui.cli.progress import progress_over

    totals = ImportSummary(path="")
    macros = shared_macros(args.paths) if len(args.paths) > 1 else None
    with progress_over(args.paths, "importing") as paths:
        failed = _import_each(library, args, paths, totals, macros)
    print(
        f"imported {len(args.paths) - failed} of {len(args.paths)} files: {totals.new} new, "
        f"{totals.merged} merged, {totals.unchanged} unchanged, {totals.rejected} rejected"
    )
    return EXIT_BAD_INPUT if failed else 0


def _import_each(library: Library, args: argparse.Namespace, paths, totals: Any, macros) -> int:
    """Import each file, printing its summary; how many failed."""
    from models.ingest.formats import read_listing_bytes
    from models.ingest.importer import ImportSummary, import_listing
    from models.ingest.record import ListingError
    from models.ingest.restore import RestoreSummary, is_backup, restore_backup

    failed = 0
    for name in paths:
        try:
            summary: ImportSummary | RestoreSummary
            data = read_listing_bytes(Path(name))  # once: a pipe cannot be read twice
            if args.format is None and is_backup(data):
                summary = restore_backup(library, name, data)
            else:
                summary = import_listing(
                    library,
                    name,
                    format_name=args.format,
                    year=args.year,
                    macros=macros,
                    keywords_as_tags=args.keywords_as_tags,
                    replacements=args.replacements,
                    data=data,
                )
        except ListingError as error:
            print(error, file=sys.stderr)
            failed += 1
            continue
        for warning in summary.warnings:
            print(warning, file=sys.stderr)
        print(summary.line())
        for field in ("new", "merged", "unchanged", "rejected"):
            setattr(totals, field, getattr(totals, field) + getattr(summary, field))
    return failed


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


class OneLineParser(argparse.ArgumentParser):
    """Wrong arguments are one line on stderr and exit 2, without the usage block."""

    #: Fills in help that needs a module no command should load just to parse its arguments.
    before_help: Callable[[argparse.ArgumentParser], None] | None = None
    #: The command line being parsed, for hints about what argparse misread.
    arguments: ClassVar[list[str]] = []

    def format_help(self) -> str:
        if self.before_help is not None:
            self.before_help(self)
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        negated = [arg for arg in self.arguments if arg.startswith("-") and arg[1:2].isalpha()]
        if negated and ("QUERY" in message or "unrecognized arguments: -" in message):
            # `search -survey`: argparse took the negated word for an option.
            hint = "a query starting with - goes after --, as in: search -- -survey"
            self.exit(2, f"{self.prog}: {message} ({hint})\n")
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    common = OneLineParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="library file or SQLAlchemy URL (default: $PAPERSHELF_DB, else the user data dir)",
    )
    common.add_argument(
        "--reader",
        default=argparse.SUPPRESS,
        help="whose reading state to use (default: $PAPERSHELF_READER, else the login name)",
    )
    parser = OneLineParser(
        prog="papershelf",
        description="A terminal reading tracker for research papers. "
        "With no command, opens the app.",
        parents=[common],
    )
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Callable | None, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    sub = command(
        "import", cmd_import, "import listings, .bib, arXiv API XML or a JSON backup (detected)"
    )
    sub.add_argument("paths", nargs="+", metavar="PATH", help="files to import")
    formats = sub.add_argument(
        "--format", type=_format_name, help="parse every file as this format"
    )
    sub.before_help = lambda _: _describe_formats(formats)  # type: ignore[attr-defined]
    sub.add_argument("--year", type=_year, help="year for dates printed without one")
    sub.add_argument(
        "--keywords-as-tags",
        action="store_true",
        help="make BibTeX keywords and RIS KW your tags on the imported papers",
    )
    sub.add_argument(
        "--replacements",
        action="store_true",
        help="also import arXiv replacements (new versions) of papers not in the library",
    )

    statuses = ", ".join(status.value for status in Status)
    sub = command("list", cmd_list, "list papers, newest first")
    sub.add_argument("--status", help=f"only papers with this status ({statuses})")
    sub.add_argument(
        "--tag", action="append", type=user_text, help="only papers with this tag (repeatable)"
    )
    sub.add_argument("--limit", type=_positive, help="at most this many papers")
    sub.add_argument("--json", action="store_true", help="print one JSON array")

    sub = command("search", cmd_search, "search papers, best match first")
    sub.formatter_class = argparse.RawDescriptionHelpFormatter
    sub.before_help = query_help  # type: ignore[attr-defined]
    sub.add_argument(
        "query", metavar="QUERY", type=user_text, help='words, "phrases" and field:value filters'
    )
    sub.add_argument("--limit", type=_positive, default=50, help="at most this many (default 50)")
    sub.add_argument("--json", action="store_true", help="print one JSON array")

    sub = command("show", cmd_show, "show one paper with notes and history")
    sub.add_argument("id", metavar="ID", help="internal id or arXiv id")
    sub.add_argument("--json", action="store_true", help="print one JSON object")

    sub = command("set", cmd_set, "change a paper's status, rating or tags")
    sub.add_argument("id", metavar="ID", help="internal id or arXiv id")
    sub.add_argument("--status", help=f"new status ({statuses})")
    sub.add_argument("--rate", metavar="N", help="rating 1-5")
    sub.add_argument("--unrate", action="store_true", help="clear the rating")
    sub.add_argument(
        "--tag", action="append", type=user_text, metavar="T", help="add a tag (repeatable)"
    )
    sub.add_argument(
        "--untag", action="append", type=user_text, metavar="T", help="remove a tag (repeatable)"
    )

    sub = command("note", cmd_note, "add a Markdown note to a paper")
    sub.add_argument("id", metavar="ID", help="internal id or arXiv id")
    sub.add_argument("text", metavar="TEXT", type=user_text, help="the note; - reads it from stdin")
    sub.add_argument(
        "--share", action="store_true", help="let the library's other readers see it (signed)"
    )
    add_note_commands(command)  # share, unshare

    add_delete_arguments(command("delete", cmd_delete, "delete papers (asks first, or --yes)"))

    add_export_commands(command("export", None, "export notes, references or a backup"), common)
    add_fetch_commands(command, common)
    return parser


def _format_name(text: str) -> str:
    from models.ingest.formats import PARSERS

    if text not in PARSERS:
        known = ", ".join(repr(name) for name in sorted(PARSERS))
        raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {known})")
    return text


def _describe_formats(action: argparse.Action) -> None:
    """`--format`'s help: each format the registry holds, with what it reads."""
    from models.ingest.formats import PARSERS

    action.metavar = "{" + ",".join(sorted(PARSERS)) + "}"
    action.help = "parse every file as this format: " + "; ".join(
        f"{name}: {module.DESCRIPTION}" for name, module in sorted(PARSERS.items())
    )


def _positive(text: str) -> int:
    value = _whole(text)
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be 1-{MAX_LIMIT}")
    return value


def _year(text: str) -> int:
    value = _whole(text)
    if value not in YEARS:
        raise argparse.ArgumentTypeError(f"a year is {YEARS[0]}-{YEARS[-1]}")
    return value


def _whole(text: str) -> int:
    if not (text.isascii() and text.strip().isdigit() and len(text) <= 18):
        raise argparse.ArgumentTypeError(f"not a whole number: {user_text(text)[:20]!r}")
    return int(text)


def reader_name(args: argparse.Namespace) -> str:
    """The reader `--reader` or the environment names, as text that can be stored and shown."""
    name = clean_text(user_text(getattr(args, "reader", None) or default_reader()))
    if not name or len(name) > 128:
        raise UserError("--reader: a reader's name has 1-128 printable characters")
    return name


if __name__ == "__main__":
    sys.exit(main())
