"""arXiv announcements as users keep them: list pages copied from a browser and e-mail
digests, each record with its own fields; and files of no format we read, refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers.corpus import OTHER, REAL, needs_corpus
from sqlalchemy import select

from models.ingest.formats import PARSERS, parse_listing
from models.ingest.importer import import_listing
from models.ingest.record import ParseOptions
from models.shelf.papers import paper_view
from models.shelf.reading import set_status
from models.store.tables import Paper
from tui.cli import main

TODAY = date(2026, 12, 1)
LISTINGS = Path(__file__).parent / "data" / "listings"


def parsed(path: Path) -> tuple[str, dict]:
    """The format found and the records by arXiv id."""
    name, listing = parse_listing(path, ParseOptions(TODAY))
    return name, {record.arxiv_id: record for record in listing.records}


def paper(library, arxiv_id: str) -> Paper:
    with library.read() as session:
        return session.execute(select(Paper).where(Paper.arxiv_id == arxiv_id)).scalar_one()


def test_new_page_copy_reads_every_entry_with_its_own_fields():
    name, records = parsed(LISTINGS / "arxiv-new-cs.CL.txt")
    assert name == "arxiv-page"
    assert [(r.arxiv_id, r.announcement, r.line) for r in records.values()] == [
        ("2612.00012", "new", 19),
        ("2612.00047", "new", 27),
        ("2612.00101", "new", 36),
        ("2612.00348", "cross-list", 45),
        ("2612.00402", "cross-list", 53),
        ("2611.18876", "cross-list", 60),
        ("2405.01234", "replacement", 69),
        ("cmp-lg/9408011", "replacement", 78),
    ]
    first = records["2612.00012"]
    assert first.title == "Sparse Retrieval Heads Explain Long-Context Failures in Language Models"
    assert first.authors == ["Mira Okafor", "Daniel Weiss", "Hao Lin"]
    assert (first.comment, first.venue) == ("10 pages, 3 figures", None)
    assert first.categories == ["cs.CL", "cs.AI"]
    assert first.abstract.startswith("We study why language models")
    assert first.abstract.endswith("recovers most of the lost accuracy.")
    assert first.published == date(2026, 12, 1)
    corpus = records["2612.00047"]
    assert corpus.authors == ["Ana Lucía Ferreira", "Tomás Ruiz", "Priya Raman, Jr."]
    assert corpus.comment == "Accepted at LREC 2026; data at this https URL"
    assert corpus.venue == "Proceedings of LREC 2026, pages 1120-1131"
    many = records["2612.00101"]
    assert len(many.authors) == 25 and many.n_authors == 37 and many.comment is None
    cross = records["2612.00402"]
    assert cross.categories == ["cs.SD", "cs.CL", "eess.AS"]
    assert cross.published is None  # announced today, but not first published today
    assert cross.abstract.startswith("We add discrete prosody tokens")
    replaced = records["2405.01234"]
    assert replaced.venue.startswith("Transactions of the Association")
    assert replaced.comment == "Camera-ready version, 25 pages"
    assert records["cmp-lg/9408011"].title == "Statistical Decision-Tree Models for Parsing"
    # the footer after the last abstract is page chrome, not abstract
    assert records["cmp-lg/9408011"].abstract.endswith("to choose among analyses.")


@pytest.mark.parametrize(
    ("name", "dated"),
    [
        (
            "arxiv-recent-cs.CL.txt",
            {
                "2612.00012": date(2026, 12, 1),
                "2612.00047": date(2026, 12, 1),
                "2612.00348": None,
                "2611.20931": date(2026, 11, 28),
                "2611.20644": None,
            },
        ),
        (
            "arxiv-pastweek-hep-th.txt",
            {
                "2611.19002": date(2026, 11, 27),
                "2611.18555": None,
                "2611.17310": date(2026, 11, 26),
                "2611.16021": date(2026, 11, 26),
            },
        ),
    ],
)
def test_recent_and_pastweek_pages_group_by_day_and_have_no_abstracts(name, dated):
    format_name, records = parsed(LISTINGS / name)
    assert format_name == "arxiv-page"
    assert {key: record.published for key, record in records.items()} == dated
    assert all(record.abstract is None and record.title for record in records.values())
    assert all(record.authors and record.categories for record in records.values())


def test_recent_page_prints_names_without_a_label():
    _, records = parsed(LISTINGS / "arxiv-recent-cs.CL.txt")
    assert records["2611.20931"].authors == ["Noor Al-Sayed", "Jakob Hansen", "Ewa Nowak"]
    assert records["2611.20644"].comment == "12 pages, 4 tables, to appear in ECIR 2027"
    assert records["2612.00348"].announcement == "cross-list"
    _, pastweek = parsed(LISTINGS / "arxiv-pastweek-hep-th.txt")
    assert pastweek["2611.18555"].venue == "Phys. Rev. D 114, 084021 (2026)"
    assert pastweek["2611.18555"].comment is None


def test_full_digest_has_new_cross_lists_and_replacements():
    name, records = parsed(LISTINGS / "arxivmail-full.txt")
    assert name == "arxiv-mail"
    assert {key: r.announcement for key, r in records.items()} == {
        "2612.00012": "new",
        "2612.00047": "new",
        "2612.00348": "cross-list",
        "2405.01234": "replacement",
        "2310.04455": "replacement",
    }
    first = records["2612.00012"]
    assert first.title == "Sparse Retrieval Heads Explain Long-Context Failures in Language Models"
    assert first.authors == ["Mira Okafor", "Daniel Weiss", "Hao Lin"]
    assert first.published == date(2026, 11, 27)
    second = records["2612.00047"]
    assert second.authors == ["Ana Lucia Ferreira", "Tomas Ruiz", "Priya Raman, Jr"]
    assert (second.venue, second.doi) == (
        "Proceedings of LREC 2026, pages 1120-1131",
        "10.5555/lrec.2026.1120",
    )
    replaced = records["2405.01234"]
    assert replaced.abstract is None and replaced.published is None
    assert replaced.venue == (
        "Transactions of the Association for Computational Linguistics 14 (2026) 88-112"
    )


@needs_corpus
def test_real_digests_give_each_record_its_own_fields():
    name, records = parsed(REAL / "arxivmail-2026-01-23.txt")
    assert name == "arxiv-mail"
    assert list(records) == ["2601.15305", "2601.15306", "2601.15307", "2601.15311", "2601.15316"]
    gated = records["2601.15305"]
    assert gated.title == (
        "Gated Sparse Attention: Combining Computational Efficiency with Training Stability "
        "for Long-Context Language Models"
    )
    assert gated.authors == ["Alfred Shen", "Aaron Shen"]
    assert gated.comment == (
        "15 pages, 1 figure, attention mechanism, sparse attention, gating, long-context"
    )
    assert gated.abstract.startswith("The computational burden of attention")
    assert gated.abstract.endswith("with loss spikes reduced by 98%.")
    assert (gated.published, gated.line) == (date(2026, 1, 12), 16)
    survey = records["2601.15307"]  # no comment: it must not inherit the one before
    assert survey.comment is None and survey.categories == ["cs.AI", "cs.CL"]
    assert survey.title.startswith("DeepSurvey-Bench")
    assert survey.abstract.startswith("The rapid development of automated scientific survey")
    assert len(survey.authors) == 7 and survey.authors[-1] == "Xian-Ling Mao"
    fake_news = records["2601.15316"]
    assert fake_news.doi == "10.1016/j.cosrev.2026.100893"
    assert fake_news.authors[-2:] == ["Zhixiong He", "Keqin Li"]
    assert fake_news.abstract.startswith("In recent years, the rapid evolution")
    titles = [record.title for record in records.values()]
    assert len(set(titles)) == len(titles)

    _, later = parsed(REAL / "arxivmail-2026-01-26.txt")
    assert len(later) == 10
    agents = later["2601.16280"]
    assert agents.comment == (
        "Accepted for publication in 2026 The 9th International Conference on Artificial "
        "Intelligence and Big Data (ICAIBD 2026)"
    )
    longcat = later["2601.16725"]
    assert longcat.authors[0] == "Meituan LongCat Team" and longcat.authors[-1] == "Linsen Guo"
    assert "Fengcheng Yuan" in longcat.authors
    assert longcat.n_authors == len(longcat.authors) + 97
    assert later["2601.16806"].categories == ["cs.AI", "cs.RO"]
    assert later["2601.16549"].comment.endswith("paper accepted in AAIML'26 conference")


@needs_corpus
def test_malformed_digest_keeps_good_records_and_names_the_bad_ones(library, db_path, capsys):
    path = REAL / "arxivmail-malformed.txt"
    assert main(["--db", str(db_path), "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "arxiv-mail: 2 new, 0 merged, 0 unchanged, 3 rejected" in out
    assert err.splitlines() == [
        f"{path}:25: skipped: record has no arXiv id",
        f"{path}:36: skipped: record cut off: no closing '\\\\ ( https://arxiv.org/abs/ID , ...)' "
        "line",
        f"{path}:46: skipped: arXiv:2601.99001 listed again (first at line 14)",
    ]
    assert paper(library, "2601.99001").title == "A Valid Paper That Should Parse Correctly"
    assert paper(library, "2601.99003").comment == "10 pages, submitted to ICSE 2026"


def test_replacements_of_unknown_papers_are_skipped_unless_asked(library):
    summary = import_listing(library, LISTINGS / "arxiv-new-cs.CL.txt", today=TODAY)
    assert (summary.new, summary.skipped) == (6, 2)
    assert "2 replacements of papers not in the library skipped" in summary.line()
    digest = LISTINGS / "arxivmail-full.txt"
    with library.write() as session:
        tokenizer = paper(library, "2612.00348").id
        set_status(session, reader_id=library.reader_id, paper_id=tokenizer, status="read")
    summary = import_listing(library, digest, today=TODAY)
    assert (summary.new, summary.skipped) == (0, 2)
    summary = import_listing(library, digest, today=TODAY, replacements=True)
    assert summary.new == 2
    assert paper(library, "2310.04455").title.startswith("Planning with Language Models")
    with library.read() as session:
        view = paper_view(session, reader_id=library.reader_id, paper_id=tokenizer)
    assert view.status == "read"  # a replacement never resets what the reader did


UNREAD = [
    "citation.cff",
    "endnote-article.xml",
    "mods.xml",
    "pubmed.nbib",
    "wos.isi",
    "zotero-library.json",
    "arxiv-id-list.txt",
    "doi-list.txt",
]


@needs_corpus
@pytest.mark.parametrize("name", UNREAD)
def test_files_of_formats_we_do_not_read_are_refused(db_path, capsys, name):
    path = OTHER / name
    assert main(["--db", str(db_path), "import", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"{path}:1: unknown listing format")


OWN = ("ris-scopus.ris", "ris-test1.ris", "csl.json")


@needs_corpus
@pytest.mark.parametrize("name", [*OWN, *UNREAD])
def test_no_parser_here_claims_another_format(name):
    """RIS and CSL-JSON have parsers of their own; no other parser may say a file is its."""
    text = (OTHER / name).read_text(encoding="utf-8", errors="replace")
    own = {".ris": "ris", ".json": "csl-json"}.get(Path(name).suffix) if name in OWN else None
    scores = {module.NAME: module.sniff(text) for module in PARSERS.values()}
    assert {n: s for n, s in scores.items() if n != own} == dict.fromkeys(set(PARSERS) - {own}, 0)
    if own:
        assert scores[own] > 0


def test_comments_are_shown_and_exported_as_comments_not_venues(db_path, tmp_path, capsys):
    db = ["--db", str(db_path)]
    assert main([*db, "import", str(LISTINGS / "arxiv-new-cs.CL.txt")]) == 0
    capsys.readouterr()
    assert main([*db, "show", "2612.00012"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert "  Comments: 10 pages, 3 figures" in shown
    assert not any(line.strip().startswith("Venue:") for line in shown)
    assert main([*db, "show", "2612.00101"]) == 0  # the page named 25 of 37 authors
    assert capsys.readouterr().out.count("Nina Weber and 12 more") == 1
    assert main([*db, "show", "2612.00047", "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["venue"] == "Proceedings of LREC 2026, pages 1120-1131"
    assert view["comment"] == "Accepted at LREC 2026; data at this https URL"
    assert main([*db, "export", "markdown", "-o", str(tmp_path / "notes"), "id:2612.00012"]) == 0
    [exported] = (tmp_path / "notes").glob("*.md")
    head = exported.read_text(encoding="utf-8").split("---")[1]
    assert "comment: 10 pages, 3 figures" in head and "venue:" not in head
    capsys.readouterr()
    assert main([*db, "search", "venue:LREC"]) == 0  # the venue and the comment both
    assert "Parliamentary Debates" in capsys.readouterr().out


def test_older_and_partial_copies_read_the_same_way():
    name, old = parsed(LISTINGS / "arxivmail-1999-old-style.txt")  # saved with mail headers
    assert name == "arxiv-mail"
    strings, mirror = old["hep-th/9901001"], old["math.AG/9901002"]
    assert (strings.announcement, strings.published) == ("new", date(1999, 1, 1))
    assert strings.authors == ["John Smith", "Maria Lopez"]
    assert strings.comment == "12 pages, LaTeX"
    assert (mirror.announcement, mirror.venue) == ("cross-list", "J. Geom. Phys. 30 (1999) 1-20")
    assert mirror.abstract == "We prove a mirror theorem for toric surfaces."
    name, page = parsed(LISTINGS / "arxiv-new-partial-copy.txt")  # no first [1], an &nbsp;
    assert name == "arxiv-page"
    assert list(page) == ["2612.00012", "2612.00013"]  # the id cited in an abstract is text
    assert page["2612.00012"].abstract.endswith(
        "extending arXiv:2307.03172 with twelve open models."
    )
    assert page["2612.00013"].announcement == "cross-list"
    assert page["2612.00013"].abstract == "A second abstract, right after the subjects line."


def test_a_wrapped_title_is_not_taken_for_the_authors(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "[1] arXiv:2612.00012 [pdf, other]\nTitle: A Title That Wraps\nOnto Two Lines\n"
        "Authors: A. One, B. Two\n\nComments: 5 pages\nSubjects: Computation and Language "
        "(cs.CL)\n\nAn abstract here, short.\n",
        encoding="utf-8",
    )
    _, records = parsed(path)
    record = records["2612.00012"]
    assert (record.title, record.authors) == (
        "A Title That Wraps Onto Two Lines",
        ["A. One", "B. Two"],
    )
    assert (record.comment, record.abstract) == ("5 pages", "An abstract here, short.")


def test_a_digest_missing_a_separator_still_parts_its_records(tmp_path):
    lines = (LISTINGS / "arxivmail-full.txt").read_text(encoding="utf-8").split("\n")
    closing = lines.index("\\\\ ( https://arxiv.org/abs/2612.00012 ,  1204kb)")
    del lines[closing + 1]  # the dashes after the first record
    path = tmp_path / "digest.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    _, records = parsed(path)
    assert records["2612.00012"].title.startswith("Sparse Retrieval Heads")
    assert records["2612.00047"].title == "A Corpus of Code-Switched Parliamentary Debates"
    assert len(records) == 5
