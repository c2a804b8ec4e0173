"""The single-file reading digest, grouped by status or by tag."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from models.interchange.digest import render_digest, write_digest
from models.interchange.selection import ids_with_notes
from models.shelf.reading import add_note, add_tag, set_status


@pytest.fixture
def noted(library, add_paper) -> dict[str, int]:
    ids = {
        "a": add_paper(title="Alpha <b>paper</b>", authors=["Ann Author"], arxiv_id="2401.00001"),
        "b": add_paper(title="Beta paper", doi="10.5555/beta(1)"),
        "c": add_paper(title="Gamma paper"),
    }
    with library.write() as session:
        state = {"reader_id": library.reader_id}
        set_status(session, **state, paper_id=ids["a"], status="read")
        set_status(session, **state, paper_id=ids["b"], status="reading")
        add_tag(session, **state, paper_id=ids["a"], name="ml")
        add_tag(session, **state, paper_id=ids["a"], name="Attention")
        add_tag(session, **state, paper_id=ids["b"], name="ml")
        for key, paper_id in ids.items():
            add_note(session, **state, paper_id=paper_id, body=f"Note on {key}.\n\n## my heading")
    return ids


def headings(text: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").parse(text)
    return [
        (token.tag, tokens[i + 1].content)
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3")
    ]


def digest(library, group_by: str) -> str:
    with library.read() as session:
        ids = ids_with_notes(session, reader_id=library.reader_id)
        text, count = render_digest(
            session, reader_id=library.reader_id, ids=ids, group_by=group_by
        )
    assert count == 3
    return text


def test_digest_grouped_by_status_in_workflow_order(library, noted):
    found = headings(digest(library, "status"))
    assert found[0] == ("h1", "Reading digest")
    assert [text for tag, text in found if tag == "h2"] == ["new (1)", "reading (1)", "read (1)"]
    assert ("h3", "Alpha \\<b\\>paper\\</b\\>") in found


def test_digest_grouped_by_tag_lists_a_paper_under_each_tag(library, noted):
    text = digest(library, "tag")
    groups = [content for tag, content in headings(text) if tag == "h2"]
    assert groups == ["Attention (1)", "ml (2)", "untagged (1)"]
    assert text.count("Note on a.") == 2
    assert "[doi:10.5555/beta(1)](<https://doi.org/10.5555/beta(1)>)" in text


def test_digest_file_is_left_untouched_when_nothing_changed(library, noted, tmp_path):
    path = tmp_path / "digest.md"
    with library.read() as session:
        ids = ids_with_notes(session, reader_id=library.reader_id)
        first = write_digest(session, reader_id=library.reader_id, ids=ids, path=path)
        stamp = path.stat().st_mtime_ns
        again = write_digest(session, reader_id=library.reader_id, ids=ids, path=path)
    assert first.written == [path] and again.unchanged == [path]
    assert path.stat().st_mtime_ns == stamp


def test_digest_refuses_an_unknown_grouping(library, noted):
    with library.read() as session, pytest.raises(ValueError, match="group by one of"):
        render_digest(session, reader_id=library.reader_id, ids=[1], group_by="venue")
