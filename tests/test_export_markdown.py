"""Markdown export: parsable front matter and body, safe stable names, safe re-export."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from models.interchange.directory import MANIFEST, export_markdown
from models.interchange.selection import export_ids, ids_with_notes
from models.shelf.reading import add_note, add_tag, set_rating, set_status
from models.store.database import open_library

HOSTILE_TITLES = [
    "../../../etc/passwd",
    "/absolute/path",
    "a\\b\\..\\c",
    "CON",
    "nul",
    "COM1.txt",
    "x" * 500,
    "🎉🔥 ✨",
    "   ",
    "..",
    "Ünïcødé Tïtle",
    "中文标题",
    "<script>alert(1)</script> *bold* _it_ [link](http://x) `code` # C# $x_1$ a\\b |t| ~~s~~",
    "Attention Is All You Need",
    "Attention is all you need!",
]
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10))}
WINDOWS_RESERVED |= {f"LPT{n}" for n in range(10)}
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def split_front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def note(library, paper_id: int, body: str, *, reader_id: int | None = None) -> None:
    with library.write() as session:
        add_note(session, reader_id=reader_id or library.reader_id, paper_id=paper_id, body=body)


def export(library, directory: Path, ids=None, now=T0):
    with library.read() as session:
        if ids is None:
            ids = ids_with_notes(session, reader_id=library.reader_id)
        return export_markdown(
            session, reader_id=library.reader_id, ids=ids, directory=directory, now=now
        )


@pytest.fixture
def full_paper(library, add_paper) -> int:
    paper_id = add_paper(
        title="Attention: Is *All* You Need? #1",
        authors=["Ashish Vaswani", "Łukasz Kaiser", "null", "yes: no"],
        arxiv_id="1706.03762",
        arxiv_version=7,
        doi="10.5555/x.y",
        abstract="We use $O(n^2)$ <b>attention</b> & a_b_c. # not a heading",
        published=date(2017, 6, 12),
        venue="NeurIPS 2017",
    )
    with library.write() as session:
        state = {"reader_id": library.reader_id, "paper_id": paper_id}
        set_status(session, **state, status="reading")
        set_rating(session, **state, rating=4)
        add_tag(session, **state, name="transformers")
        add_tag(session, **state, name="yes")
    note(library, paper_id, "First thought with `code`.\n\n```python\nunclosed = True\n")
    note(library, paper_id, "Second: see [[Other note]] and *emphasis*.")
    return paper_id


def test_front_matter_parses_with_pyyaml(library, full_paper, tmp_path):
    result = export(library, tmp_path / "out")
    [path] = result.written
    fields, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert fields == {
        "id": full_paper,
        "title": "Attention: Is *All* You Need? #1",
        "authors": ["Ashish Vaswani", "Łukasz Kaiser", "null", "yes: no"],
        "arxiv": "1706.03762",
        "doi": "10.5555/x.y",
        "url": "https://arxiv.org/abs/1706.03762",
        "date": date(2017, 6, 12),
        "venue": "NeurIPS 2017",
        "status": "reading",
        "rating": 4,
        "tags": ["transformers", "yes"],
        "exported": T0,
    }


def test_body_parses_with_commonmark_into_title_abstract_and_dated_notes(
    library, full_paper, tmp_path
):
    [path] = export(library, tmp_path / "out").written
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    tokens = MarkdownIt("commonmark").parse(body)
    headings = [
        (tokens[i].tag, tokens[i + 1].content)
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    h1 = tokens[1].children
    assert "".join(child.content for child in h1) == "Attention: Is *All* You Need? #1"
    assert [tag for tag, _ in headings] == ["h1", "h2", "h2", "h3", "h3"]
    assert [text for _, text in headings][1:3] == ["Abstract", "Notes"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", text) for _, text in headings[3:])
    assert not [t for t in tokens if t.type == "html_block"]
    inline_html = [c for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert inline_html == []
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.content for f in fences] == ["unclosed = True\n"]  # closed before the next note


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_renders_literally(library, add_paper, tmp_path, title):
    paper_id = add_paper(title=title)
    [path] = export(library, tmp_path / "out", ids=[paper_id]).written
    fields, body = split_front_matter(path.read_text(encoding="utf-8"))
    tokens = MarkdownIt("commonmark").parse(body)
    shown = "".join(child.content for child in tokens[1].children)
    assert fields["title"] == title
    assert shown == title.strip()


def test_hostile_titles_give_safe_unique_stable_names(library, add_paper, tmp_path):
    ids = [add_paper(title=title) for title in HOSTILE_TITLES]
    ids.append(add_paper(title=None, arxiv_id="hep-th/9711200"))
    ids.append(add_paper(title=None))
    out = tmp_path / "out"
    first = export(library, out, ids=ids)
    assert len(first.written) == len(ids)
    names = [path.name for path in first.written]
    assert len(set(names)) == len(names)
    assert len({name.lower() for name in names}) == len(names)
    for path, paper_id in zip(first.written, ids, strict=True):
        assert path.resolve().parent == out.resolve()
        assert re.fullmatch(rf"[a-z0-9]+(?:-[a-z0-9]+)*-{paper_id}\.md", path.name)
        assert len(path.name.encode()) <= 100
        assert path.name.split(".")[0].upper() not in WINDOWS_RESERVED
    assert sorted(p.name for p in out.iterdir()) == sorted([*names, MANIFEST])
    assert names[-2] == f"hep-th-9711200-{ids[-2]}.md" and names[-1] == f"paper-{ids[-1]}.md"
    second = export(library, out, ids=ids, now=T0 + timedelta(days=1))
    assert [path.name for path in second.unchanged] == names and second.written == []


def test_reexport_keeps_unchanged_files_byte_for_byte_and_replaces_changed(
    library, add_paper, tmp_path
):
    quiet, busy = add_paper(title="Quiet paper"), add_paper(title="Busy paper")
    note(library, quiet, "Nothing new here.")
    note(library, busy, "A first note.")
    out = tmp_path / "out"
    export(library, out)
    quiet_path, busy_path = out / f"quiet-paper-{quiet}.md", out / f"busy-paper-{busy}.md"
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.iterdir()}
    again = export(library, out, now=T0 + timedelta(hours=5))
    assert again.written == [] and len(again.unchanged) == 2
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.iterdir()} == before

    note(library, busy, "A second note.")
    later = T0 + timedelta(days=2)
    changed = export(library, out, now=later)
    assert changed.written == [busy_path] and changed.unchanged == [quiet_path]
    assert quiet_path.read_bytes() == before[quiet_path][0]
    fields, body = split_front_matter(busy_path.read_text(encoding="utf-8"))
    assert fields["exported"] == later and "A second note." in body


def test_never_overwrites_or_deletes_files_it_did_not_write(library, add_paper, tmp_path):
    mine, taken = add_paper(title="Mine"), add_paper(title="Taken name")
    note(library, mine, "note")
    note(library, taken, "note")
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("my vault\n")
    squatter = out / f"taken-name-{taken}.md"
    squatter.write_text("a file the user made\n")
    result = export(library, out)
    assert [path.name for path in result.written] == [f"mine-{mine}.md"]
    assert [path for path, _ in result.skipped] == [squatter]
    assert "not written by papershelf" in result.skipped[0][1]
    assert squatter.read_text() == "a file the user made\n"
    assert (out / "README.md").read_text() == "my vault\n"


def test_a_file_edited_after_export_is_left_alone(library, add_paper, tmp_path):
    paper_id = add_paper(title="Edited later")
    note(library, paper_id, "note")
    out = tmp_path / "out"
    [path] = export(library, out).written
    path.write_text(path.read_text() + "\nMy own addition in the vault.\n")
    note(library, paper_id, "another note")
    result = export(library, out, now=T0 + timedelta(days=1))
    assert result.skipped == [(path, "edited since papershelf wrote it; left as it is")]
    assert path.read_text().endswith("My own addition in the vault.\n")


def test_a_retitled_paper_moves_to_its_new_name(library, add_paper, tmp_path):
    paper_id = add_paper(title=None, arxiv_id="2401.00001")
    note(library, paper_id, "note")
    out = tmp_path / "out"
    [old] = export(library, out).written
    with library.write() as session:
        from models.store.tables import Paper

        session.get(Paper, paper_id).title = "Now With A Title"
    result = export(library, out, now=T0 + timedelta(days=1))
    assert [path.name for path in result.written] == [f"now-with-a-title-{paper_id}.md"]
    assert result.removed == [old] and not old.exists()


def test_default_selection_is_the_readers_noted_papers(library, add_paper, db_path):
    mine, theirs, _none = add_paper(title="A"), add_paper(title="B"), add_paper(title="C")
    note(library, mine, "mine")
    other = open_library(str(db_path), reader="someone-else")
    note(other, theirs, "theirs", reader_id=other.reader_id)
    other.close()
    with library.read() as session:
        assert export_ids(session, reader_id=library.reader_id, query=None, noted_by_default=True)
        assert ids_with_notes(session, reader_id=library.reader_id) == [mine]
        everything = export_ids(
            session, reader_id=library.reader_id, query="", noted_by_default=False
        )
        assert sorted(everything) == sorted([mine, theirs, _none])
        assert export_ids(
            session, reader_id=library.reader_id, query="B", noted_by_default=True
        ) == [theirs]
