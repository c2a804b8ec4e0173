"""The query parser: what a query means, term by term."""

from __future__ import annotations

import pytest

from models.search.query import Filter, QueryError, TextTerm, index_tokens, parse_query
from models.search.values import Bounds, PaperRef


def test_words_phrases_filters_and_negation() -> None:
    query = parse_query('reinforcment "Reward Model" tag:rl -status:read rating:>=4 -survey')
    assert query.terms == [
        TextTerm(("reinforcment",)),
        TextTerm(("reward", "model"), quoted=True),
        TextTerm(("survey",), negated=True),
    ]
    assert query.filters == [
        Filter("tag", "rl"),
        Filter("status", "read", negated=True),
        Filter("rating", Bounds(4, None)),
    ]
    assert [term.tokens for term in query.words] == [("reinforcment",), ("reward", "model")]


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("rating:4", Bounds(4, 4)),
        ("rating:=4", Bounds(4, 4)),
        ("rating:>3", Bounds(4, None)),
        ("rating:<=2", Bounds(None, 2)),
        ("rating:<2", Bounds(None, 1)),
        ("rating:2..4", Bounds(2, 4)),
        ("year:2024", Bounds(2024, 2024)),
        ("year:2023..2025", Bounds(2023, 2025)),
        ("year:..2020", Bounds(None, 2020)),
        ("year:>=2024", Bounds(2024, None)),
    ],
)
def test_number_filters(text: str, bounds: Bounds) -> None:
    assert parse_query(text).filters[0].value == bounds


def test_author_and_venue_are_text_in_one_column() -> None:
    query = parse_query('author:"Chris Ré" -venue:KDD')
    assert query.terms == [
        TextTerm(("chris", "re"), column="authors"),
        TextTerm(("kdd",), negated=True, column="venue"),
    ]
    assert query.words == []


def test_arxiv_ids_in_any_spelling_name_a_paper() -> None:
    for text in (
        "2502.19178",
        "arXiv:2502.19178v2",
        "https://arxiv.org/abs/2502.19178",
        "id:2502.19178",
        "arxiv:2502.19178",
    ):
        assert parse_query(text).filters == [Filter("id", PaperRef(arxiv_id="2502.19178"))]
    assert parse_query("id:42").filters == [Filter("id", PaperRef(paper_id=42))]


def test_pasted_titles_stay_words() -> None:
    query = parse_query("Rank-R1: Enhancing Reasoning - Review: A Survey")
    assert [term.tokens for term in query.terms] == [
        ("rank", "r1"),
        ("enhancing",),
        ("reasoning",),
        ("review",),
        ("a",),
        ("survey",),
    ]
    assert query.terms[0].is_phrase and not query.terms[1].is_phrase
    assert parse_query("  - ").is_empty and parse_query("").is_empty


def test_tokens_fold_case_and_accents_like_the_index() -> None:
    assert index_tokens("Müller's GPT-4V(ision) naïve_Bayes") == [
        "muller",
        "s",
        "gpt",
        "4v",
        "ision",
        "naive",
        "bayes",
    ]


def test_the_error_span_covers_the_bad_part() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("rl -colour:red")
    assert (caught.value.start, caught.value.end) == (4, 10)
    assert isinstance(caught.value, ValueError)


def test_every_field_is_documented() -> None:
    from pathlib import Path

    from models.search.query import FIELDS, QUERY_HELP

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    search_section = readme.split("## Search", 1)[1].split("\n## ", 1)[0]
    for field in FIELDS:
        assert f"{field}:" in QUERY_HELP, field
        assert f"`{field}:" in search_section, field
