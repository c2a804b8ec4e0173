"""`papershelf fetch arxiv|hf`, `enrich` and `watch`: the command line over `models.fetch`.

A fetch prints one summary line (new, cross-lists, updated, unchanged); a failure
prints one line naming the URL and exits with status 2, the library unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from tui.cli.user_text import user_text
from tui.errors import UserError

if TYPE_CHECKING:  # the commands import these when they run: `import` and `export` need none
    from models.fetch.fetch import FetchSummary
    from models.fetch.http import PoliteClient
    from models.search.query import QueryError
    from models.store.library import Library

Command = Callable[[str, Callable | None, str], argparse.ArgumentParser]


def make_client(
    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
) -> PoliteClient:
    """The client commands fetch with; it says on stderr when a service makes it wait."""
    from models.fetch.http import PoliteClient

    return PoliteClient(
        clock=clock,
        sleep=sleep,
        on_wait=lambda line: print(f"papershelf: {line}", file=sys.stderr),
    )


def _run(action: Callable[[PoliteClient], FetchSummary]) -> int:
    """Run one fetch, print its warnings and summary; a failure is one line, exit 2."""
    from models.fetch.arxiv_api import NotAnArxivId
    from models.fetch.categories import UnknownCategory
    from models.fetch.http import FetchError

    try:
        with make_client() as client:
            summary = action(client)
    except FetchError as error:
        raise UserError(f"{error} (library unchanged)") from None
    except (UnknownCategory, NotAnArxivId) as error:
        raise UserError(str(error)) from None
    for warning in summary.warnings:
        print(f"papershelf: {warning}", file=sys.stderr)
    print(summary.line())
    return 0


def _query_problem(command: str, error: QueryError, query: str) -> UserError:
    where = query[error.start : error.end] or query
    return UserError(f"{command}: {error.message} (at {error.start + 1}: {where})")


def cmd_fetch_arxiv(library: Library, args: argparse.Namespace) -> int:
    from models.fetch.fetch import fetch_arxiv, fetch_arxiv_ids

    if bool(args.categories) == bool(args.id):
        raise UserError("fetch arxiv: give categories (cs.CL cs.AI) or --id ID..., not both")
    if args.id:
        if args.replacements:
            raise UserError("fetch arxiv: --replacements goes with categories, not --id")
        return _run(lambda client: fetch_arxiv_ids(library, args.id, client=client))
    return _run(
        lambda client: fetch_arxiv(
            library, args.categories, replacements=args.replacements, client=client
        )
    )


def cmd_fetch_hf(library: Library, args: argparse.Namespace) -> int:
    from models.fetch.fetch import fetch_hf

    return _run(lambda client: fetch_hf(library, args.date, client=client))


def cmd_enrich(library: Library, args: argparse.Namespace) -> int:
    from models.fetch.fetch import enrich
    from models.search.query import QueryError

    try:
        return _run(lambda client: enrich(library, args.query, client=client))
    except QueryError as error:
        raise _query_problem("enrich", error, args.query) from None


def cmd_watch_add(library: Library, args: argparse.Namespace) -> int:
    from models.search.query import QueryError
    from models.search.watches import WatchError, add_watch

    try:
        with library.write() as session:
            add_watch(session, reader_id=library.reader_id, name=args.name, query=args.query)
    except QueryError as error:
        raise _query_problem("watch add", error, args.query) from None
    except WatchError as error:
        raise UserError(str(error)) from None
    print(f"watch {args.name!r} added: {args.query}")
    return 0


def cmd_watch_list(library: Library, args: argparse.Namespace) -> int:
    from models.search.watches import list_watches

    with library.read() as session:
        watches = list_watches(session, reader_id=library.reader_id)
    if args.json:
        json.dump([w.to_json() for w in watches], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max((len(w.name) for w in watches), default=0)
    for watch in watches:
        print(f"{watch.name:<{width}}  {watch.new:>5} new  {watch.total:>6} in all  {watch.query}")
    return 0


def cmd_watch_remove(library: Library, args: argparse.Namespace) -> int:
    from models.search.watches import WatchError, remove_watch

    try:
        with library.write() as session:
            remove_watch(session, reader_id=library.reader_id, name=args.name)
    except WatchError as error:
        raise UserError(str(error)) from None
    print(f"watch {args.name!r} removed")
    return 0


def query_help(parser: argparse.ArgumentParser) -> None:
    """The search language below a command's help, loaded only when the help is shown."""
    from models.search.query import QUERY_HELP

    parser.epilog = "query language:\n" + QUERY_HELP


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def add_fetch_commands(command: Command, common: argparse.ArgumentParser) -> None:
    """`fetch arxiv|hf`, `enrich` and `watch add|list|remove`, each with --db and --reader."""

    def subcommands(parent: argparse.ArgumentParser, dest: str) -> Command:
        group = parent.add_subparsers(dest=dest, metavar="WHAT", required=True)

        def sub(name: str, handler: Callable | None, help_text: str) -> argparse.ArgumentParser:
            parser = group.add_parser(name, help=help_text, description=help_text, parents=[common])
            parser.set_defaults(handler=handler)
            return parser

        return sub

    fetch = subcommands(
        command("fetch", None, "fetch today's papers from arXiv or Hugging Face"), "source"
    )
    sub = fetch("arxiv", cmd_fetch_arxiv, "arXiv's announcements in categories, or papers by id")
    sub.add_argument("categories", nargs="*", metavar="CATEGORY", help="e.g. cs.CL cs.AI")
    sub.add_argument(
        "--id", nargs="+", metavar="ID", help="arXiv ids, arXiv:ID with a version, or abs/pdf URLs"
    )
    sub.add_argument(
        "--replacements",
        action="store_true",
        help="also add new versions of papers the library does not have",
    )
    sub.epilog = (
        "The feed is $PAPERSHELF_ARXIV_RSS_URL/CAT1+CAT2 (default https://rss.arxiv.org/rss), "
        "the API $PAPERSHELF_ARXIV_API_URL (default https://export.arxiv.org/api/query). "
        "Set $PAPERSHELF_CONTACT to an e-mail address to name it in the User-Agent."
    )
    sub = fetch("hf", cmd_fetch_hf, "Hugging Face's daily papers")
    sub.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="that day (default: latest)")

    sub = command("enrich", cmd_enrich, "complete papers lacking a title, authors or a date")
    sub.formatter_class = argparse.RawDescriptionHelpFormatter
    sub.before_help = query_help  # type: ignore[attr-defined]  # a OneLineParser
    sub.add_argument("query", nargs="?", metavar="QUERY", type=user_text, help="only these papers")

    watch = subcommands(command("watch", None, "saved searches, with their Inbox counts"), "action")
    sub = watch("add", cmd_watch_add, "save a search under a name")
    sub.add_argument("name", metavar="NAME", type=user_text)
    sub.add_argument("query", metavar="QUERY", type=user_text, help="in the search language")
    sub = watch("list", cmd_watch_list, "the watches: papers in the Inbox and in all")
    sub.add_argument("--json", action="store_true", help="print one JSON array")
    sub = watch("remove", cmd_watch_remove, "forget a watch (its papers stay)")
    sub.add_argument("name", metavar="NAME", type=user_text)
