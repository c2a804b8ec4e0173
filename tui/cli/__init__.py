"""The `papershelf` command: the app with no arguments, and commands for scripts.

Every command opens the library through `models.store.database.open_library` and calls
the same functions as the app. Errors are one line on stderr and a non-zero exit:
2 for bad input (arguments, values, listing files), 1 for a library that cannot
be opened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, NoReturn

from models.core.fields import YEARS
from models.core.text import clean_text
from models.core.values import InvalidValue, Status
from models.store.location import LibraryError, default_reader
from tui.cli.delete_command import add_delete_arguments, cmd_delete
from tui.cli.export_commands import add_export_commands
from tui.cli.fetch_commands import add_fetch_commands, query_help
from tui.cli.import_command import cmd_import, describe_formats, format_name
from tui.cli.note_commands import add_note_commands
from tui.cli.paper_commands import cmd_list, cmd_note, cmd_search, cmd_set, cmd_show
from tui.cli.user_text import user_text
from tui.errors import EXIT_BAD_INPUT, EXIT_LIBRARY, UserError, loaded_class

if TYPE_CHECKING:
    from models.store.library import Library

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
    formats = sub.add_argument("--format", type=format_name, help="parse every file as this format")
    sub.before_help = lambda _: describe_formats(formats)  # type: ignore[attr-defined]
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
