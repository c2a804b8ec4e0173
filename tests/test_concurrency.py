"""Concurrent use: two terminals writing the same papers, and the app open while the
command line imports and changes papers. No `database is locked`, every write kept."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from conftest import write_big_listing
from helpers.app import SIZE, Recorder, paper_list, settle, tab_labels

from models.ingest.importer import import_listing
from models.shelf.papers import paper_view
from tui.app.app import PapershelfApp

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ["1", "2", "3", "4", "5"]

#: One terminal: rate and tag the same papers through the real `set` command, in a loop
#: bounded by a count and by time; prints the iterations it finished and their statuses.
RATE_AND_TAG = """
import json, sys, time
from tui.cli import main

db, name, papers = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
done, statuses, stop = [], [], time.monotonic() + 2.5
for i in range(40):
    if i >= 3 and time.monotonic() > stop:  # at least three rounds, so the two overlap
        break
    for paper in papers:
        rating = str(i % 5 + 1)
        statuses.append(main(["--db", db, "set", paper, "--rate", rating,
                              "--tag", f"{name}-{i}", "--tag", "shared"]))
    done.append(i)
print(json.dumps({"done": done, "statuses": statuses}))
"""


def test_two_processes_rating_and_tagging_the_same_papers_keep_every_write(library, seeds):
    import_listing(library, seeds[0])
    db = library.location.url
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RATE_AND_TAG, db, name, ",".join(PAPERS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("left", "right")
    ]
    results = {}
    for name, process in zip(("left", "right"), processes, strict=True):
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "locked" not in err and err == "", err
        results[name] = json.loads(out.splitlines()[-1])
        assert set(results[name]["statuses"]) == {0}
        assert len(results[name]["done"]) >= 2  # they did overlap for a while
    with library.read() as session:
        for paper in map(int, PAPERS):
            view = paper_view(session, reader_id=library.reader_id, paper_id=paper)
            expected = {"shared"} | {
                f"{name}-{i}" for name, result in results.items() for i in result["done"]
            }
            assert set(view.tags) == expected
            last = {result["done"][-1] % 5 + 1 for result in results.values()}
            assert view.rating in last
        tags = session.connection().exec_driver_sql("SELECT name FROM tag").scalars().all()
    assert sorted(tags) == sorted(set(tags))  # 'shared' made once, not once per process


async def test_app_open_while_the_command_line_imports_and_sets(library, seeds, tmp_path):
    import_listing(library, seeds[0])
    db = library.location.url
    big = tmp_path / "big.txt"
    records = write_big_listing(big, 5_000_000)

    recorder = Recorder()
    app = PapershelfApp(library, watch=False)
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        first, second = papers.ids[:2]
        commands = [
            ["import", str(big)],
            ["set", str(second), "--status", "read", "--tag", "from-cli"],
        ]
        processes = [
            await asyncio.create_subprocess_exec(
                *[sys.executable, "-m", "tui.cli", "--db", db, *command],
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for command in commands
        ]
        outputs = asyncio.gather(*(process.communicate() for process in processes))
        # Meanwhile the app rates the first paper again and again: each write waits its
        # turn behind the import's transaction instead of failing.
        rating = 0
        for step in range(400):
            rating = step % 5 + 1
            await pilot.press(str(rating))
            done, _ = await asyncio.wait([outputs], timeout=0.02)
            if done:
                break
        await pilot.press("plus", *"from-app", "enter")
        await settle(app, pilot)
        for process, (_, err) in zip(processes, await outputs, strict=True):
            assert process.returncode == 0, err.decode()
            assert b"locked" not in err
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert len(papers.ids) == 10 + records - 1  # the new papers, less the one read
        assert "Read 1" in tab_labels(app)
        assert recorder.errors() == []
    with library.read() as session:
        mine = paper_view(session, reader_id=library.reader_id, paper_id=first)
        theirs = paper_view(session, reader_id=library.reader_id, paper_id=second)
    assert (mine.rating, mine.tags) == (rating, ["from-app"])
    assert (theirs.status, theirs.tags) == ("read", ["from-cli"])
