"""BibTeX export: what bibtexparser and pybtex read back, keys, and our own import of it."""

from __future__ import annotations

from datetime import date

import bibtexparser
import pybtex.database
import pybtex.errors
import pytest
from bibtexparser.middlewares import MonthLongStringMiddleware
from sqlmodel import select

from models.core.citekey import base_key
from models.core.latex import latex_to_text
from models.core.names import split_author_field, structured_names
from models.core.values import DatePrecision
from models.ingest.importer import import_listing
from models.interchange.citekeys import citation_keys
from models.interchange.references import render_references, write_references
from models.shelf.reading import add_tag
from models.store.database import open_library
from models.store.tables import Paper

HOSTILE = {
    "title": "50% of {Braces} & $O(n^{2})$ cost: a_b #1 ~ ^ \\ <T> | Schéma 🎉",
    "authors": ["Jörg Müller", "King, Jr, Martin", "Texas A and M", "{Brace} Person"],
    "abstract": "We beat 100% of $\\alpha$-nets & {friends} at \\LaTeX; costs ~$5 or $10.",
    "arxiv_id": "2401.00001",
    "categories": ["cs.LG", "stat.ML"],
    "doi": "10.5555/odd_doi(2024)",
    "published": date(2024, 2, 29),
    "published_precision": DatePrecision.DAY,
}


@pytest.fixture
def shelf(library, add_paper) -> dict[str, int]:
    ids = {
        "hostile": add_paper(**HOSTILE),
        "old": add_paper(
            title="The Large N Limit",
            authors=["Juan M. Maldacena"],
            arxiv_id="hep-th/9711200",
            doi="10.1023/A:1026654312961",
            venue="Adv.Theor.Math.Phys.2:231-252,1998",
            published=date(1997, 11, 27),
            published_precision=DatePrecision.DAY,
        ),
        "bare": add_paper(abstract="Only an abstract, nothing else known."),
    }
    with library.write() as session:
        for tag in ("deep learning", "to_cite & 100%"):
            add_tag(session, reader_id=library.reader_id, paper_id=ids["hostile"], name=tag)
    return ids


def export_text(library, ids) -> str:
    with library.read() as session:
        text, count = render_references(
            session, format_name="bibtex", reader_id=library.reader_id, ids=list(ids)
        )
    assert count == len(ids)
    return text


def read_with_both(text: str) -> tuple[dict, dict]:
    parsed = bibtexparser.parse_string(text, append_middleware=[MonthLongStringMiddleware()])
    assert not parsed.failed_blocks
    by_bibtexparser = {
        entry.key: {"ID": entry.key, "ENTRYTYPE": entry.entry_type}
        | {field.key.lower(): str(field.value) for field in entry.fields}
        for entry in parsed.entries
    }
    pybtex.errors.set_strict_mode(True)
    by_pybtex = pybtex.database.parse_string(text, "bibtex").entries
    return by_bibtexparser, by_pybtex


def test_bibtexparser_and_pybtex_read_the_same_fields(library, shelf):
    text = export_text(library, shelf.values())
    ours, theirs = read_with_both(text)
    assert sorted(ours) == sorted(theirs) and len(ours) == 3
    for key, entry in ours.items():
        other = theirs[key]
        assert entry["ENTRYTYPE"] == other.type
        fields = {name.lower(): value for name, value in other.fields.items()}
        authors = other.persons.get("author", [])
        assert {n for n in entry if n not in ("ID", "ENTRYTYPE", "author")} == set(fields)
        for name, value in fields.items():
            assert entry[name] == value, name
        if "author" in entry:
            assert len(authors) == len(split_author_field(entry["author"]))


def test_fields_decode_back_to_the_library_values(library, shelf):
    ours, theirs = read_with_both(export_text(library, [shelf["hostile"]]))
    [(key, entry)] = ours.items()
    assert entry["ENTRYTYPE"] == "misc"
    assert latex_to_text(entry["title"]) == HOSTILE["title"]
    assert latex_to_text(entry["abstract"]) == HOSTILE["abstract"]
    assert entry["eprint"] == "2401.00001" and entry["archiveprefix"] == "arXiv"
    assert entry["primaryclass"] == "cs.LG" and entry["doi"] == HOSTILE["doi"]
    assert entry["url"] == "https://arxiv.org/abs/2401.00001"
    assert entry["year"] == "2024" and entry["date"] == "2024-02-29"
    assert latex_to_text(entry["keywords"]) == "deep learning, to_cite & 100%"
    persons = theirs[key].persons["author"]
    assert [latex_to_text(str(person)) for person in persons] == [
        "Müller, Jörg",
        "King, Jr, Martin",
        "Texas A and M",
        "{Brace} Person",
    ]


def test_old_style_ids_and_journal_papers(library, shelf):
    ours, _ = read_with_both(export_text(library, [shelf["old"], shelf["bare"]]))
    old, bare = ours["maldacena1997large"], ours["anon"]
    assert old["ENTRYTYPE"] == "article"
    assert old["journal"] == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert (old["eprint"], old["primaryclass"]) == ("hep-th/9711200", "hep-th")
    assert bare["ENTRYTYPE"] == "misc" and "eprint" not in bare


def test_our_bib_imports_back_into_an_empty_library(library, shelf, tmp_path):
    path = tmp_path / "refs.bib"
    with library.read() as session:
        write_references(
            session,
            format_name="bibtex",
            reader_id=library.reader_id,
            ids=list(shelf.values()),
            path=path,
        )
    other = open_library(str(tmp_path / "other.sqlite"))
    summary = import_listing(other, path)
    assert (summary.format, summary.new, summary.rejected) == ("bibtex", 3, 0)
    fields = ("title", "authors", "abstract", "arxiv_id", "doi", "published", "venue")
    with library.read() as a, other.read() as b:
        before = {p.abstract or p.title: p for p in a.exec(select(Paper))}
        after = {p.abstract or p.title: p for p in b.exec(select(Paper))}
    other.close()
    assert before.keys() == after.keys()
    for name, paper in before.items():
        for field in fields:
            if field == "authors":  # display names come back in one spelling, same structure
                assert structured_names(after[name].authors, after[name].author_names) == (
                    structured_names(paper.authors, paper.author_names)
                )
                continue
            assert getattr(after[name], field) == getattr(paper, field), field
        if paper.categories:  # an old-style id gives its archive as the class
            assert after[name].categories == paper.categories[:1]


def test_keys_are_unique_and_do_not_depend_on_the_selection(library, add_paper):
    same = {"authors": ["Ann Smith"], "published": date(2020, 5, 1)}
    first = add_paper(title="Deep nets", **same)
    second = add_paper(title="Deep nets, again", **same)
    alone = export_text(library, [second])
    assert alone.startswith("@misc{smith2020deepb,")
    third = add_paper(title="Deep nets for good", **same)
    with library.read() as session:
        keys = citation_keys(session)
    assert [keys[first], keys[second], keys[third]] == [
        "smith2020deep",
        "smith2020deepb",
        "smith2020deepc",
    ]


def test_base_key_shapes():
    assert base_key(["Ashish Vaswani"], "Attention Is All You Need", date(2017, 6, 12)) == (
        "vaswani2017attention"
    )
    assert base_key(["Martin Luther King, Jr"], "On the Road", None) == "kingroad"
    assert base_key(["Jörg Müller"], "The a of", date(2020, 1, 1)) == "muller2020the"
    assert base_key(None, None, None) == "anon"


def test_an_unchanged_bib_file_is_not_rewritten(library, shelf, tmp_path):
    path = tmp_path / "refs.bib"
    with library.read() as session:
        first = write_references(
            session, format_name="bibtex", reader_id=library.reader_id, ids=[1, 2], path=path
        )
        stamp = path.stat().st_mtime_ns
        again = write_references(
            session, format_name="bibtex", reader_id=library.reader_id, ids=[1, 2], path=path
        )
    assert first.written == [path] and again.unchanged == [path]
    assert path.stat().st_mtime_ns == stamp
