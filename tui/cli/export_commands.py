"""`papershelf export markdown|bibtex|ris|csl-json|json`: the command line over
`models.interchange`.

Markdown without a query exports the papers the reader wrote notes on; BibTeX
without one exports the whole library. A file name of `-` writes to standard
output. Errors are one line and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.user_text import user_text
from tui.errors import UserError

if TYPE_CHECKING:  # each command imports what it uses when it runs
    from sqlmodel import Session

    from models.interchange.output import ExportResult
    from models.interchange.references import ReferenceText
    from models.store.library import Library

STDOUT = "-"
#: Names of standard output itself: written as `-` is, so the summary line cannot land in it.
STDOUT_NAMES = (STDOUT, "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def _ids(session: Session, library: Library, query: str | None, *, noted: bool) -> list[int]:
    from models.interchange.selection import export_ids
    from models.search.query import QueryError

    try:
        return export_ids(session, reader_id=library.reader_id, query=query, noted_by_default=noted)
    except QueryError as error:
        raise UserError(f"export: bad query: {error.message}") from None


def _report(result: ExportResult) -> int:
    for path, reason in result.skipped:
        print(f"papershelf: {path}: {reason}", file=sys.stderr)
    print(result.line())
    return 0


def _writing(action: Callable[[], ExportResult], target: str) -> ExportResult:
    """Run an export, turning a file system error into one line for the user."""
    try:
        return action()
    except OSError as error:
        raise UserError(f"export: {target}: {error.strerror or error}") from None


def cmd_export_markdown(library: Library, args: argparse.Namespace) -> int:
    from models.interchange.digest import render_digest, write_digest
    from models.interchange.directory import export_markdown

    if bool(args.output) == bool(args.single):
        raise UserError("export markdown: give either -o DIR or --single FILE")
    if args.group_by and not args.single:
        raise UserError("export markdown: --group-by goes with --single")
    with library.read() as session:
        ids = _ids(session, library, args.query, noted=True)
        state: dict[str, Any] = {"reader_id": library.reader_id, "ids": ids}
        if args.single in STDOUT_NAMES:
            sys.stdout.write(render_digest(session, **state, group_by=args.group_by or "status")[0])
            return 0
        if args.single:
            group_by = args.group_by or "status"
            single = Path(args.single)
            result = _writing(
                lambda: write_digest(session, **state, path=single, group_by=group_by),
                args.single,
            )
        else:
            directory = Path(args.output)
            if directory.exists() and not directory.is_dir():
                raise UserError(f"export: {directory}: not a directory")
            result = _writing(
                lambda: export_markdown(session, **state, directory=directory, force=args.force),
                args.output,
            )
    return _report(result)


def cmd_export_references(library: Library, args: argparse.Namespace) -> int:
    """BibTeX, RIS or CSL-JSON: the format is the subcommand's name."""
    from models.interchange.references import reference_text

    with library.read() as session:
        ids = _ids(session, library, args.query, noted=False)
        text = reference_text(
            session, format_name=args.export_format, reader_id=library.reader_id, ids=ids
        )
        return _deliver_references(args, text)


def quick_export_references(args: argparse.Namespace, reader: str) -> int | None:
    """The whole library's references straight from its SQLite file, without loading the
    database layer; None when the export needs the library opened the full way (a query,
    another database, a schema to upgrade, a new reader, a default library to seed)."""
    if args.query and args.query.strip():
        return None
    from models.interchange.references import library_references
    from models.store.location import locate
    from models.store.sqlite_reading import reading_sqlite

    location = locate(getattr(args, "db", None))
    with reading_sqlite(location, reader) as reading:
        if reading is None or (location.is_default and reading.is_unused()):
            return None
        return _deliver_references(
            args, library_references(reading, format_name=args.export_format)
        )


def _deliver_references(args: argparse.Namespace, text: ReferenceText) -> int:
    """Write the export, as it is read, to standard output or to its file (left alone
    when unchanged)."""
    if args.output in (None, *STDOUT_NAMES):
        for piece in text:
            sys.stdout.write(piece)
        return 0
    from models.interchange.references import write_reference_text

    path = Path(args.output)
    return _report(_writing(lambda: write_reference_text(text, path), args.output))


def cmd_export_json(library: Library, args: argparse.Namespace) -> int:
    from models.interchange.backup import backup_text, write_backup

    with library.read() as session:
        if args.output in STDOUT_NAMES:
            for piece in backup_text(session):
                sys.stdout.write(piece)
            return 0
        path = Path(args.output)
        result = _writing(lambda: write_backup(session, path=path), args.output)
    return _report(result)


def _grouping(text: str) -> str:
    from models.interchange.digest import GROUPINGS

    if text not in GROUPINGS:
        known = ", ".join(repr(name) for name in GROUPINGS)
        raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {known})")
    return text


def _describe_groupings(action: argparse.Action) -> None:
    from models.interchange.digest import GROUPINGS

    action.metavar = "{" + ",".join(GROUPINGS) + "}"


def add_export_commands(export: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """The `export` command's three formats, each with the shared --db and --reader."""
    formats = export.add_subparsers(dest="export_format", metavar="FORMAT", required=True)

    def subcommand(name: str, handler: Callable, help_text: str) -> argparse.ArgumentParser:
        sub = formats.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    query_help = "search query choosing the papers (default: %s)"
    sub = subcommand("markdown", cmd_export_markdown, "notes as Markdown: a file per paper")
    sub.add_argument(
        "query", nargs="?", metavar="QUERY", type=user_text, help=query_help % "papers with notes"
    )
    sub.add_argument("-o", "--output", metavar="DIR", help="directory for one .md file per paper")
    sub.add_argument("--single", metavar="FILE", help="one reading digest instead (- for stdout)")
    grouping = sub.add_argument(
        "--group-by", type=_grouping, help="digest groups (default: status)"
    )
    sub.before_help = lambda _: _describe_groupings(grouping)  # type: ignore[attr-defined]
    sub.add_argument(
        "--force", action="store_true", help="overwrite files edited since papershelf wrote them"
    )

    for name, what in (
        ("bibtex", "BibTeX entries (.bib)"),
        ("ris", "RIS records (.ris)"),
        ("csl-json", "CSL-JSON items (Zotero, Pandoc, citeproc)"),
    ):
        sub = subcommand(name, cmd_export_references, f"references as {what}")
        sub.set_defaults(quick=quick_export_references)
        sub.add_argument(
            "query", nargs="?", metavar="QUERY", type=user_text, help=query_help % "every paper"
        )
        sub.add_argument("-o", "--output", metavar="FILE", help="the file (default: stdout)")

    sub = subcommand("json", cmd_export_json, "the whole library as a lossless JSON backup")
    sub.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="backup file (- for stdout)"
    )
