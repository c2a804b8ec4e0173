"""Listings that give authors as plain display names (arXiv's Atom API, its RSS feed, Hugging
Face) store each name's structure too, split as `models.core.names` splits display names,
so a BibTeX export of a fetched paper writes names pybtex splits right; a `.bib` that
brings the real structure later replaces the guess. Crossref's own parts are kept."""

from __future__ import annotations

import json

import pybtex.database  # type: ignore[import-untyped]
from helpers.loopback import Answer, recorded

from models.core.names import display_name
from models.fetch.crossref import parse_work
from models.fetch.fetch import fetch_arxiv
from models.ingest.importer import import_listing
from models.interchange.references import REFERENCE_FORMATS
from models.shelf.papers import find_paper

AUTHORS = [
    "Richard Van Noorden",
    "Martin Luther King Jr.",
    "Ludwig van Beethoven",
    "C. García Núñez",
    "Ashish Vaswani",
]
ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>ArXiv Query: id_list=2401.01234</title>
  <id>http://arxiv.org/api/query</id>
  <entry>
    <id>http://arxiv.org/abs/2401.01234v1</id>
    <published>2024-01-03T12:00:00Z</published>
    <updated>2024-01-03T12:00:00Z</updated>
    <title>Names with structure</title>
    <summary>How names come apart.</summary>
    {authors}
    <category term="cs.DL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""


def stored_names(library, reference: str) -> tuple[list[str] | None, list[dict] | None]:
    with library.read() as session:
        paper = find_paper(session, reference)
        return paper.authors, paper.author_names


def bibtex_people(library, reference: str) -> list[tuple[str, str, str]]:
    with library.read() as session:
        paper_id = find_paper(session, reference).id
        text, _ = REFERENCE_FORMATS["bibtex"](session, reader_id=library.reader_id, ids=[paper_id])
    [entry] = pybtex.database.parse_string(text, "bibtex").entries.values()
    return [
        (" ".join(p.prelast_names + p.last_names), " ".join(p.first_names + p.middle_names),
         " ".join(p.lineage_names))
        for p in entry.persons["author"]
    ]  # fmt: skip


def write_atom(tmp_path, authors: list[str]):
    path = tmp_path / "query.xml"
    names = "\n    ".join(f"<author><name>{name}</name></author>" for name in authors)
    path.write_text(ATOM.replace("{authors}", names), encoding="utf-8")
    return path


def test_arxiv_api_names_are_stored_with_their_parts(library, tmp_path):
    summary = import_listing(library, write_atom(tmp_path, AUTHORS))
    assert (summary.format, summary.new) == ("arxiv-atom", 1)
    authors, names = stored_names(library, "2401.01234")
    assert authors == AUTHORS
    assert names == [
        {"family": "Noorden", "given": "Richard", "prefix": "Van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Beethoven", "given": "Ludwig", "prefix": "van"},
        {"family": "Núñez", "given": "C. García"},
        {"family": "Vaswani", "given": "Ashish"},
    ]
    assert bibtex_people(library, "2401.01234") == [
        ("Van Noorden", "Richard", ""),
        ("King", "Martin Luther", "Jr."),
        ("van Beethoven", "Ludwig", ""),
        ("Núñez", "C. García", ""),
        ("Vaswani", "Ashish", ""),
    ]


def test_every_name_of_the_rss_feed_has_its_structure(library, loopback, fetch_client):
    loopback.route("/rss/cs.AI+cs.CL", Answer(body=recorded("rss-cs.CL+cs.AI-2026-11-30.xml")))
    assert fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client).new > 0
    with library.read() as session:
        rows = session.connection().exec_driver_sql("SELECT authors, author_names FROM paper")
        papers = [(authors, names) for authors, names in rows if authors]
    assert papers
    for authors, names in papers:
        authors, names = _json(authors), _json(names)
        assert [display_name(name) for name in names] == authors


def test_a_bib_with_the_real_structure_replaces_the_guess_once(library, tmp_path):
    import_listing(library, write_atom(tmp_path, AUTHORS))
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{names,\n  title = {Names with structure},\n"
        "  author = {Van Noorden, Richard and King, Jr., Martin Luther and "
        "van Beethoven, Ludwig and Garc{\\'i}a N{\\'u}{\\~n}ez, C. and Vaswani, Ashish},\n"
        "  eprint = {2401.01234},\n  archivePrefix = {arXiv},\n  year = {2024}\n}\n",
        encoding="utf-8",
    )
    assert import_listing(library, bib).merged == 1
    authors, names = stored_names(library, "2401.01234")
    assert authors == AUTHORS  # the display names stay as the paper had them
    assert names[0] == {"family": "Van Noorden", "given": "Richard"}
    assert names[3] == {"family": "García Núñez", "given": "C."}
    assert bibtex_people(library, "2401.01234")[3] == ("García Núñez", "C.", "")
    again = import_listing(library, write_atom(tmp_path, AUTHORS))
    assert (again.merged, again.unchanged) == (0, 1)  # the guess does not come back
    assert import_listing(library, bib).unchanged == 1


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def test_crossref_names_keep_the_parts_crossref_gives():
    record = parse_work(recorded("crossref-10.1145_3580305.3599256.json"))
    assert record.authors == ["Wen Liu", "Marta García", "The FraudGraph Consortium"]
    assert record.author_names == [
        {"family": "Liu", "given": "Wen"},
        {"family": "García", "given": "Marta"},
        {"literal": "The FraudGraph Consortium"},
    ]
