"""Real `.bib` files from coBib, papis, pubs, bibtexparser, pybtex, JabRef, biblatex and Better
BibTeX (the shared corpus): every entry accounted for, dated, decoded, and kept apart."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from bibtexparser.splitter import Splitter
from helpers.corpus import REAL

from models.ingest.formats import bibtex_file, read_listing_text
from models.ingest.formats.bibtex_scan import scan
from models.ingest.importer import import_listing
from models.ingest.record import ParseOptions
from models.shelf.papers import list_papers

BIBS = sorted(REAL.glob("*.bib")) if REAL.is_dir() else []
pytestmark = pytest.mark.skipif(not BIBS, reason="the shared corpus is not beside this checkout")
MATH = re.compile(r"\$[^$]*\$")


def parsed(path: Path):
    return bibtex_file.parse(read_listing_text(path), ParseOptions(date(2026, 12, 1)))


def independent_count(path: Path) -> int:
    """Entries as bibtexparser 2's own parse sees them (failed entry blocks included)."""
    data = path.read_bytes()
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    library = bibtexparser.parse_string(text)
    blocks = [
        block
        for block in library.blocks
        if isinstance(block, Entry | DuplicateBlockKeyBlock)
        or (
            isinstance(block, ParsingFailedBlock)
            and re.match(r"\s*@\s*(?!comment|string|preamble)\w", block.raw or "", re.I)
        )
    ]
    return len(blocks)


@pytest.mark.parametrize("path", BIBS, ids=[path.stem for path in BIBS])
def test_every_entry_is_a_paper_or_a_reason(path):
    result = parsed(path)
    assert len(result.records) + len(result.rejected) == independent_count(path)
    if b"textbackslash" in path.read_bytes():
        return  # the file asks for a printed backslash
    for record in result.records:
        for text in (record.title, record.abstract, *(record.authors or [])):
            assert "\\" not in MATH.sub("", text or ""), text  # no stray LaTeX commands


def test_the_corpus_as_a_whole():
    records = [record for path in BIBS for record in parsed(path).records]
    with_year = 0
    for path in BIBS:
        text = path.read_bytes().decode("utf-8", errors="replace")
        with_year += len(re.findall(r"^\s*(?:year|date)\s*=", text, re.I | re.M))
    dated = [record for record in records if record.published]
    assert len(records) > 13_000
    assert len(dated) >= 0.97 * with_year  # not 68: year-only and month dates are kept
    assert {record.published_precision for record in dated} >= {"year", "month", "day"}


def test_utf16_files_with_a_bom_are_read(tmp_path):
    for name in ("jabref-encoding-utf-16BE-with-header.bib", "jabref-tiny-LE-withBOM.bib"):
        result = parsed(REAL / name)
        assert result.records and all(record.title for record in result.records)


def test_mendeley_types_and_keyless_entries_are_read():
    result = parsed(REAL / "bbt-03-web_page_and_other_mendeley_idiocy.bib")
    titles = [record.title for record in result.records]
    assert len(result.records) == independent_count(
        REAL / "bbt-03-web_page_and_other_mendeley_idiocy.bib"
    )
    assert any(title and "Liad" not in title for title in titles)
    endnote = parsed(REAL / "bbt-23-Endnote_should_parse.bib")
    assert endnote.records and endnote.records[0].title


def test_biblatex_annotations_are_ignored_not_fatal():
    [record] = parsed(REAL / "biblatex-97-annotations.bib").records
    assert record.title == "The Title"
    assert record.authors[:2] == ["First1 Last1", "First2 Last2"]


def test_editorial_columns_of_different_issues_stay_apart(library):
    summary = import_listing(library, REAL / "pybtex-tugboat.bib")
    with library.read() as session:
        views = list_papers(session, reader_id=library.reader_id)
    editorials = [
        view for view in views if (view.paper.title or "").lower() == "editorial comments"
    ]
    assert len(editorials) == 41
    assert summary.unchanged < 10  # only entries of the same issue meet


@pytest.mark.parametrize("path", BIBS, ids=[path.stem for path in BIBS])
def test_the_fast_scanner_reads_what_bibtexparser_reads(path):
    """Every entry bibtexparser 2's splitter reads, the fast path reads the same way (it may
    read more: an entry the splitter drops without a word)."""
    text = bibtex_file._KEYLESS.sub(r"\1,", read_listing_text(path))
    theirs = []
    for block in Splitter(bibstr=text).split().blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and block.ignore_error_block:
            block = block.ignore_error_block
        if isinstance(block, Entry):
            theirs.append((block.key, [(f.key, f.value) for f in block.fields]))
    ours = [(block[3], block[4]) for block in scan(text) if block[0] == "entry"]
    missing = [entry for entry in theirs if entry not in ours]
    assert missing == [] and len(ours) >= len(theirs)


PYBTEX_KEYS = """
import json, sys
import pybtex.database, pybtex.errors
from models.ingest.formats import read_listing_text
from pathlib import Path
pybtex.errors.set_strict_mode(False)
keys = {}
for name in sys.argv[1:]:
    entries = pybtex.database.parse_string(read_listing_text(Path(name)), "bibtex").entries
    keys[name] = [key.lower() for key in entries]
print(json.dumps(keys))
"""


@pytest.fixture(scope="module")
def pybtex_keys() -> dict[str, list[str]]:
    """The keys pybtex reads in each file, in a process of its own (its lenient mode and
    its warnings are global)."""
    import json
    import subprocess
    import sys

    names = [str(path) for path in BIBS]
    done = subprocess.run(
        [sys.executable, "-c", PYBTEX_KEYS, *names], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("path", BIBS, ids=[path.stem for path in BIBS])
def test_every_entry_pybtex_reads_is_read(path, pybtex_keys):
    """pybtex, a parser of its own, as a second count: every key it reads is among ours
    (it drops repeated keys and keyless entries, which we keep)."""
    theirs = pybtex_keys[str(path)]
    text = read_listing_text(path)
    ours = [block[3].lower() for block in scan(bibtex_file._KEYLESS.sub(r"\1,", text))
            if block[0] == "entry"]  # fmt: skip
    named = {key for key in theirs if not key.startswith("unnamed-")}  # its names for keyless
    # pybtex takes a keyless entry's first word ("author") for its key: those are ours too
    assert len(named - set(ours)) <= ours.count("")
    result = parsed(path)
    assert len(result.records) + len(result.rejected) >= len(theirs)
