"""BibTeX, RIS and CSL-JSON exports read back by the tools their readers use (pybtex,
bibtexparser 2, rispy, citeproc-py) and by our own import: names, dates, DOIs and arXiv
ids come back equal. Citation keys never run out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
import rispy
from citeproc.source.json import CiteProcJSON

from models.ingest.importer import import_listing
from models.interchange.citekeys import citation_keys, suffixes
from models.interchange.references import REFERENCE_FORMATS, write_references
from models.shelf.papers import list_papers
from models.store.database import open_library
from tui.cli import main

NAMES = [
    {"family": "Van Noorden", "given": "Richard"},
    {"literal": "Emergency Cardiovascular Care Committee"},
    {"family": "García Núñez", "given": "C."},
    {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    {"family": "Beethoven", "given": "Ludwig", "prefix": "van"},
]
DISPLAY = [
    "Richard Van Noorden",
    "Emergency Cardiovascular Care Committee",
    "C. García Núñez",
    "Martin Luther King, Jr.",
    "Ludwig van Beethoven",
]
PAPERS = {
    "names": dict(
        title="Structured names",
        authors=DISPLAY,
        author_names=NAMES,
        doi="10.1234/names.1",
        venue="Journal of Names",
        published=date(2017, 11, 1),
        published_precision="month",
    ),
    "year": dict(
        title="Attention is all you need",
        authors=["Ashish Vaswani"],
        arxiv_id="1706.03762",
        published=date(2017, 1, 1),
        published_precision="year",
    ),
    "day": dict(
        title="A full date",
        authors=["Jörg Müller"],
        arxiv_id="2401.00001",
        doi="10.5555/day",
        published=date(2024, 2, 29),
        published_precision="day",
    ),
}


@pytest.fixture
def shelf(add_paper) -> dict[str, int]:
    return {name: add_paper(**fields) for name, fields in PAPERS.items()}


def export(library, name: str, ids) -> str:
    with library.read() as session:
        text, count = REFERENCE_FORMATS[name](session, reader_id=library.reader_id, ids=ids)
    assert count == len(ids)
    return text


def test_pybtex_and_bibtexparser_split_the_names_as_stored(library, shelf):
    text = export(library, "bibtex", [shelf["names"]])
    [entry] = pybtex.database.parse_string(text, "bibtex").entries.values()
    people = [
        (" ".join(p.prelast_names + p.last_names), " ".join(p.first_names + p.middle_names),
         " ".join(p.lineage_names))
        for p in entry.persons["author"]
    ]  # fmt: skip
    assert people == [
        ("Van Noorden", "Richard", ""),
        ("{Emergency Cardiovascular Care Committee}", "", ""),
        ("García Núñez", "C.", ""),
        ("King", "Martin Luther", "Jr."),
        ("van Beethoven", "Ludwig", ""),
    ]
    assert (entry.fields["year"], entry.fields["month"]) == ("2017", "November")
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and parsed.entries[0]["doi"] == "10.1234/names.1"


def test_each_export_imports_back_equal(library, shelf, tmp_path):
    for name, suffix in (("bibtex", "bib"), ("ris", "ris"), ("csl-json", "json")):
        path = tmp_path / f"refs.{suffix}"
        with library.read() as session:
            write_references(
                session, format_name=name, reader_id=1, ids=list(shelf.values()), path=path
            )
        other = open_library(str(tmp_path / f"{name}.sqlite"))
        summary = import_listing(other, path)
        assert (summary.format, summary.new, summary.rejected) == (name, 3, 0)
        with other.read() as session:
            back = {view.paper.title: view.paper for view in list_papers(session, reader_id=1)}
        other.close()
        for fields in PAPERS.values():
            paper = back[fields["title"]]
            assert paper.authors == fields["authors"], name
            for field in ("doi", "arxiv_id", "published", "published_precision"):
                assert getattr(paper, field) == fields.get(field), (name, field)
        assert back["Structured names"].author_names[1] == NAMES[1]


def test_rispy_reads_the_ris(library, shelf):
    [names, year, day] = rispy.loads(export(library, "ris", list(shelf.values())))
    assert names["authors"] == [
        "Van Noorden, Richard",
        "Emergency Cardiovascular Care Committee",
        "García Núñez, C.",
        "King, Martin Luther, Jr.",
        "van Beethoven, Ludwig",
    ]
    assert (names["year"], names["date"], names["doi"]) == ("2017", "2017/11//", "10.1234/names.1")
    assert year["urls"] == ["https://arxiv.org/abs/1706.03762"] and "date" not in year
    assert day["date"] == "2024/02/29/" and day["type_of_reference"] == "UNPB"  # no venue
    assert names["type_of_reference"] == "JOUR"


def test_citeproc_reads_the_csl_json(library, shelf):
    items = json.loads(export(library, "csl-json", list(shelf.values())))
    source = CiteProcJSON(items)
    names = source[items[0]["id"]]
    assert names["author"][0] == {"family": "Van Noorden", "given": "Richard"}
    assert names["author"][1] == {"literal": "Emergency Cardiovascular Care Committee"}
    assert names["author"][3]["suffix"] == "Jr."
    assert (names["issued"]["year"], names["issued"]["month"]) == (2017, 11)
    assert items[0]["DOI"] == "10.1234/names.1" and names["type"] == "article-journal"
    year = items[1]
    assert year["issued"] == {"date-parts": [[2017]]} and year["number"] == "arXiv:1706.03762"


def test_keys_never_run_out_and_are_stored(library, add_paper, tmp_path, db_path, capsys):
    endings = suffixes()
    first = [next(endings) for _ in range(25 + 26 * 26 + 2)]
    assert first[:3] == ["b", "c", "d"] and first[24:27] == ["z", "aa", "ab"]
    assert first[700:] == ["zz", "aaa", "aab"] and len(set(first)) == len(first)
    listing = tmp_path / "abstracts.txt"
    listing.write_text("".join(f"Abstract: Paper number {n} says something.\n" for n in range(800)))
    assert main(["--db", str(db_path), "import", str(listing)]) == 0
    assert main(["--db", str(db_path), "export", "bibtex", "-o", str(tmp_path / "all.bib")]) == 0
    with library.read() as session:
        keys = citation_keys(session)
    assert len(set(keys.values())) == 800
    assert {"anon", "anonb", "anonz", "anonaa", "anonzz", "anonaaa"} <= set(keys.values())


def test_the_stored_base_key_uses_the_year_at_any_precision(tmp_path, library):
    path = tmp_path / "one.bib"
    path.write_text("@article{v, title = {Attention Is All You Need}, author = {Vaswani, A.},"
                    " year = {2017}}")  # fmt: skip
    import_listing(library, path)
    with library.read() as session:
        [view] = list_papers(session, reader_id=1)
        assert view.paper.citation_key == "vaswani2017attention"
        assert citation_keys(session) == {view.id: "vaswani2017attention"}


def test_cli_exports_each_format(library, shelf, db_path, tmp_path, capsys):
    for name in ("ris", "csl-json"):
        target = tmp_path / f"out.{name}"
        assert main(["--db", str(db_path), "export", name, "-o", str(target)]) == 0
        assert "exported 3 papers" in capsys.readouterr().out
        assert Path(target).read_text().strip()
