"""Search over the bundled seeds: what comes first, filters, negation, errors, the CLI."""

from __future__ import annotations

import json

import pytest
from search_helpers import STATE, Shelf

from models.core.values import Status
from models.search import count_matches, parse_query, search_ids, search_papers, typo_readings
from models.search.query import QueryError, filter_query, index_tokens
from models.shelf.papers import list_ids, paper_views
from tui.cli import main

# --- what each query must bring first ------------------------------------------

FIRST = [
    # a typo of a word in one title brings that paper first
    ("bilevle optimization", "ScaleBiO: Scalable Bilevel Optimization for LLM Data Reweighting"),
    (
        "transfomer",
        "M2TRec: Metadata-aware Multi-task Transformer for Large-scale and Cold-start free "
        "Session-based Recommendations",
    ),
    ("unlerning", "DP2Unlearning: An Efficient and Guaranteed Unlearning Framework for LLMs"),
    (
        "quantisation",
        "VPTQ: Extreme Low-bit Vector Post-Training Quantization for Large Language Models",
    ),
    ("geospatail", "GeoLLM: Extracting Geospatial Knowledge from Large Language Models"),
    # two typos in one word of nine letters or more
    (
        "reinforcmnet",
        "ProRank: Prompt Warmup via Reinforcement Learning for Small Language Models Reranking",
    ),
    # both words in two titles: the newer of the two first
    (
        "reinforcment learning",
        "ProRank: Prompt Warmup via Reinforcement Learning for Small Language Models Reranking",
    ),
    (
        "listwise reranking",
        "InsertRank: LLMs can reason over BM25 scores to Improve Listwise Reranking",
    ),
    ("rl", "LIMR: Less is More for RL Scaling"),
    (
        "notebooklm lung cancer",
        "Application of NotebookLM, a Large Language Model with "
        "Retrieval-Augmented Generation, for Lung Cancer Staging",
    ),
    # a hyphenated word is a phrase: in five titles, all undated, so the first imported
    ("weak-to-strong", "Debate Helps Weak-to-Strong Generalization"),
    (
        '"data contamination" modern',
        "Investigating Data Contamination in Modern Benchmarks for Large Language Models",
    ),
    ("author:zhang bilevel", "ScaleBiO: Scalable Bilevel Optimization for LLM Data Reweighting"),
]


@pytest.mark.parametrize(("query", "title"), FIRST)
def test_query_brings_its_paper_first(shelf: Shelf, query: str, title: str) -> None:
    assert shelf.titles(query)[0] == title


def test_typos_in_a_phrase_of_words_find_what_they_mean(shelf: Shelf) -> None:
    first_three = set(shelf.titles("mixtrue of experts")[:3])
    assert first_three == {
        "Mixture of Weak & Strong Experts on Graphs",
        "COMET: Learning Cardinality Constrained Mixture of Experts with Trees and Local Search",
        "A Survey on Mixture of Experts",
    }


def test_search_says_how_it_read_each_mistyped_word(shelf: Shelf) -> None:
    with shelf.library.read() as session:
        readings = typo_readings(session, parse_query('mixtrue of experts "transfomer" sparse'))
    assert readings == [("mixtrue", ["mixture"])]  # phrases and known words as typed


def test_a_quoted_phrase_matches_the_words_in_order(shelf: Shelf) -> None:
    titles = shelf.titles('"mixture of experts"')
    assert set(titles[:2]) == {
        "COMET: Learning Cardinality Constrained Mixture of Experts with Trees and Local Search",
        "A Survey on Mixture of Experts",
    }
    assert "Mixture of Weak & Strong Experts on Graphs" not in titles


def test_title_matches_rank_above_others_and_ties_go_newest_first(shelf: Shelf) -> None:
    papers = {paper.id: paper for paper in shelf.papers()}
    found = [papers[paper_id] for paper_id in shelf.ids_for("reranking")]
    in_title = [any(t.startswith("reranking") for t in index_tokens(p.title or "")) for p in found]
    assert in_title == sorted(in_title, reverse=True)  # every title match before the rest
    assert in_title.count(True) >= 2 and in_title.count(False) >= 2
    for tier in (True, False):
        dates = [p.published for p, title in zip(found, in_title, strict=True) if title == tier]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=True)
        assert dates == dated + [None] * (len(dates) - len(dated))  # undated last


def test_exact_matches_rank_above_typo_corrections(shelf: Shelf) -> None:
    from sqlalchemy import update

    from models.store.tables import Paper

    typo = shelf.id_of("Small but Mighty: Enhancing Time Series Forecasting with Lightweight LLMs")
    with shelf.library.write() as session:
        session.execute(
            update(Paper).where(Paper.id == typo).values(abstract="A recomendation, misspelt.")
        )
    papers = {paper.id: paper for paper in shelf.papers()}
    found = shelf.ids_for("recomendation")
    in_title = [
        any(t.startswith("recommendation") for t in index_tokens(papers[i].title or ""))
        for i in found
    ]
    # corrected in a title, then the exact (mis)spelling in an abstract, then corrected elsewhere
    titled = in_title.count(True)
    assert in_title[:titled] == [True] * titled and titled > 5
    assert found[titled] == typo
    assert len(found) > titled + 5


def test_two_letter_words_match_only_themselves(shelf: Shelf) -> None:
    total = len(shelf.papers())
    with shelf.library.read() as session:
        for word in ("rl", "ml", "mo", "x"):
            assert count_matches(session, reader_id=shelf.reader_id, query=word) < total
    assert len(shelf.ids_for("rl")) < 20


def test_every_word_must_match(shelf: Shelf) -> None:
    assert shelf.ids_for("bilevel zanzibar") == []
    assert shelf.ids_for("bilevel xqzvw") == []


# --- notes and tags match free words, only the reader's own ----------------------


def test_words_match_the_readers_notes_and_tags(shelf: Shelf) -> None:
    wagle = "WAGLE: Strategic Weight Attribution for Effective and Modular Unlearning in Large "
    wagle += "Language Models"
    assert shelf.titles("zanzibar") == [wagle]
    assert shelf.titles("zanzibar baselin") == [wagle]
    # one word in the text, one in the note: found, after papers matching in their text
    assert shelf.titles("unlearning zanzibar") == [wagle]
    assert shelf.titles("moe survey")[0] == "A Survey on Mixture of Experts"
    assert shelf.ids_for("quokka") == [] and shelf.ids_for("wombat") == []


def test_several_words_each_in_notes_and_tags(shelf: Shelf) -> None:
    from models.shelf.reading import add_note

    limr = shelf.id_of("LIMR: Less is More for RL Scaling")
    with shelf.library.write() as session:
        add_note(session, reader_id=shelf.reader_id, paper_id=limr, body="unlearning? survey!")
    found = shelf.ids_for("unlearning survey")  # each word: a note and a tag match
    assert limr in found and len(found) == len(set(found))
    with shelf.library.read() as session:
        assert count_matches(session, reader_id=shelf.reader_id, query="unlearning survey") == len(
            found
        )


def test_papers_matching_only_by_tag_come_after_text_matches(shelf: Shelf) -> None:
    found = shelf.titles("rl", limit=None)
    # tagged rl, without "RL" in their text: last, the newer first
    assert [title.split(":")[0] for title in found[-2:]] == ["ProRank", "Rank-R1"]
    assert len(found) > 2
    assert shelf.titles("survey")[-1] == "LIMR: Less is More for RL Scaling"
    dp2 = "DP2Unlearning: An Efficient and Guaranteed Unlearning Framework for LLMs"
    assert shelf.titles("shortlisted") == shelf.titles("shortlsted") == [dp2]  # typo in a tag
    assert dp2 not in shelf.titles("-shortlisted", limit=None)
    assert dp2 in shelf.titles("-shortlsted", limit=None)  # a negated word is taken as typed


# --- filters -------------------------------------------------------------------


def _expect(shelf: Shelf, test) -> set[int]:
    return {paper.id for paper in shelf.papers() if test(paper)}


def _state_ids(shelf: Shelf, test) -> set[int]:
    return {shelf.id_of(title) for title, state in STATE.items() if test(*state)}


def test_each_state_filter_alone(shelf: Shelf) -> None:
    ids = shelf.ids_for
    assert set(ids("status:read")) == _state_ids(shelf, lambda s, r, t: s == "read")
    assert set(ids("status:to-read")) == _state_ids(shelf, lambda s, r, t: s == "to-read")
    assert set(ids("tag:rl")) == _state_ids(shelf, lambda s, r, t: "rl" in t)
    assert set(ids("tag:RL tag:survey")) == {shelf.id_of("LIMR: Less is More for RL Scaling")}
    assert set(ids("tag:moe")) == {shelf.id_of("A Survey on Mixture of Experts")}
    assert set(ids("tag:wombat")) == set()  # another reader's tag
    for query, test in [
        ("rating:4", lambda r: r == 4),
        ("rating:>=4", lambda r: r >= 4),
        ("rating:>4", lambda r: r > 4),
        ("rating:<3", lambda r: r < 3),
        ("rating:<=3", lambda r: r <= 3),
        ("rating:2..4", lambda r: 2 <= r <= 4),
        ("rating:=1", lambda r: r == 1),
    ]:
        assert set(ids(query)) == _state_ids(shelf, lambda s, r, t, f=test: r and f(r)), query
    assert set(ids("has:rating")) == _state_ids(shelf, lambda s, r, t: r is not None)
    assert set(ids("has:tags")) == _state_ids(shelf, lambda s, r, t: t)
    assert len(ids("has:notes")) == 2


def test_each_paper_filter_alone(shelf: Shelf) -> None:
    ids = shelf.ids_for
    year = lambda p, test: p.published is not None and test(p.published.year)  # noqa: E731
    assert set(ids("year:2024")) == _expect(shelf, lambda p: year(p, lambda y: y == 2024))
    assert set(ids("year:2023..2024")) == _expect(shelf, lambda p: year(p, lambda y: y < 2025))
    assert set(ids("year:2025..")) == _expect(shelf, lambda p: year(p, lambda y: y >= 2025))
    assert set(ids("year:<2024")) == _expect(shelf, lambda p: year(p, lambda y: y < 2024))
    assert set(ids("has:title")) == _expect(shelf, lambda p: bool(p.title))
    assert set(ids("-has:title")) == _expect(shelf, lambda p: not p.title)
    assert set(ids("has:abstract")) == _expect(shelf, lambda p: bool(p.abstract))
    assert set(ids("venue:KDD")) == _expect(
        shelf, lambda p: "KDD" in (p.venue or "") or "KDD" in (p.comment or "")
    )
    assert set(ids("has:venue")) == _expect(shelf, lambda p: bool(p.venue))
    assert set(ids("author:zhang")) == _expect(shelf, lambda p: "Zhang" in str(p.authors))
    assert set(ids('author:"Chris Re"')) == {  # accents folded
        shelf.id_of("LoLCATs: On Low-Rank Linearizing of Large Language Models")
    }
    arxiv = next(p for p in shelf.papers() if p.arxiv_id == "2502.19178")
    for query in ("id:2502.19178", "arXiv:2502.19178v2", "https://arxiv.org/abs/2502.19178"):
        assert ids(query) == [arxiv.id], query
    assert ids(f"id:{arxiv.id}") == [arxiv.id]
    assert ids("id:2101.00001") == []


def test_filters_combine_and_negate(shelf: Shelf) -> None:
    ids = shelf.ids_for
    assert set(ids("tag:rl rating:>=4")) == _state_ids(
        shelf, lambda s, r, t: "rl" in t and (r or 0) >= 4
    )
    assert set(ids("tag:rl -status:read")) == _state_ids(
        shelf, lambda s, r, t: "rl" in t and s != "read"
    )
    assert set(ids("tag:rl -tag:survey year:2025")) == {
        shelf.id_of(t) for t, (_, _, tags) in STATE.items() if "rl" in tags and "survey" not in tags
    }
    unrated = _expect(shelf, lambda p: True) - _state_ids(shelf, lambda s, r, t: (r or 0) >= 4)
    assert set(ids("-rating:>=4")) == unrated  # unrated papers are not rated 4 or more
    undated = _expect(shelf, lambda p: p.published is None or p.published.year != 2024)
    assert set(ids("-year:2024")) == undated
    reranking = set(ids("reranking"))
    assert set(ids("reranking status:read")) == reranking & set(ids("status:read"))
    assert set(ids("reranking -tag:rl")) == reranking - set(ids("tag:rl"))
    assert set(ids("unlearning has:notes")) == set(ids("unlearning")) & set(ids("has:notes"))


def test_negated_words_exclude_text_notes_and_tags(shelf: Shelf) -> None:
    everything = _expect(shelf, lambda p: True)
    survey = set(shelf.ids_for("survey"))
    assert set(shelf.ids_for("-survey")) == everything - survey
    unlearning = set(shelf.ids_for("unlearning"))
    assert set(shelf.ids_for("unlearning -survey")) == unlearning - survey
    assert set(shelf.ids_for("unlearning -zanzibar")) == unlearning - set(shelf.ids_for("zanzibar"))
    assert set(shelf.ids_for('-"large language models" year:2025')) == set(
        shelf.ids_for("year:2025")
    ) - set(shelf.ids_for('"large language models"'))
    assert set(shelf.ids_for("-author:zhang")) == everything - set(shelf.ids_for("author:zhang"))


def test_search_filters_agree_with_list(shelf: Shelf) -> None:
    """`list --status S --tag T` (a structured query) and the typed query find the same
    papers, in library order, as reading every paper's state would."""
    with shelf.library.read() as session:
        reader = shelf.reader_id
        everything = paper_views(session, reader_id=reader, ids=list_ids(session, reader_id=reader))
        for status in Status:
            listed = [view.id for view in everything if view.status == status.value]
            structured = filter_query(status=status.value)
            assert search_ids(session, reader_id=reader, query=structured, limit=None) == listed
            found = search_ids(session, reader_id=reader, query=f"status:{status}", limit=None)
            assert found == listed, status
        for tags in (("rl",), ("rl", "survey"), ("unlearning",), ("MoE",)):
            wanted = {tag.lower() for tag in tags}
            listed = [
                view.id
                for view in everything
                if view.status == "read" and wanted <= {tag.lower() for tag in view.tags}
            ]
            query = "status:read " + " ".join(f"tag:{tag}" for tag in tags)
            assert search_ids(session, reader_id=reader, query=query, limit=None) == listed
            structured = filter_query(status="read", tags=tags)
            assert search_ids(session, reader_id=reader, query=structured, limit=None) == listed


def test_pages_and_counts_agree(shelf: Shelf) -> None:
    with shelf.library.read() as session:
        reader = shelf.reader_id
        for query in ("language models", "rl", "transfomer", "zanzibar unlearning", "-llm"):
            everything = search_ids(session, reader_id=reader, query=query, limit=None)
            pages = [
                search_ids(session, reader_id=reader, query=query, limit=7, offset=offset)
                for offset in range(0, len(everything) + 7, 7)
            ]
            assert [i for page in pages for i in page] == everything, query
            assert count_matches(session, reader_id=reader, query=query) == len(everything)
            assert len(everything) == len(set(everything))


def test_an_empty_query_lists_the_library(shelf: Shelf) -> None:
    with shelf.library.read() as session:
        listed = list_ids(session, reader_id=shelf.reader_id, limit=50)
        for query in ("", "   "):
            assert search_ids(session, reader_id=shelf.reader_id, query=query) == listed
        assert count_matches(session, reader_id=shelf.reader_id, query="") == len(shelf.papers())
        views = search_papers(session, reader_id=shelf.reader_id, query="bilevel")
        assert views[0].paper.title.startswith("ScaleBiO")


# --- malformed queries -------------------------------------------------------------

MALFORMED = [
    ("rating:>=x", "rating: needs a whole number 1-5, not 'x'", ">=x"),
    ("rating:6", "rating:6 matches no rating (ratings are 1-5)", "6"),
    ("rating:", "rating: needs a value, as in rating:>=4", "rating:"),
    ('reward "model tuning', 'unclosed quote: add the closing "', '"model tuning'),
    ('author:"Wei', 'unclosed quote: add the closing "', '"Wei'),
    ('x"y', 'unclosed quote: add the closing "', '"y'),
    (
        "rl foo:bar",
        "unknown field 'foo' (fields: status, tag, rating, year, author, venue, has, id, lab)",
        "foo",
    ),
    ("-colour:red", "unknown field 'colour'", "colour"),
    (
        "status:reeding",
        "unknown status 'reeding' (one of: new, to-read, reading, read, skipped)",
        "reeding",
    ),
    ("year:24", "year: needs a four-digit year, not '24'", "24"),
    ("year:2025..2023", "the range 2025..2023 goes backwards; write 2023..2025", "2025..2023"),
    ("year:..", "'..' needs a number on at least one side of '..'", ".."),
    ("has:pdf", "has: takes one of notes, tags, rating, title, abstract, venue, not 'pdf'", "pdf"),
    ("id:xyz", "id: takes an arXiv id (2502.19178) or a paper number, not 'xyz'", "xyz"),
    ("tag:", "tag: needs a value, as in tag:rl", "tag:"),
    ('tag:"  "', "a tag needs a name", '"  "'),
    ("venue:--", "venue: needs a word, not only punctuation", "venue:--"),
]


@pytest.mark.parametrize(("query", "message", "bad_part"), MALFORMED)
def test_malformed_queries_say_what_and_where(
    shelf: Shelf, query: str, message: str, bad_part: str
) -> None:
    with shelf.library.read() as session, pytest.raises(QueryError) as caught:
        search_ids(session, reader_id=shelf.reader_id, query=query)
    assert caught.value.message.startswith(message)
    assert query[caught.value.start : caught.value.end] == bad_part
    with shelf.library.read() as session, pytest.raises(QueryError):
        count_matches(session, reader_id=shelf.reader_id, query=query)


@pytest.mark.parametrize(
    "query",
    [
        "NEAR(a b)",
        "a OR b",
        "title : x",
        "^foo",
        "foo*",
        "(",
        ")",
        "*",
        "-",
        '""',
        "AND",
        "'; DROP TABLE paper; --",
        "{title}",
        "Review: A Survey",
        "LLMs: what?",
    ],
)
def test_search_syntax_in_a_query_is_only_words(shelf: Shelf, query: str) -> None:
    with shelf.library.read() as session:
        search_ids(session, reader_id=shelf.reader_id, query=query)
        count_matches(session, reader_id=shelf.reader_id, query=query)
    assert len(shelf.papers()) == 186


# --- the command line ------------------------------------------------------------


def test_cli_search_prints_json_best_first(shelf: Shelf, capsys) -> None:
    status = main(
        ["search", "reinforcment learning tag:rl", "--json", "--db", shelf.library.location.url]
    )
    printed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [paper["title"] for paper in printed] == shelf.titles("reinforcment learning tag:rl")
    assert printed[0]["title"].startswith("ProRank")
    assert printed[0]["tags"] == ["reranking", "rl"] and printed[0]["rating"] == 5
    assert set(printed[0]) >= {"id", "arxiv_id", "status", "notes", "sources"}
    main(["search", "language", "--json", "--limit", "3", "--db", shelf.library.location.url])
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_cli_search_exits_2_pointing_at_the_bad_part(shelf: Shelf, capsys) -> None:
    status = main(["search", "rl rating:>=x", "--db", shelf.library.location.url])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.strip() == (
        "papershelf: search: rating: needs a whole number 1-5, not 'x' (at 11: >=x)"
    )


def test_cli_search_and_list_agree(shelf: Shelf, capsys) -> None:
    main(
        ["list", "--status", "to-read", "--tag", "rl", "--json", "--db", shelf.library.location.url]
    )
    listed = [paper["id"] for paper in json.loads(capsys.readouterr().out)]
    main(["search", "status:to-read tag:rl", "--json", "--db", shelf.library.location.url])
    assert [paper["id"] for paper in json.loads(capsys.readouterr().out)] == listed != []
