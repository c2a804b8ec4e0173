"""App speed on a library of 100,000 papers, beside a naive DataTable holding every row.

Prints, for papershelf's app and for a plain Textual `DataTable` app filled with all
rows (measured in the same run, each in a fresh process, headless at 120x40):
start to first painted list (its rows composited on screen; then, separately, until the
whole view's ids are in and the app is idle), the time to answer a cursor move and a page down
(median and 95th percentile of Pilot's press, less what Pilot takes for a key bound
to nothing), and resident memory with the library open. The detail pane follows the
cursor 30 ms after it rests, so a held key only moves the list.

    python bench/app_speed.py [--papers 100000] [--keys 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
SIZE = (120, 40)
TARGETS = {"first_paint": 1.0, "key_ms": 16.0, "rss_mb": 200.0}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build_library(papers: int) -> Path:
    """A library of `papers` generated papers, made once and kept under bench/out/."""
    path = OUT / f"library-{papers}.sqlite"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    import random

    from bench.import_speed import generate_arxiv, vocabulary
    from models.ingest.importer import import_listing
    from models.store.database import open_library

    listing, _ = generate_arxiv(papers, vocabulary(), random.Random(7))
    source = OUT / f"listing-{papers}.txt"
    source.write_text(listing, encoding="utf-8")
    library = open_library(str(path))
    import_listing(library, source)
    library.close()
    source.unlink()
    return path


async def time_keys(pilot, key: str, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        await pilot.press(key)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def measure_papershelf(path: Path, keys: int) -> dict:
    from models.store.database import open_library
    from tui.app.app import PapershelfApp

    started = time.perf_counter()
    library = open_library(str(path))
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        papers = app.main.paper_list
        while not (papers.ids and papers.row(papers.ids[0]) is not None):
            await pilot.pause(0.005)
        await pilot.pause(0)  # the screen composited with those rows: what the reader sees
        first_paint = time.perf_counter() - started
        await pilot.pause()  # until the whole view's ids are in and the app is idle
        settled = time.perf_counter() - started
        rows = len(papers.ids)
        idle = await time_keys(pilot, "f12", keys // 2)  # Pilot's own cost for a key
        moves_with_detail = await time_keys(pilot, "j", keys)
        import tui.app.screens.main

        tui.app.screens.main.DETAIL_DELAY = 60.0  # the list alone: the detail never catches up
        moves = await time_keys(pilot, "j", keys)
        pages = await time_keys(pilot, "pagedown", keys // 4)
        await app.workers.wait_for_complete()
        memory = rss_mb()
    return {
        "rows": rows,
        "first_paint": first_paint,
        "settled": settled,
        "idle": idle,
        "move": moves,
        "page": pages,
        "move_detail": moves_with_detail,
        "rss": memory,
    }


async def measure_datatable(path: Path, keys: int) -> dict:
    """The naive way: load every row into a DataTable on the UI thread."""
    from sqlalchemy import select
    from textual.app import App
    from textual.widgets import DataTable

    from models.store.database import open_library
    from models.store.tables import Paper

    class NaiveApp(App):
        def compose(self):
            yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            library = open_library(str(path))
            with library.read() as session:
                rows = session.execute(
                    select(Paper.id, Paper.title, Paper.abstract, Paper.published)
                ).all()
            table = self.query_one(DataTable)
            table.add_columns("id", "title", "year")
            table.add_rows(
                (r.id, (r.title or r.abstract or "")[:80], str(r.published or "")) for r in rows
            )
            table.focus()

    started = time.perf_counter()
    app = NaiveApp()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        while table.row_count == 0:
            await pilot.pause(0.005)
        await pilot.pause(0)
        first_paint = time.perf_counter() - started
        await pilot.pause()
        settled = time.perf_counter() - started
        idle = await time_keys(pilot, "f12", keys // 2)
        moves = await time_keys(pilot, "down", keys)
        pages = await time_keys(pilot, "pagedown", keys // 4)
        memory = rss_mb()
    return {
        "rows": table.row_count,
        "first_paint": first_paint,
        "settled": settled,
        "idle": idle,
        "move": moves,
        "page": pages,
        "rss": memory,
    }


def run_child(kind: str, path: Path, keys: int) -> dict:
    """Measure in a fresh process, so memory and warm caches are each app's own."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--library", str(path), "--keys", str(keys)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(name: str, figures: dict) -> None:
    print(f"{name}: {figures['rows']:,} rows")
    print(f"  start to first painted list: {figures['first_paint']:.2f} s")
    print(f"  start to the whole view loaded and the app idle: {figures['settled']:.2f} s")
    idle = statistics.median(figures["idle"])
    print(f"  Pilot's own cost for a key that does nothing: {idle:.1f} ms (subtracted below)")
    labels = [
        ("cursor move", "move"),
        ("page down", "page"),
        ("cursor move, detail pane following", "move_detail"),
    ]
    for label, key in labels:
        if key not in figures:
            continue
        values = [value - idle for value in figures[key]]
        print(f"  {label}: median {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms")
    print(f"  resident memory: {figures['rss']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--child", choices=["papershelf", "datatable"])
    parser.add_argument("--library", help="a library file or URL")
    args = parser.parse_args()
    if args.child:
        measure = measure_papershelf if args.child == "papershelf" else measure_datatable
        print(json.dumps(asyncio.run(measure(args.library, args.keys))))
        return
    started = time.perf_counter()
    path = build_library(args.papers)
    print(f"library: {path} ({time.perf_counter() - started:.1f} s to make or find)")
    ours = run_child("papershelf", path, args.keys)
    naive = run_child("datatable", path, args.keys)
    report("papershelf", ours)
    report("naive DataTable baseline", naive)
    idle = statistics.median(ours["idle"])
    move = statistics.median(ours["move"]) - idle
    print(
        f"ratio: first paint {naive['first_paint'] / ours['first_paint']:.0f}x faster, "
        f"memory {naive['rss'] / ours['rss']:.1f}x smaller than the baseline"
    )
    checks = [
        ("first paint < 1 s", ours["first_paint"] < TARGETS["first_paint"]),
        ("cursor move median < 16 ms", move < TARGETS["key_ms"]),
        ("page down median < 16 ms", statistics.median(ours["page"]) - idle < TARGETS["key_ms"]),
        ("memory < 200 MB", ours["rss"] < TARGETS["rss_mb"]),
    ]
    print("targets: " + ", ".join(f"{name}: {'ok' if ok else 'MISSED'}" for name, ok in checks))
    print(f"(median cursor move {move:.1f} ms)")


if __name__ == "__main__":
    main()
