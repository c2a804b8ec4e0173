"""A progress bar for long commands on a terminal (rich, on stderr); nothing when piped."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

Item = TypeVar("Item")


@contextmanager
def progress_over(items: Sequence[Item], what: str) -> Iterator[Iterator[Item]]:
    """The items, one by one, with a bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        yield iter(items)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    from rich.console import Console

    # Lines printed meanwhile go above the bar when they share its terminal.
    console = Console(stderr=True)
    shared = sys.stdout.isatty()
    with Progress(
        *columns, console=console, transient=True, redirect_stdout=shared, redirect_stderr=True
    ) as progress:
        task = progress.add_task(what, total=len(items))

        def advancing() -> Iterator[Item]:
            for item in items:
                progress.update(task, description=f"{what} {item}")
                yield item
                progress.advance(task)

        yield advancing()
