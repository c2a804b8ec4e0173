"""Importing listings: every format, merges, re-import, yearless dates, errors, atomicity."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from models.ingest.importer import import_listing
from models.ingest.record import ListingError
from models.shelf.papers import find_paper, list_papers
from models.shelf.reading import add_note, add_tag, set_rating, set_status
from models.store.tables import Paper, PaperSource

TODAY = date(2026, 11, 23)

# Counted by hand from seeds/: 10 arXiv records (000), 71 Hugging Face papers (001),
# 10 Abstract: lines (002), 87 Hugging Face papers (003) of which 2 also appear in 001,
# 10 squashed arXiv records (004).
SEED_PAPERS = 186


def paper_count(library) -> int:
    with library.read() as session:
        return session.execute(select(func.count(Paper.id))).scalar_one()


def get(library, **where) -> Paper:
    with library.read() as session:
        statement = select(Paper).filter_by(**where)
        return session.execute(statement).scalars().one()


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_seeds_import_every_paper_once(library, seeds):
    summaries = [import_listing(library, path, today=TODAY) for path in seeds]
    assert [s.format for s in summaries] == ["arxiv", "hf-daily", "abstracts", "hf-daily", "arxiv"]
    assert [s.new for s in summaries] == [10, 71, 10, 85, 10]
    assert summaries[3].merged + summaries[3].unchanged == 2  # the two papers 001 also lists
    assert paper_count(library) == SEED_PAPERS


def test_reimporting_changes_nothing(library, seeds):
    for path in seeds:
        import_listing(library, path, today=TODAY)
    with library.read() as session:
        before = [p.model_dump() for p in session.execute(select(Paper)).scalars()]
    again = [import_listing(library, path, today=TODAY) for path in seeds]
    assert all(s.new == 0 and s.merged == 0 for s in again)
    assert sum(s.unchanged for s in again) == 188
    with library.read() as session:
        after = [p.model_dump() for p in session.execute(select(Paper)).scalars()]
    assert before == after


def test_arxiv_listing_fields(library, seeds):
    import_listing(library, seeds[0], today=TODAY)
    paper = get(library, arxiv_id="2502.19178")
    assert paper.title is None
    assert paper.abstract.startswith("Large language models (LLMs) achieve remarkable success")
    assert paper.abstract.endswith("The benchmark is available online.")
    assert paper.comment == "10 pages, 3 figures, 7 tables" and paper.venue is None
    assert paper.published == date(2025, 2, 26)
    assert paper.published_precision == "day"
    assert get(library, arxiv_id="2410.03440").comment == "ICML 2024"
    assert get(library, arxiv_id="2502.12215").comment is None


def test_squashed_arxiv_listing_splits_ids_dois_and_abstracts(library, seeds):
    import_listing(library, seeds[4], today=TODAY)
    first = get(library, arxiv_id="2407.18743")
    assert first.abstract.startswith("Continual pre-training (CPT)")
    assert first.abstract.endswith("https://github.com/RUC-GSAI/Llama-3-SynE.")
    assert first.comment == "16 pages, 10 figures, 16 tables"
    with_doi = get(library, arxiv_id="2407.10184")
    assert with_doi.doi == "10.1145/3637528.3671661"
    assert with_doi.abstract.startswith("In recent years, graph contrastive learning")
    assert with_doi.comment == "KDD 2024"
    after_doi = get(library, arxiv_id="2407.06083")
    assert after_doi.abstract.startswith("Controllable learning (CL) emerges")
    assert get(library, arxiv_id="2405.18318").comment == "5 figures, 6 pages"


def test_abstract_lines(library, seeds):
    summary = import_listing(library, seeds[2], today=TODAY)
    assert summary.new == 10
    with library.read() as session:
        papers = session.execute(select(Paper).order_by(Paper.id)).scalars().all()
    paper = papers[0]
    assert paper.title is None and paper.arxiv_id is None
    assert paper.abstract.startswith("We present Pangu Ultra, a Large Language Model")
    assert not paper.abstract.startswith("Abstract:")


def test_hugging_face_page_fields_and_yearless_dates(library, seeds):
    import_listing(library, seeds[3], today=TODAY)
    scale = get(library, title="ScaleBiO: Scalable Bilevel Optimization for LLM Data Reweighting")
    assert scale.n_authors == 9
    assert scale.published == date(2024, 6, 28)
    assert scale.published_precision == "day"
    assert scale.abstract.startswith("Bilevel optimization has shown its utility")
    # "Feb 10" has no year; the latest year on the page is 2024, so it is 2025.
    dynamic = get(
        library,
        title="Dynamic Loss-Based Sample Reweighting for Improved Large Language Model Pretraining",
    )
    assert dynamic.published == date(2025, 2, 10)
    assert dynamic.published_precision == "year-inferred"
    assert dynamic.n_authors == 6
    # "Mar 22, 2024 2": two upvotes.
    llm2llm = get(library, title="LLM2LLM: Boosting LLMs with Novel Iterative Data Enhancement")
    assert llm2llm.upvotes == 2
    assert llm2llm.published == date(2024, 3, 22)


def test_year_option_overrides_inferred_year(library, seeds):
    import_listing(library, seeds[3], today=TODAY, year=2031)
    dynamic = get(
        library,
        title="Dynamic Loss-Based Sample Reweighting for Improved Large Language Model Pretraining",
    )
    assert dynamic.published == date(2031, 2, 10)


def test_page_without_years_uses_current_year(library, tmp_path):
    page = write(
        tmp_path,
        "page.txt",
        "Daily Papers\n\nbyAK and the research community\n\nMar 11\n\n"
        "A Title Here\n\nAn abstract that is long enough to be one.\n\n  • 3 authors\n·\nMar 7 5\n",
    )
    import_listing(library, page, today=TODAY)
    paper = get(library, title="A Title Here")
    assert (paper.published, paper.n_authors, paper.upvotes) == (date(2026, 3, 7), 3, 5)


def test_same_title_merges_and_fills_missing_fields(library, tmp_path):
    bare = write(tmp_path, "a.txt", "Daily Papers\n\nMixture of Things\n\nFirst abstract.\n")
    rich = write(
        tmp_path,
        "b.txt",
        "Daily Papers\n\nMIXTURE of things!\n\nFirst abstract.\n\n  • 4 authors\n·\nJan 2, 2024\n",
    )
    import_listing(library, bare, today=TODAY)
    summary = import_listing(library, rich, today=TODAY)
    assert (summary.new, summary.merged) == (0, 1)
    paper = get(library, title="Mixture of Things")  # the first title is kept
    assert paper.n_authors == 4 and paper.published == date(2024, 1, 2)
    with library.read() as session:
        sources = session.execute(select(PaperSource.source_id)).scalars().all()
    assert len(sources) == 2


def test_abstract_only_record_merges_with_titled_paper(library, tmp_path):
    abstract = "We study a thing carefully and find that it works well in practice."
    write(tmp_path, "page.txt", f"Daily Papers\n\nThe Thing Paper\n\n{abstract}\n")
    write(tmp_path, "abs.txt", f"Abstract: {abstract}\n")
    import_listing(library, tmp_path / "page.txt", today=TODAY)
    summary = import_listing(library, tmp_path / "abs.txt", today=TODAY)
    assert summary.new == 0
    assert paper_count(library) == 1


def test_different_arxiv_ids_never_merge(library, tmp_path):
    abstract = "An abstract shared word for word by two different submissions, it happens."
    text = f"{abstract}\n\narXiv:2401.00001\n\n{abstract}\n\narXiv:2401.00002\n"
    summary = import_listing(library, write(tmp_path, "l.txt", text), today=TODAY)
    assert summary.new == 2


def test_merge_keeps_reader_state(library, tmp_path):
    first = write(tmp_path, "one.txt", "An abstract about merging.\n\narXiv:2401.12345\n")
    import_listing(library, first, today=TODAY)
    with library.write() as session:
        paper = find_paper(session, "2401.12345")
        state = {"reader_id": library.reader_id, "paper_id": paper.id}
        set_status(session, **state, status="reading")
        set_rating(session, **state, rating=5)
        add_tag(session, **state, name="keep")
        add_note(session, **state, body="my note")
    second = write(
        tmp_path,
        "two.txt",
        "An abstract about merging.\n\nICML 2024\n\narXiv:2401.12345v3 - doi: 10.1145/3637528.36\n"
        "Created: 2024-01-20\n",
    )
    summary = import_listing(library, second, today=TODAY)
    assert summary.merged == 1
    with library.read() as session:
        [view] = list_papers(session, reader_id=library.reader_id)
    assert (view.status, view.rating, view.tags) == ("reading", 5, ["keep"])
    assert [n.body for n in view.notes] == ["my note"]
    assert view.paper.comment == "ICML 2024"
    assert view.paper.doi == "10.1145/3637528.36"
    assert view.paper.arxiv_version == 3
    assert view.paper.published == date(2024, 1, 20)


def test_duplicates_within_one_file_merge(library, tmp_path):
    text = "Same abstract.\n\narXiv:2401.00003\n\nSame abstract.\n\nKDD\n\narXiv:2401.00003v2\n"
    summary = import_listing(library, write(tmp_path, "d.txt", text), today=TODAY)
    assert (summary.new, summary.merged) == (1, 1)
    assert get(library, arxiv_id="2401.00003").comment == "KDD"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("", 1, "empty file"),
        (b"\x00\x01binary\x00", 1, "binary file"),
        ("just some words\nwith no papers\n", 1, "unknown listing format"),
    ],
)
def test_unreadable_files_fail_with_file_and_line(library, tmp_path, content, line, reason):
    path = write(tmp_path, "bad.txt", content)
    with pytest.raises(ListingError) as raised:
        import_listing(library, path, today=TODAY)
    assert str(raised.value).startswith(f"{path}:{line}: ")
    assert reason in str(raised.value)
    assert paper_count(library) == 0


def test_missing_file_and_directory(library, tmp_path):
    with pytest.raises(ListingError, match=r":1: no such file"):
        import_listing(library, tmp_path / "nope.txt", today=TODAY)
    with pytest.raises(ListingError, match=r":1: is a directory"):
        import_listing(library, tmp_path, today=TODAY)


def test_cut_off_record_is_rejected_and_named(library, tmp_path):
    text = "A whole record.\n\narXiv:2401.00004\n\nA record cut off in the mid"
    summary = import_listing(library, write(tmp_path, "cut.txt", text), today=TODAY)
    assert (summary.new, summary.rejected) == (1, 1)
    assert summary.warnings == [
        f"{tmp_path / 'cut.txt'}:5: skipped: "
        "text after the last arXiv id has no id of its own (listing "
        "cut off?)"
    ]


def test_failed_file_leaves_library_unchanged(library, tmp_path, seeds, monkeypatch):
    import_listing(library, seeds[0], today=TODAY)
    before = paper_count(library)
    path = write(tmp_path, "l.txt", "New abstract.\n\narXiv:2401.00005\n")

    from models.ingest import importer

    def broken_write(self, **kwargs):
        self.connection.execute(insert(importer.PAPER), [{"added_at": None}])

    monkeypatch.setattr(importer.Merge, "write", broken_write)
    with pytest.raises(ListingError, match=r"l.txt:1: not imported, library unchanged"):
        import_listing(library, path, today=TODAY)
    assert paper_count(library) == before


def test_control_characters_and_markup_are_kept_out(library, tmp_path):
    text = (
        "An \x1b[31mred\x1b[0m abstract with [bold]markup[/] and a\x07 bell.\n\narXiv:2401.00006\n"
    )
    import_listing(library, write(tmp_path, "c.txt", text), today=TODAY)
    paper = get(library, arxiv_id="2401.00006")
    assert paper.abstract == "An red abstract with [bold]markup[/] and a bell."


def test_bom_and_crlf_import_normally(library, tmp_path):
    text = "\ufeffAbstract:One paper.\r\nAbstract:Another paper.\r\n"
    summary = import_listing(library, write(tmp_path, "bom.txt", text.encode("utf-8")), today=TODAY)
    assert summary.new == 2
    with library.read() as session:
        abstracts = session.execute(select(Paper.abstract).order_by(Paper.id)).scalars().all()
    assert abstracts == ["One paper.", "Another paper."]


def test_latin1_file_imports_with_a_warning(library, tmp_path):
    path = write(
        tmp_path, "latin.txt", "Abstract:Caf\xe9 r\xe9sum\xe9 of a paper.\n".encode("latin-1")
    )
    summary = import_listing(library, path, today=TODAY)
    assert summary.new == 1
    assert "not UTF-8" in summary.warnings[0]
    with library.read() as session:
        [paper] = session.execute(select(Paper)).scalars().all()
    assert paper.abstract == "Café résumé of a paper."


def test_arxiv_id_inside_a_comment_is_text(library, tmp_path):
    text = (
        "An abstract that cites arXiv:2301.01234 inline.\n\n"
        "Journal version of arXiv:2201.00001\n\narXiv:2401.00009\nCreated: 2024-01-02\n\n"
        "Second abstract.\n\narXiv:2401.00010\n"
    )
    summary = import_listing(library, write(tmp_path, "cites.txt", text), today=TODAY)
    assert summary.new == 2
    paper = get(library, arxiv_id="2401.00009")
    assert paper.comment == "Journal version of arXiv:2201.00001"
    assert paper.abstract == "An abstract that cites arXiv:2301.01234 inline."
