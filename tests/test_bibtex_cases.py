"""BibTeX import, case by case: dates with their precision, names with their structure,
identifiers in every form, macros, encodings, entry kinds, crossref, and when two entries
are one paper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.ingest.importer import import_listing
from models.shelf.papers import list_papers
from tui.cli import main


def bib(tmp_path: Path, text: str, name: str = "refs.bib", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def papers_json(db_path: Path, capsys, *query: str) -> list[dict]:
    command = ["search", *query] if query else ["list"]
    assert main(["--db", str(db_path), *command, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def stored(library) -> dict[str, object]:
    """Title -> paper, for the papers in the library."""
    with library.read() as session:
        return {view.paper.title: view.paper for view in list_papers(session, reader_id=1)}


DATES = """
@article{a, title = {Year only}, year = {2017}}
@article{b, title = {Year and month}, year = 2017, month = nov}
@article{c, title = {Month as a number}, year = {2018}, month = {3}}
@article{d, title = {Full date}, year = {2019}, month = {Feb.}, day = {28}}
@article{e, title = {Biblatex month}, date = {2020-01}}
@article{f, title = {Biblatex range}, date = {2021-05-03/2021-05-07}}
"""


def test_dates_keep_their_precision_in_json_search_and_keys(tmp_path, db_path, capsys):
    assert main(["--db", str(db_path), "import", str(bib(tmp_path, DATES))]) == 0
    capsys.readouterr()
    found = {p["title"]: (p["published"], p["published_precision"]) for p in papers_json(
        db_path, capsys)}  # fmt: skip
    assert found == {
        "Year only": ("2017", "year"),
        "Year and month": ("2017-11", "month"),
        "Month as a number": ("2018-03", "month"),
        "Full date": ("2019-02-28", "day"),
        "Biblatex month": ("2020-01", "month"),
        "Biblatex range": ("2021-05-03", "day"),
    }
    assert [p["title"] for p in papers_json(db_path, capsys, "year:2017")] == [
        "Year and month",
        "Year only",
    ]
    assert main(["--db", str(db_path), "export", "bibtex", "year:2017"]) == 0
    exported = capsys.readouterr().out
    assert "@misc{anon2017year,\n  title = {Year only},\n  year  = {2017}," in exported
    assert "@misc{anon2017yearb," in exported and "month = nov," in exported
    assert "date  = {2017-11}" in exported


def test_a_macro_from_another_file_of_the_import_in_either_order(tmp_path, db_path, capsys):
    abbreviations = bib(tmp_path, '@string{IEEE_J_PROC = "Proceedings of the {IEEE}"}\n', "a.bib")
    refs = bib(tmp_path, "@inproceedings{x, title = {T}, booktitle = IEEE_J_PROC, year = 2016}")
    assert main(["--db", str(db_path), "import", str(refs), str(abbreviations)]) == 0
    captured = capsys.readouterr()
    assert "undefined" not in captured.err
    [paper] = papers_json(db_path, capsys)
    assert paper["venue"] == "Proceedings of the IEEE"


def test_an_undefined_macro_is_kept_as_text_with_one_warning(tmp_path, db_path, capsys):
    refs = bib(
        tmp_path,
        "@article{x, title = {One}, journal = IEEE_J_PROC}\n"
        "@article{y, title = {Two}, journal = IEEE_J_PROC # { Letters}}\n"
        "@article{z, title = {Three}, journal = {After}}\n",
    )
    assert main(["--db", str(db_path), "import", str(refs)]) == 0
    err = capsys.readouterr().err
    assert err.count("IEEE_J_PROC") == 1
    assert f"{refs}:1: undefined @string macro IEEE_J_PROC kept as text" in err
    venues = sorted(p["venue"] for p in papers_json(db_path, capsys))
    assert venues == ["After", "IEEE_J_PROC", "IEEE_J_PROC Letters"]


KINDS = """@preamble{"\\newcommand{\\noopsort}[1]{}"}
@comment{jabref-meta: databaseType:bibtex;}
@web_page{w, title = {A web page}, url = {https://example.org/page}}
@book_section{s, title = {A book section}, booktitle = {The Book}}
@article{, title = {Keyless with a comma}, year = {2001}}
@article{
  title = {Keyless as EndNote writes it},
  year = {2002}
}
@misc{ann, title = {Annotated}, title+an:default = {=titleannotation},
  AUTHOR+an = {1:family=student}}
"""


def test_every_kind_of_entry_is_read(tmp_path, library):
    summary = import_listing(library, bib(tmp_path, KINDS))
    assert (summary.new, summary.rejected) == (5, 0)
    assert set(stored(library)) == {
        "A web page",
        "A book section",
        "Keyless with a comma",
        "Keyless as EndNote writes it",
        "Annotated",
    }


BIBLATEX = """
@article{b1, title = {Biblatex fields}, journaltitle = {Journal of Tests},
  eprinttype = {arxiv}, eprint = {2101.00001v3}, eprintclass = {cs.DL}, date = {2021-01-04},
  note = {Accepted}}
@inproceedings{child, title = {A chapter}, crossref = {parent}, author = {Doe, Jane}}
@proceedings{parent, title = {Proceedings of Parents}, year = {1999}, month = jul}
@article{n, title = {Note is no venue}, note = {Submitted to somewhere}}
"""


def test_biblatex_fields_crossref_and_notes(tmp_path, library):
    import_listing(library, bib(tmp_path, BIBLATEX))
    papers = stored(library)
    first = papers["Biblatex fields"]
    assert first.venue == "Journal of Tests"
    assert (first.arxiv_id, first.arxiv_version, first.categories) == ("2101.00001", 3, ["cs.DL"])
    child = papers["A chapter"]
    assert child.venue == "Proceedings of Parents"
    assert (child.published.isoformat(), child.published_precision) == ("1999-07-01", "month")
    assert papers["Note is no venue"].venue is None


IDENTIFIERS = """
@article{d1, title = {ACM}, doi = {http://doi.acm.org/10.1145/1234567.1234568}}
@article{d2, title = {DX}, doi = {https://dx.doi.org/10.1000/XYZ.123}}
@article{d3, title = {URL only}, url = {https://doi.org/10.5555%2Fescaped}}
@article{a1, title = {arXiv URL}, url = {https://arxiv.org/abs/2301.01234v2}}
@article{a2, title = {arXiv DOI}, doi = {10.48550/arXiv.2302.04321}}
@article{a3, title = {DBLP}, journal = {CoRR}, volume = {abs/1706.03762}}
@article{a4, title = {Old id}, eprint = {hep-th/9711200}, archivePrefix = {arXiv}}
"""


def test_identifiers_in_every_form(tmp_path, library):
    import_listing(library, bib(tmp_path, IDENTIFIERS))
    papers = stored(library)
    assert papers["ACM"].doi == "10.1145/1234567.1234568"
    assert papers["DX"].doi == "10.1000/XYZ.123"
    assert papers["URL only"].doi == "10.5555/escaped"
    assert (papers["arXiv URL"].arxiv_id, papers["arXiv URL"].arxiv_version) == ("2301.01234", 2)
    assert papers["arXiv DOI"].arxiv_id == "2302.04321"
    assert papers["DBLP"].arxiv_id == "1706.03762" and papers["DBLP"].venue is None
    assert papers["Old id"].arxiv_id == "hep-th/9711200"


NAMES = r"""@article{n, title = {Names},
  author = {Van Noorden, Richard and {Emergency Cardiovascular Care Committee} and
            Garc{\'i}a N{\'u}{\~n}ez, C. and King, Jr., Martin Luther and
            Ludwig van Beethoven and M{\"u}ller, J{\"o}rg and others}}
"""


def test_names_keep_their_structure(tmp_path, library, db_path, capsys):
    import_listing(library, bib(tmp_path, NAMES))
    paper = stored(library)["Names"]
    assert paper.author_names == [
        {"family": "Van Noorden", "given": "Richard"},
        {"literal": "Emergency Cardiovascular Care Committee"},
        {"family": "García Núñez", "given": "C."},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Beethoven", "given": "Ludwig", "prefix": "van"},
        {"family": "Müller", "given": "Jörg"},
    ]
    [shown] = papers_json(db_path, capsys)
    assert shown["authors"] == [
        "Richard Van Noorden",
        "Emergency Cardiovascular Care Committee",
        "C. García Núñez",
        "Martin Luther King, Jr.",
        "Ludwig van Beethoven",
        "Jörg Müller",
    ]


LATEX = r"""@article{l,
  title = {\mkbibquote{Intention} in {\TeX}book: Schr\"{o}dinger's $x^{2}$ \& 50%},
  abstract = {An \emph{unknown} \foo{command} and \relax{} {\TUG} \textbf{bold}.}}
"""


def test_latex_becomes_plain_text_math_stays(tmp_path, library):
    import_listing(library, bib(tmp_path, LATEX))
    [paper] = stored(library).values()
    assert paper.title == "Intention in TeXbook: Schrödinger's $x^{2}$ & 50%"
    assert "\\" not in paper.abstract and "unknown command" in paper.abstract
    assert "TUG" in paper.abstract and "bold" in paper.abstract


@pytest.mark.parametrize(
    ("encoding", "warning"),
    [("utf-8", False), ("utf-8-sig", False), ("utf-16", False), ("utf-16-be", False),
     ("latin-1", True)],
)  # fmt: skip
def test_encodings(tmp_path, library, encoding, warning):
    text = "@article{e, title = {Café Müller}, author = {Ñandú, José}}\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "enc.bib"
    path.write_bytes(data)
    summary = import_listing(library, path)
    assert summary.new == 1
    assert any("not UTF-8" in line for line in summary.warnings) == warning
    [paper] = stored(library).values()
    assert paper.title == "Café Müller" and paper.authors == ["José Ñandú"]


SAME_TITLE = """
@article{t1, title = {Editorial Comments}, journal = {TUGboat}, volume = {5}, year = {1984}}
@article{t2, title = {Editorial comments}, journal = {TUGboat}, volume = {6}, year = {1985}}
@article{t3, title = {Editorial Comments}, journal = {TUGboat}, volume = {6}, number = {2},
  year = {1985}}
@article{s1, title = {Deep Nets}, author = {Smith, Ann}, year = {2020}}
@article{s2, title = {Deep nets}, author = {Jones, Bob}, year = {2020}}
@article{s3, title = {Deep Nets.}, author = {Smith, A.}, year = {2020}, abstract = {More.}}
@article{i1, title = {Same DOI}, doi = {10.1234/same}, year = {2019}}
@article{i2, title = {Same DOI, later}, doi = {10.1234/SAME}, year = {2021}}
"""


def test_titles_meet_only_when_nothing_contradicts(tmp_path, library):
    summary = import_listing(library, bib(tmp_path, SAME_TITLE))
    assert (summary.new, summary.merged + summary.unchanged) == (6, 2)
    with library.read() as session:
        titles = sorted(view.paper.title for view in list_papers(session, reader_id=1))
    assert titles.count("Editorial Comments") + titles.count("Editorial comments") == 3
    assert titles.count("Deep Nets") + titles.count("Deep nets") == 2
    assert "Same DOI" in titles and "Same DOI, later" not in titles


def test_keywords_become_tags_only_when_asked(tmp_path, db_path, capsys):
    refs = bib(tmp_path, "@article{k, title = {Tagged}, keywords = {deep learning; RL, Survey}}")
    assert main(["--db", str(db_path), "import", str(refs)]) == 0
    capsys.readouterr()
    assert papers_json(db_path, capsys)[0]["tags"] == []
    for _ in range(2):  # a second import adds nothing
        assert main(["--db", str(db_path), "import", "--keywords-as-tags", str(refs)]) == 0
        capsys.readouterr()
        assert papers_json(db_path, capsys)[0]["tags"] == ["RL", "Survey", "deep learning"]


def test_markdown_front_matter_dates_keep_their_precision(tmp_path, db_path, capsys):
    import yaml

    assert main(["--db", str(db_path), "import", str(bib(tmp_path, DATES))]) == 0
    out = tmp_path / "notes"
    assert (
        main(["--db", str(db_path), "export", "markdown", "-o", str(out), "year:2017..2019"]) == 0
    )
    dates = {}
    for path in out.glob("*.md"):
        front = yaml.safe_load(path.read_text().split("---")[1])
        dates[front["title"]] = str(front["date"])
    assert dates == {
        "Year only": "2017",
        "Year and month": "2017-11",
        "Month as a number": "2018-03",
        "Full date": "2019-02-28",
    }
