"""Importing BibTeX files and saved arXiv API results through the listing merge rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from models.ingest.formats import arxiv_atom, arxiv_listing, bibtex_file
from models.ingest.importer import import_listing
from models.ingest.record import ListingError
from models.shelf.papers import find_paper, paper_view
from models.shelf.reading import add_note
from models.store.tables import Paper, PaperSource, SourceFile

DATA = Path(__file__).parent / "data"
ATOM = DATA / "arxiv_query.xml"
BIB = DATA / "sample.bib"


def papers(library) -> list[Paper]:
    with library.read() as session:
        return list(session.exec(select(Paper).order_by(Paper.id)))


def test_atom_sample_gives_every_field(library):
    summary = import_listing(library, ATOM)
    assert (summary.format, summary.new, summary.rejected) == ("arxiv-atom", 3, 0)
    attention, maldacena, made_up = papers(library)
    assert attention.arxiv_id == "1706.03762" and attention.arxiv_version == 7
    assert attention.title == "Attention Is All You Need"
    assert attention.authors[0] == "Ashish Vaswani" and attention.n_authors == 8
    assert attention.abstract.startswith("The dominant sequence transduction models")
    assert "\n" not in attention.abstract
    assert attention.categories == ["cs.CL", "cs.LG"]
    assert attention.published.isoformat() == "2017-06-12"
    assert maldacena.arxiv_id == "hep-th/9711200" and maldacena.arxiv_version == 3
    assert maldacena.doi == "10.1023/A:1026654312961"
    assert maldacena.venue == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert maldacena.categories == ["hep-th"]
    assert made_up.arxiv_version == 2 and made_up.doi == "10.5555/Demo.2025.042"
    assert made_up.title == "Schéma & <Tags>: Robust Parsing of 100% Messy Listings"
    assert made_up.authors == ["Jörg Müller", "Ana Lima"]


def test_atom_import_twice_changes_nothing(library):
    import_listing(library, ATOM)
    again = import_listing(library, ATOM)
    assert (again.new, again.merged, again.unchanged) == (0, 0, 3)


def test_atom_with_a_dtd_is_refused_and_nothing_is_imported(library, tmp_path):
    laughs = tmp_path / "laughs.xml"
    laughs.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol2;</title>'
        "<id>http://arxiv.org/abs/2401.00001v1</id></entry></feed>\n"
    )
    with pytest.raises(ListingError, match=r"laughs\.xml:2: .*refused: the XML declares a DTD"):
        import_listing(library, laughs)
    assert papers(library) == []


def test_atom_api_error_entry_is_rejected_with_its_message(library, tmp_path):
    error = tmp_path / "error.xml"
    error.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <entry>\n    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>\n"
        "    <title>Error</title>\n    <summary>incorrect id format for 1234</summary>\n"
        "  </entry>\n</feed>\n"
    )
    with pytest.raises(ListingError, match=r"error\.xml:3: .*incorrect id format for 1234"):
        import_listing(library, error)


def test_bib_sample_decodes_latex_and_rejects_empty_entries(library):
    summary = import_listing(library, BIB)
    assert (summary.format, summary.new, summary.rejected) == ("bibtex", 3, 1)
    assert any("sample.bib:38: skipped: nothing2020" in warning for warning in summary.warnings)
    attention, maldacena, escapes = papers(library)
    assert attention.arxiv_id == "1706.03762" and attention.categories == ["cs.CL"]
    assert attention.authors[6] == "Łukasz Kaiser"
    assert attention.venue == "Advances in Neural Information Processing Systems"
    assert maldacena.published.isoformat() == "1999-04-01"
    assert escapes.title == "Müller & Schéma: 100% of Naïve Baselines"
    assert escapes.authors == ["Jörg Müller", "The Papérs Consortium"]
    assert escapes.abstract == "We study 50% of cases where x_1 fails, at $O(n^2)$ cost."


def test_bib_entry_with_an_eprint_merges_with_the_arxiv_paper(library, tmp_path):
    listing = tmp_path / "today.txt"
    listing.write_text(
        "The dominant sequence transduction models are based on complex recurrent or "
        "convolutional neural networks.\narXiv:1706.03762\n"
    )
    import_listing(library, listing)
    with library.write() as session:
        paper = find_paper(session, "1706.03762")
        add_note(session, reader_id=library.reader_id, paper_id=paper.id, body="Read twice.")
    summary = import_listing(library, BIB)
    assert (summary.new, summary.merged) == (2, 1)
    with library.read() as session:
        paper = find_paper(session, "1706.03762")
        view = paper_view(session, reader_id=library.reader_id, paper_id=paper.id)
        sources = session.exec(
            select(SourceFile.format)
            .join(PaperSource, PaperSource.source_id == SourceFile.id)
            .where(PaperSource.paper_id == paper.id)
        )
        assert sorted(sources) == ["arxiv", "bibtex"]
    assert view.paper.title == "Attention is All you Need"  # filled in
    assert view.paper.abstract.startswith("The dominant sequence")  # kept
    assert [note.body for note in view.notes] == ["Read twice."]
    assert len(papers(library)) == 3


def test_bib_and_atom_meet_on_a_doi(library):
    import_listing(library, ATOM)
    summary = import_listing(library, BIB)
    assert summary.new == 1  # only the entry neither file shares
    with library.read() as session:
        maldacena = find_paper(session, "hep-th/9711200")
    assert maldacena.doi == "10.1023/A:1026654312961"


def test_sniffers_leave_each_other_alone():
    bib, atom = BIB.read_text(), ATOM.read_text()
    listing = "Some abstract.\narXiv:1706.03762\n"
    assert bibtex_file.sniff(bib) > 200 and arxiv_atom.sniff(atom) > 200
    assert bibtex_file.sniff(atom) == arxiv_atom.sniff(bib) == 0
    assert bibtex_file.sniff(listing) == arxiv_atom.sniff(listing) == 0
    assert arxiv_listing.sniff(bib) < bibtex_file.sniff(bib)
