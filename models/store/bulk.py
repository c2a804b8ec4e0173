"""Many rows in one statement: how imports and restores write papers fast."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from json.encoder import encode_basestring_ascii
from typing import Any, TypeVar

from sqlalchemy import JSON, Connection, Table, func, insert, select

from models.store.pg_copy import COPY_FROM, copy_insert

T = TypeVar("T")
#: Bound parameters per `IN (...)` list: well under every backend's limit (SQLite's 32,766,
#: PostgreSQL's 65,535), so no query fails however large the library.
IN_LIST_CHUNK = 500


def chunked(items: Iterable[T], size: int = IN_LIST_CHUNK) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter): by default, small enough for
    one `IN (...)` list. Works on any iterable, so an import can batch records as they
    are made."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_insert(
    connection: Connection, table: Table, rows: list[dict], *, ids: bool = True
) -> list[int]:
    """Insert many rows at once; with `ids`, return their new ids in the rows' order.

    On SQLite, writers hold the lock (BEGIN IMMEDIATE), so ids can be handed out here
    and the rows go straight to the driver's executemany, converted column by column
    by each type's own bind processor: several times faster than RETURNING, which
    SQLite runs one row at a time when the order must hold. PostgreSQL takes many
    rows by COPY (`models.store.pg_copy`); other backends use RETURNING in order.
    """
    if not rows:
        return []
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        return copy_insert(connection, table, rows, ids=ids)
    if connection.dialect.name != "sqlite":
        if not ids:
            connection.execute(insert(table), rows)
            return []
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [row.id for row in connection.execute(statement, rows)]
    names = list(rows[0])
    new_ids: list[int] = []
    if ids:
        start = connection.execute(select(func.max(table.c.id))).scalar() or 0
        new_ids = list(range(start + 1, start + 1 + len(rows)))
    columns: list[list] = [new_ids] if ids else []
    for name in names:
        process = table.c[name].type.bind_processor(connection.dialect)
        if process and isinstance(table.c[name].type, JSON):
            process = _json_text(process)
        values = [row.get(name) for row in rows]
        columns.append(_convert_column(values, process) if process else values)
    quote = connection.dialect.identifier_preparer.quote
    names = ["id", *names] if ids else names
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))
    return new_ids


def _json_text(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's processor (`json.dumps`), with a quicker way to the same text for
    a list of strings (authors, categories): a third of the time, 30,000 times an import."""

    def encode(value: Any) -> Any:
        if type(value) is list and all(type(item) is str for item in value):
            return "[" + ", ".join(map(encode_basestring_ascii, value)) + "]"
        return process(value)

    return encode


def _convert_column(values: list, process) -> list:
    """Convert a column's values, once per distinct value object (an import's rows share
    their timestamps) and never for None."""
    converted: dict[int, object] = {}
    out: list = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        key = id(value)
        if key not in converted:
            converted[key] = process(value)
        out.append(converted[key])
    return out


class WriteBehind:
    """Runs one write at a time on another thread, so that SQLite's work on one batch of
    rows (B-trees, the FTS5 tokenizer: C code that lets go of the interpreter lock)
    overlaps the Python that prepares the next batch.

    The write's connection belongs to the write while it runs: whoever uses the
    connection calls `wait()` first, which also raises what the write raised. Used as a
    context manager, it waits on the way out, also when the block fails, so a
    transaction never ends under a running write."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, write: Callable[[], object]) -> None:
        """Start `write` once the previous one has finished."""
        self.wait()

        def run() -> None:
            try:
                write()
            except BaseException as error:  # handed to the caller by `wait`
                self._error = error

        self._thread = threading.Thread(target=run, name="papershelf-write-behind")
        self._thread.start()

    @property
    def running(self) -> bool:
        """Whether a write is still under way (the connection is not free)."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self) -> None:
        """Return once no write runs; raise the error of the write that failed, if any."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.wait()
        elif self._thread is not None:  # the block's own error is the one to report
            self._thread.join()
            self._thread = None
