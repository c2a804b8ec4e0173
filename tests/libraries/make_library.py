"""Make `schema-REVISION.sqlite`: a small library in the schema this checkout creates.

Run it once per released schema, at the commit that releases it, and commit the file:

    python tests/libraries/make_library.py

tests/test_upgrades.py opens every file here with the current code, so each release's
library keeps being upgraded by every later version. The file holds two listings
(a seed listing and tests/data/sample.bib) and one reader, "tester", with a status,
a rating, tags and notes, one of them with Markdown and non-ASCII text.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from models.ingest.importer import import_listing
from models.shelf.reading import add_note, add_tag, set_rating, set_status
from models.store.database import open_library
from models.store.schema import head_revision


def make(path: Path) -> None:
    library = open_library(str(path), reader="tester")
    import_listing(library, ROOT / "seeds" / "000_950f68edfbbc750a.txt", today=date(2026, 11, 23))
    import_listing(library, ROOT / "tests" / "data" / "sample.bib", today=date(2026, 11, 23))
    with library.write() as session:
        state = {"reader_id": library.reader_id, "paper_id": 1}
        set_status(session, **state, status="reading")
        set_status(session, **state, status="read")
        set_rating(session, **state, rating=4)
        add_tag(session, **state, name="keep")
        add_tag(session, **state, name="Ärger")
        add_note(session, **state, body="# Why it matters\n\n- café *résumé* 🎉\n- `code`")
        add_note(session, reader_id=library.reader_id, paper_id=2, body="A second note.")
    library.close()
    connection = sqlite3.connect(path)  # fold the WAL in: one self-contained file
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("VACUUM")
    connection.close()


if __name__ == "__main__":
    target = HERE / f"schema-{head_revision()}.sqlite"
    if target.exists():
        sys.exit(f"{target} exists: a released schema's library is never remade")
    make(target)
    print(target)
