"""SQLite beside PostgreSQL in one run: import, search and the app's first paint.

For each backend, on the same machine and in the same run: importing an arXiv-style
listing of 100,000 records into a fresh library (parse, merge, commit and index, as
`papershelf import` does; the best of `--repeat` rounds, each SQLite then PostgreSQL),
the first 50 results of the search benchmark's 29 queries
at 100,000 papers (median and p95 of 5 runs each, fresh read session per call), and
the app's start to first painted list at 100,000 papers (headless, 120x40).

    python bench/pg_speed.py [--pg-url URL] [--records 100000] [--papers 100000] [--repeat 2]

Without --pg-url (or PAPERSHELF_TEST_PG_URL) it starts a private cluster with
`.ci/postgres` and stops it at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate_library import READER, _fill, generate  # noqa: E402
from search_speed import QUERIES, page, percentile, time_queries  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.app_speed import run_child  # noqa: E402
from bench.import_speed import generate_arxiv, vocabulary  # noqa: E402
from models.ingest.importer import import_listing
from models.store.database import open_library

TARGETS = {"import_ratio": 3.0, "search_median_ms": 30.0, "first_paint_s": 1.0}


@contextlib.contextmanager
def server(url: str | None) -> Iterator[str]:
    """The server's URL: the one given, else a private cluster for this run."""
    if url:
        yield url
        return
    started = subprocess.run(
        [str(ROOT / ".ci" / "postgres"), "start"], capture_output=True, text=True, check=True
    )
    exports = dict(
        line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines()
    )
    try:
        yield exports["PAPERSHELF_TEST_PG_URL"]
    finally:
        env = os.environ | {"PAPERSHELF_PG_DIR": exports["PAPERSHELF_PG_DIR"]}
        subprocess.run([str(ROOT / ".ci" / "postgres"), "stop"], env=env, check=False)


def fresh_database(url: str, name: str) -> str:
    """Database `name` on the server, empty; its URL."""
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def timed_import(db: str, listing: Path) -> tuple[float, int]:
    library = open_library(db)
    try:
        started = time.perf_counter()
        summary = import_listing(library, listing)
        return time.perf_counter() - started, summary.new
    finally:
        library.close()


def bench_import(url: str, records: int, repeat: int) -> float:
    """The best of `repeat` rounds, each SQLite then PostgreSQL, so a busy minute of the
    machine slows both backends' figures alike."""
    listing_text, unique = generate_arxiv(records, vocabulary(), random.Random(20261123))
    sqlite_times, pg_times = [], []
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "listing.txt"
        listing.write_text(listing_text, encoding="utf-8")
        for round_number in range(repeat):
            sqlite_path = str(Path(folder) / f"library-{round_number}.sqlite")
            sqlite_s, sqlite_new = timed_import(sqlite_path, listing)
            pg_s, pg_new = timed_import(fresh_database(url, "papershelf_bench_import"), listing)
            assert sqlite_new == pg_new == unique, (sqlite_new, pg_new, unique)
            sqlite_times.append(sqlite_s)
            pg_times.append(pg_s)
    sqlite_s, pg_s = min(sqlite_times), min(pg_times)
    print(f"\n== import {records:,} records ({unique:,} papers), with the search index")
    print(
        f"  (best of {repeat}; each round: "
        + ", ".join(f"{a:.1f} s / {b:.1f} s" for a, b in zip(sqlite_times, pg_times, strict=True))
        + ")"
    )
    print(f"  SQLite:     {sqlite_s:6.2f} s  {records / sqlite_s:8,.0f} records/s")
    print(f"  PostgreSQL: {pg_s:6.2f} s  {records / pg_s:8,.0f} records/s")
    print(f"  PostgreSQL / SQLite: {pg_s / sqlite_s:.2f}x (target <= {TARGETS['import_ratio']}x)")
    return pg_s / sqlite_s


def postgres_library(url: str, size: int) -> str:
    """The generated library of `size` papers (bench/generate_library.py) on the server."""
    db = fresh_database(url, f"papershelf_bench_{size}")
    library = open_library(db, reader=READER)
    try:
        with library.write() as session:
            connection = session.connection()
            _fill(connection, size, library.reader_id)
            for table in ("paper", "tag"):  # the rows came with their ids
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
        with library.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"  # as autovacuum leaves a library: GIN pending lists merged
            )
    finally:
        library.close()
    return db


def search_timings(db: str) -> list[float]:
    library = open_library(db, reader=READER)
    try:
        return time_queries(library, [q for queries in QUERIES.values() for q in queries], page)
    finally:
        library.close()


def report_search(name: str, timings: list[float]) -> float:
    median = statistics.median(timings)
    print(f"  {name:<11} median {median:5.1f} ms, p95 {percentile(timings, 0.95):6.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("PAPERSHELF_TEST_PG_URL"))
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=2, help="import rounds; the best counts")
    args = parser.parse_args()
    with server(args.pg_url) as url:
        ratio = bench_import(url, args.records, args.repeat)
        started = time.perf_counter()
        sqlite_path = generate(args.papers)
        pg_db = postgres_library(url, args.papers)
        print(f"\n== {args.papers:,} papers ({time.perf_counter() - started:.0f} s to build)")
        print("search, first 50 results of 29 queries:")
        report_search("SQLite:", search_timings(str(sqlite_path)))
        pg_median = report_search("PostgreSQL:", search_timings(pg_db))
        print("app, start to first painted list:")
        sqlite_paint = run_child("papershelf", sqlite_path, args.keys)["first_paint"]
        pg_paint = run_child("papershelf", pg_db, args.keys)["first_paint"]  # type: ignore[arg-type]
        print(f"  SQLite:     {sqlite_paint:.2f} s")
        print(f"  PostgreSQL: {pg_paint:.2f} s")
    checks = [
        (f"import within {TARGETS['import_ratio']:.0f}x", ratio <= TARGETS["import_ratio"]),
        ("search median < 30 ms", pg_median < TARGETS["search_median_ms"]),
        ("first paint < 1 s", pg_paint < TARGETS["first_paint_s"]),
    ]
    print(
        "PostgreSQL targets: " + ", ".join(f"{n}: {'ok' if ok else 'MISSED'}" for n, ok in checks)
    )


if __name__ == "__main__":
    main()
