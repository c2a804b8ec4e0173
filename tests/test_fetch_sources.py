"""Papers by id from the arXiv API, Hugging Face's daily papers, and `enrich` (API and Crossref)."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.loopback import Answer, recorded

from models.fetch.arxiv_api import NotAnArxivId
from models.fetch.fetch import enrich, fetch_arxiv_ids, fetch_hf
from models.fetch.http import FetchError
from models.ingest.formats import arxiv_atom
from models.ingest.importer import import_listing
from models.ingest.record import ParseOptions
from models.shelf.papers import find_paper, paper_view
from models.shelf.reading import set_rating, set_status

API = "/api/query"
HEAT_BATH = recorded("arxivapi-id_1605.08386_s0_m100.xml")
SCALEBIO = "ScaleBiO: Scalable Bilevel Optimization for LLM Data Reweighting"
SCALEBIO_PAGE = "003_2941fd94b31b7ed2.txt"  # a seed: a saved Hugging Face page


def view(library, reference: str | int):
    with library.read() as session:
        found = find_paper(session, reference)
        return paper_view(session, reader_id=library.reader_id, paper_id=found.id)


def titles(library) -> list[str | None]:
    with library.read() as session:
        rows = session.connection().exec_driver_sql("SELECT title FROM paper ORDER BY id")
        return [title for (title,) in rows]


# --- fetch arxiv --id ------------------------------------------------------------


def test_papers_by_id_however_they_are_written(library, loopback, fetch_client):
    loopback.route(API, Answer(body=HEAT_BATH), id_list="1605.08386v1")
    summary = fetch_arxiv_ids(library, ["https://arxiv.org/pdf/1605.08386v1"], client=fetch_client)
    assert (summary.new, summary.not_found) == (1, 0)
    paper = view(library, "1605.08386").paper
    assert paper.title == "Heat-bath random walks with Markov bases"
    assert paper.authors == ["Caprice Stanley", "Tobias Windisch"]
    assert paper.published == date(2016, 5, 26) and paper.categories == ["math.CO", "math.ST"]
    assert loopback.requests[0].params["max_results"] == "1"


def test_an_id_arxiv_does_not_have_is_counted_not_invented(library, loopback, fetch_client):
    loopback.route(API, Answer(body=recorded("arxivapi-id_0000.0000_s0_m100.xml")))
    summary = fetch_arxiv_ids(library, ["arXiv:2412.00001"], client=fetch_client)
    assert (summary.new, summary.not_found) == (0, 1)
    assert summary.line().endswith("1 not found")


def test_something_that_is_no_arxiv_id_is_refused_before_asking(library, loopback, fetch_client):
    with pytest.raises(NotAnArxivId, match="not an arXiv id: 'abc'"):
        fetch_arxiv_ids(library, ["1605.08386", "abc"], client=fetch_client)
    assert loopback.requests == []


def test_an_api_error_entry_is_a_failure_naming_the_url(
    library, loopback, fetch_client, db_path, dump
):
    before = dump(db_path)
    loopback.route(API, Answer(body=recorded("arxivapi-id_abc_s0_m100.xml")))
    with pytest.raises(FetchError, match="arXiv API error: incorrect id format for abc"):
        fetch_arxiv_ids(library, ["1605.08386"], client=fetch_client)
    assert dump(db_path) == before


# --- enrich ----------------------------------------------------------------------


def test_enrich_completes_papers_by_arxiv_id_in_batches_of_100(
    library, loopback, fetch_client, fake_time, add_paper
):
    answer = recorded("arxivapi-q_testing_s0_m100.xml")
    records = arxiv_atom.parse(answer.decode(), ParseOptions(date.today())).records
    ids = [record.arxiv_id for record in records]
    first = [add_paper(arxiv_id=identifier) for identifier in ids]  # ids alone, as seeds have
    add_paper(arxiv_id="1605.08386", abstract="Graphs on lattice points are studied.")
    add_paper(arxiv_id="2104.12255", title="0", authors=["Q. Nguyen"], published=date(2021, 4, 20))
    with library.write() as session:
        set_status(session, reader_id=library.reader_id, paper_id=first[0], status="reading")
        set_rating(session, reader_id=library.reader_id, paper_id=first[0], rating=4)
    loopback.route(API, Answer(body=answer), id_list=",".join(ids))
    loopback.route(API, Answer(body=HEAT_BATH), id_list="1605.08386")

    steps: list[tuple[int, int, str]] = []
    summary = enrich(library, client=fetch_client, progress=lambda *step: steps.append(step))

    assert [len(r.params["id_list"].split(",")) for r in loopback.requests] == [100, 1]
    assert [(done, total) for done, total, _ in steps] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert fake_time.sleeps == [3.0]
    assert (summary.new, summary.updated, summary.not_found) == (0, 101, 0)
    assert all(titles(library)[:101])  # the complete paper (2104.12255) was not asked for
    completed = view(library, ids[0])
    assert completed.paper.title == records[0].title and completed.paper.authors
    assert (completed.status, completed.rating) == ("reading", 4)
    heat = view(library, "1605.08386").paper
    assert heat.abstract.startswith("Graphs on lattice points are studied whose edges")


def test_enrich_takes_a_query(library, loopback, fetch_client, add_paper):
    add_paper(arxiv_id="1605.08386", abstract="Graphs on lattice points are studied.")
    add_paper(arxiv_id="2104.12255", abstract="What is the funniest number in cryptography?")
    loopback.route(API, Answer(body=HEAT_BATH), id_list="1605.08386")
    summary = enrich(library, "lattice", client=fetch_client)
    assert summary.updated == 1 and len(loopback.requests) == 1


def test_enrich_completes_papers_with_a_doi_from_crossref(
    library, loopback, fetch_client, add_paper
):
    paper_id = add_paper(doi="10.1145/3580305.3599256")
    add_paper(doi="10.9999/unknown.1")
    loopback.route(
        "/works/10.1145/3580305.3599256",
        Answer(
            body=recorded("crossref-10.1145_3580305.3599256.json"), content_type="application/json"
        ),
    )
    summary = enrich(library, client=fetch_client)
    assert (summary.updated, summary.not_found) == (1, 1)
    paper = view(library, paper_id).paper
    assert paper.title == "Graph Neural Networks for Fraud Detection at Scale"
    assert paper.authors == ["Wen Liu", "Marta García", "The FraudGraph Consortium"]
    assert paper.venue.startswith("Proceedings of the 29th ACM SIGKDD Conference")
    assert paper.published == date(2023, 8, 4)
    assert paper.abstract == (
        "We detect fraud in transaction graphs with billions of edges by sampling "
        "neighbourhoods on the fly."
    )


def test_enrich_with_nothing_to_do_asks_nobody(library, loopback, fetch_client, add_paper):
    add_paper(arxiv_id="2104.12255", title="0", authors=["Q. Nguyen"], published=date(2021, 4, 20))
    summary = enrich(library, client=fetch_client)
    assert (summary.updated, summary.unchanged) == (0, 0) and loopback.requests == []


# --- fetch hf --------------------------------------------------------------------


def test_hf_papers_come_in_with_ids_and_names(library, loopback, fetch_client, seeds):
    [page] = [path for path in seeds if path.name == SCALEBIO_PAGE]
    import_listing(library, page)
    before = len(titles(library))
    scalebio_id = _id_of(library, SCALEBIO)
    assert view(library, scalebio_id).paper.arxiv_id is None
    loopback.route(
        "/api/daily_papers",
        Answer(body=recorded("hf-daily_papers-2026-11-30.json"), content_type="application/json"),
        date="2026-11-30",
    )

    summary = fetch_hf(library, date(2026, 11, 30), client=fetch_client)

    assert (summary.new, summary.updated) == (2, 1)
    assert len(titles(library)) == before + 2  # the saved page's paper met its API record
    scalebio = view(library, "2406.19976").paper
    assert view(library, scalebio_id).paper == scalebio
    assert scalebio.title == SCALEBIO and scalebio.authors[:2] == ["Rui Pan", "Jipeng Zhang"]
    assert scalebio.upvotes == 14 and scalebio.n_authors == 6  # the page said "9 authors"
    video = view(library, "2611.00777").paper
    assert video.title == "Video Diffusion with Memory Tokens"
    assert video.published == date(2026, 11, 26) and video.upvotes == 57


def test_hf_answer_that_is_not_the_list_is_refused(library, loopback, fetch_client, db_path, dump):
    before = dump(db_path)
    loopback.route(
        "/api/daily_papers",
        Answer(body=b'{"error": "Invalid date"}', content_type="application/json"),
    )
    with pytest.raises(FetchError, match="not the daily-papers list: Invalid date"):
        fetch_hf(library, client=fetch_client)
    assert dump(db_path) == before


def _id_of(library, title: str) -> int:
    with library.read() as session:
        rows = session.connection().exec_driver_sql("SELECT id, title FROM paper")
        return next(paper_id for paper_id, found in rows if found == title)
