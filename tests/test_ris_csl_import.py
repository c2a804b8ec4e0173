"""RIS and CSL-JSON import from real exports, and formats papershelf does not read refused
with one line instead of being read as another format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.corpus import OTHER, needs_corpus

from tui.cli import main


def listed(db_path: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["--db", str(db_path), "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@needs_corpus
def test_a_scopus_ris_record(db_path, capsys):
    assert (
        main(["--db", str(db_path), "import", "--keywords-as-tags", str(OTHER / "ris-scopus.ris")])
        == 0
    )
    [paper] = listed(db_path, capsys)
    assert paper["title"].startswith("A transversely isotropic composite")
    assert paper["authors"] == ["S. Federico", "A. Grillo", "W. Herzog"]
    assert (paper["published"], paper["published_precision"]) == ("2004", "year")
    assert paper["doi"] == "10.1016/j.jmps.2004.03.010"
    assert paper["venue"] == "Journal of the Mechanics and Physics of Solids"
    assert "Transverse isotropy" in paper["tags"]


@needs_corpus
def test_a_csl_json_item(db_path, capsys):
    assert main(["--db", str(db_path), "import", str(OTHER / "csl.json")]) == 0
    [paper] = listed(db_path, capsys)
    assert paper["title"] == "White v. State"
    assert (paper["published"], paper["published_precision"]) == ("1966-10-19", "day")


@needs_corpus
@pytest.mark.parametrize(
    "name",
    ["endnote-article.xml", "mods.xml", "pubmed.nbib", "citation.cff", "zotero-library.json",
     "wos.isi"],
)  # fmt: skip
def test_formats_papershelf_does_not_read_are_refused(name, db_path, capsys):
    path = OTHER / name
    assert main(["--db", str(db_path), "import", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"{path}:1: unknown listing format")
    assert listed(db_path, capsys) == []


def test_ris_cut_off_and_csl_with_unknown_shape(tmp_path, db_path, capsys):
    ris = tmp_path / "cut.ris"
    ris.write_text("TY  - JOUR\nTI  - Complete\nAU  - Doe, Jane\nPY  - 2001/09/01/\nER  - \n"
                   "TY  - JOUR\nTI  - Cut off\n")  # fmt: skip
    assert main(["--db", str(db_path), "import", str(ris)]) == 0
    assert f"{ris}:6: skipped: record cut off (no ER line)" in capsys.readouterr().err
    [paper] = listed(db_path, capsys)
    assert (paper["published"], paper["authors"]) == ("2001-09-01", ["Jane Doe"])
    other = tmp_path / "items.json"
    other.write_text(json.dumps([{"title": "No type", "id": "x"}]))
    assert main(["--db", str(db_path), "import", str(other)]) == 2
    assert "unknown listing format" in capsys.readouterr().err
