"""`papershelf import FILE...`: listing files, `.bib` libraries and backups, each file
in its own transaction, with one line of what it did."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.errors import EXIT_BAD_INPUT

if TYPE_CHECKING:
    from models.store.library import Library


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


def format_name(text: str) -> str:
    from models.ingest.formats import PARSERS

    if text not in PARSERS:
        known = ", ".join(repr(name) for name in sorted(PARSERS))
        raise argparse.ArgumentTypeError(f"invalid choice: {text!r} (choose from {known})")
    return text


def describe_formats(action: argparse.Action) -> None:
    """`--format`'s help: each format the registry holds, with what it reads."""
    from models.ingest.formats import PARSERS

    action.metavar = "{" + ",".join(sorted(PARSERS)) + "}"
    action.help = "parse every file as this format: " + "; ".join(
        f"{name}: {module.DESCRIPTION}" for name, module in sorted(PARSERS.items())
    )
