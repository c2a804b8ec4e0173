"""Fetching arXiv's announcement feed into a library: complete, once each, reader state kept."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.loopback import Answer, recorded

from models.core.values import DatePrecision
from models.fetch.categories import UnknownCategory
from models.fetch.fetch import fetch_arxiv
from models.fetch.http import FetchError
from models.search import search_ids
from models.shelf.papers import find_paper, paper_view
from models.shelf.reading import add_note, add_tag, set_rating, set_status

FEED = "/rss/cs.AI+cs.CL"  # categories in a canonical order
DAY_ONE = recorded("rss-cs.CL+cs.AI-2026-11-30.xml")
DAY_TWO = recorded("rss-cs.CL+cs.AI-2026-12-01.xml")


def paper(library, arxiv_id: str):
    with library.read() as session:
        found = find_paper(session, arxiv_id)
        return paper_view(session, reader_id=library.reader_id, paper_id=found.id)


def count_papers(library) -> int:
    with library.read() as session:
        return session.connection().exec_driver_sql("SELECT count(*) FROM paper").scalar_one()


def test_the_days_feed_comes_in_complete(library, loopback, fetch_client):
    loopback.route(FEED, Answer(body=DAY_ONE))
    summary = fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    assert (summary.new, summary.cross_lists, summary.updated, summary.skipped) == (3, 1, 0, 2)
    assert summary.announced == date(2026, 11, 30)
    assert summary.line() == (
        "arXiv cs.AI+cs.CL (2026-11-30): 3 new, 1 cross-list, 0 updated, 0 unchanged, "
        "2 replacements of papers not in the library skipped"
    )
    first = paper(library, "2611.00001")
    assert first.paper.title == "Tokens & Trees: Syntax-Aware Decoding for Low-Resource Translation"
    assert first.paper.authors == ["Amara Okafor", "Jonas Lindqvist", "Mei-Ling Zhou"]
    assert first.paper.abstract.startswith("We study syntax-aware decoding for translation")
    assert first.paper.abstract.endswith("a tree prior helps when x < y.")  # markup gone, math kept
    assert first.paper.arxiv_version == 1 and first.paper.categories == ["cs.CL", "cs.AI"]
    assert first.paper.published == date(2026, 11, 30)
    assert first.paper.published_precision == DatePrecision.DAY
    assert first.status == "new"  # in the Inbox
    assert paper(library, "2611.00004").paper.venue == "Findings of EMNLP 2026"
    assert count_papers(library) == 4
    [source] = first.sources
    assert source["path"] == f"{loopback.url}{FEED}#2026-11-30" and source["format"] == "arxiv-rss"


def test_a_replacement_updates_the_paper_and_leaves_the_reader_alone(
    library, loopback, fetch_client, add_paper
):
    loopback.route(FEED, Answer(body=DAY_ONE))
    old = "2610.09999"
    paper_id = add_paper(
        arxiv_id=old,
        arxiv_version=2,
        title="Retrieval Heads Explain Long-Context Factuality",
        authors=["Tomasz Nowak", "Hana Sato"],
        abstract="We find attention heads that retrieve facts from long contexts.",
    )
    with library.write() as session:
        state = {"reader_id": library.reader_id, "paper_id": paper_id}
        set_status(session, **state, status="read")
        set_rating(session, **state, rating=5)
        add_tag(session, **state, name="interpretability")
        add_note(session, **state, body="Check the ablation in section 4.")

    summary = fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)

    assert (summary.new, summary.cross_lists, summary.updated, summary.skipped) == (3, 1, 1, 1)
    updated = paper(library, old)
    assert updated.paper.arxiv_version == 3
    assert (
        updated.paper.title == "Retrieval Heads Explain Long-Context Factuality (Extended Version)"
    )
    assert updated.paper.authors == ["Tomasz Nowak", "Hana Sato", "Daniel Meyer"]
    assert updated.paper.n_authors == 3
    assert updated.paper.abstract.endswith("four more model families.")
    assert updated.paper.doi == "10.18653/v1/2026.acl-long.101"
    assert (updated.status, updated.rating, updated.tags) == ("read", 5, ["interpretability"])
    assert [note.body for note in updated.notes] == ["Check the ablation in section 4."]


def test_fetched_papers_are_searchable_at_once_cross_lists_too(library, loopback, fetch_client):
    only_cross = DAY_TWO.replace(b"Announce Type: new", b"Announce Type: cross").replace(
        b"<arxiv:announce_type>new<", b"<arxiv:announce_type>cross<"
    )
    loopback.route(FEED, Answer(body=only_cross))
    summary = fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    assert (summary.new, summary.cross_lists) == (0, 2)
    with library.read() as session:
        found = search_ids(session, reader_id=library.reader_id, query="calibrated temperature")
    assert found == [paper(library, "2612.00005").id]


def test_the_next_day_brings_only_what_is_new(library, loopback, fetch_client):
    loopback.route(FEED, Answer(body=DAY_ONE), Answer(body=DAY_TWO))
    fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    first = paper(library, "2611.00001")
    with library.write() as session:
        set_status(session, reader_id=library.reader_id, paper_id=first.id, status="to-read")

    summary = fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)

    # the new paper is new; v2 of yesterday's is an update; the cross-list again is nothing
    assert (summary.new, summary.cross_lists, summary.updated, summary.unchanged) == (1, 0, 1, 1)
    again = paper(library, "2611.00001")
    assert again.paper.arxiv_version == 2
    assert (
        again.paper.title == "Tokens and Trees: Syntax-Aware Decoding for Low-Resource Translation"
    )
    assert again.status == "to-read"  # not back in the Inbox
    assert again.paper.published == date(2026, 11, 30)  # the paper's date, not the new version's
    assert count_papers(library) == 5


def test_fetching_again_asks_if_the_feed_changed_and_changes_nothing(
    library, loopback, fetch_client, db_path, dump
):
    loopback.route(FEED, Answer(body=DAY_ONE, etag='"2026-11-30"'))
    fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    before = dump(db_path)
    summary = fetch_arxiv(library, ["cs.AI", "cs.CL"], client=fetch_client)
    assert summary.not_modified
    assert summary.line() == "arXiv cs.AI+cs.CL: nothing new (unchanged since the last fetch)"
    assert [r.path for r in loopback.requests] == [FEED, FEED]  # in any order, the same feed
    assert loopback.requests[-1].headers["if-none-match"] == '"2026-11-30"'
    assert dump(db_path) == before


def test_the_same_items_again_are_all_unchanged(library, loopback, fetch_client, db_path, dump):
    loopback.route(FEED, Answer(body=DAY_ONE))  # a feed without validators
    fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    before = dump(db_path)
    summary = fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    assert (summary.new, summary.cross_lists, summary.updated, summary.unchanged) == (0, 0, 0, 4)
    assert dump(db_path) == before


def test_replacements_of_unknown_papers_come_in_when_asked(library, loopback, fetch_client):
    loopback.route(FEED, Answer(body=DAY_ONE, etag='"v"'))
    summary = fetch_arxiv(library, ["cs.CL", "cs.AI"], replacements=True, client=fetch_client)
    assert (summary.new, summary.cross_lists, summary.skipped) == (5, 1, 0)
    survey = paper(library, "2609.08888")
    assert survey.paper.arxiv_version == 2 and survey.paper.published is None
    assert "if-none-match" not in loopback.requests[-1].headers  # read whole, never 304


def test_categories_are_checked_before_asking_arxiv(library, loopback, fetch_client):
    with pytest.raises(UnknownCategory, match=r"unknown arXiv category 'cs\.XY'"):
        fetch_arxiv(library, ["cs.CL", "cs.XY"], client=fetch_client)
    assert loopback.requests == []
    loopback.route("/rss/cs.CL", Answer(body=recorded("rss-weekend.xml")))
    fetch_arxiv(
        library, ["CS.cl"], client=fetch_client
    )  # spelled loosely, asked for as arXiv spells it
    assert [r.path for r in loopback.requests] == ["/rss/cs.CL"]


def test_a_weekend_feed_is_empty_not_an_error(library, loopback, fetch_client):
    loopback.route("/rss/cs.CL", Answer(body=recorded("rss-weekend.xml")))
    summary = fetch_arxiv(library, ["cs.CL"], client=fetch_client)
    assert (summary.new, summary.cross_lists, summary.updated) == (0, 0, 0)
    assert summary.announced == date(2026, 11, 28)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(body=recorded("error-page.html"), content_type="text/html"), "an HTML page"),
        (Answer(body=DAY_ONE, cut_at=2000), "cut off before its end"),
        (Answer(body=DAY_ONE[:2000]), "not well-formed"),
        (Answer(body=recorded("entity-bomb.xml")), "refused: the XML declares a DTD"),
        (Answer(body=recorded("arxivapi-id_1605.08386_s0_m100.xml")), "not an RSS feed"),
        (Answer(500, recorded("error-page.html"), "text/html"), "HTTP 500 Internal Server Error"),
        (Answer(404, b"", "text/plain"), "HTTP 404 Not Found"),
    ],
    ids=["html", "cut-off", "truncated-xml", "entities", "atom", "500", "404"],
)
def test_a_failed_fetch_names_the_url_and_leaves_the_library_as_it_was(
    library, loopback, fetch_client, db_path, dump, answer, reason
):
    loopback.route(FEED, Answer(body=DAY_ONE))
    fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    before = dump(db_path)
    loopback.route(FEED, answer)
    with pytest.raises(FetchError) as caught:
        fetch_arxiv(library, ["cs.CL", "cs.AI"], client=fetch_client)
    assert caught.value.url == f"{loopback.url}{FEED}"
    assert reason in caught.value.reason and "\n" not in str(caught.value)
    assert dump(db_path) == before


def test_progress_is_reported_for_each_step(library, loopback, fetch_client):
    loopback.route(FEED, Answer(body=DAY_ONE))
    steps: list[tuple[int, int, str]] = []
    summary = fetch_arxiv(
        library, ["cs.CL", "cs.AI"], client=fetch_client, progress=lambda *s: steps.append(s)
    )
    assert steps == [
        (0, 2, f"fetching {loopback.url}{FEED}"),
        (1, 2, "merging 6 announcements"),
        (2, 2, summary.line()),
    ]


def test_a_full_feed_is_read_again_in_halves(library, loopback, fetch_client, fake_time):
    items = "".join(
        f"<item><title>Paper {n}</title><description>arXiv:2611.{n:05d}v1 Announce Type: new "
        f"Abstract: Text {n}.</description><arxiv:announce_type>new</arxiv:announce_type>"
        f"<dc:creator>A. Author</dc:creator></item>"
        for n in range(1, 2001)
    )
    full = (
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/'
        f'1.1/" version="2.0"><channel><title>x</title>{items}</channel></rss>'
    ).encode()
    loopback.route("/rss/cs.CL+cs.LG", Answer(body=full))
    loopback.route("/rss/cs.CL", Answer(body=DAY_TWO))
    loopback.route("/rss/cs.LG", Answer(body=DAY_ONE))
    summary = fetch_arxiv(library, ["cs.CL", "cs.LG"], client=fetch_client)
    assert [r.path for r in loopback.requests] == ["/rss/cs.CL+cs.LG", "/rss/cs.CL", "/rss/cs.LG"]
    assert fake_time.sleeps == [3.0, 3.0]
    # 2611.00001 is in both halves (v1 and v2) and 2611.00003 too: one paper each
    assert summary.new + summary.cross_lists == count_papers(library) == 5
