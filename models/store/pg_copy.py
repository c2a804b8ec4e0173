"""Many rows into PostgreSQL with `COPY ... FROM STDIN`: how a large import writes papers.

An `INSERT ... VALUES (...), (...) RETURNING` in batches costs the driver a parse of
every batch's text (a third of a large import) and the server one run of the
statement-level index triggers per batch. COPY streams the rows in one statement, so
the search index triggers (`models.store.pg_index`) run once over all of them. The
ids are taken from the table's sequence first, in the rows' order, so the caller
learns them without RETURNING (which COPY has not).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.exc import DBAPIError

from models.store.pg_index import DEFER, index_new_papers

#: Fewer rows than this go the ordinary way: COPY's set-up costs more than it saves.
COPY_FROM = 200
#: Memory for the index triggers' sort of every new word and for merging the GIN
#: indexes' pending entries (both spill to disk at the default 4 MB), this transaction only.
WORK_MEM = "256MB"
#: `n` new ids from a table's sequence, one for each row in order.
NEW_IDS = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")


def copy_insert(connection: Connection, table: Table, rows: list[dict], *, ids: bool) -> list[int]:
    """Insert `rows` (all with the keys of the first) by COPY; with `ids`, their new ids."""
    names = list(rows[0])
    columns: list[list[Any]] = []
    new_ids: list[int] = []
    if ids:
        new_ids = list(
            connection.execute(
                NEW_IDS,
                {"table": table.name, "n": len(rows)},
            ).scalars()
        )
        columns.append(new_ids)
    for name in names:
        process = (
            table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        )
        values = [row.get(name) for row in rows]
        columns.append([None if v is None else process(v) for v in values] if process else values)
    quote = connection.dialect.identifier_preparer.quote
    targets = ", ".join(quote(n) for n in (["id", *names] if ids else names))
    sql = f"COPY {quote(table.name)} ({targets}) FROM STDIN"
    connection.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
    # New papers with ids in one run are indexed after the COPY, on several cores.
    index_later = (
        bool(new_ids)
        and table.name == "paper"
        and new_ids == list(range(new_ids[0], new_ids[0] + len(new_ids)))
    )
    if index_later:
        connection.exec_driver_sql(f"SELECT set_config('{DEFER}', 'yes', true)")
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)
    except driver.Error as error:  # reported as SQLAlchemy reports its own statements'
        lost = connection.dialect.is_disconnect(error, driver, None)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(
            sql, None, error, type(driver).Error, connection_invalidated=lost
        ) from error
    if index_later:
        index_new_papers(connection, new_ids[0], new_ids[-1])
    return new_ids
