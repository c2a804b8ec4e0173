"""A reading digest: the selected papers and their notes in one Markdown document.

Grouped by status (in workflow order) or by tag (a paper with two tags is in both
groups; papers without one come last), for pasting into a draft or a report. It
holds no export time, so the same library gives the same digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from models.core.values import Status
from models.interchange.markdown import escape_inline, notes_markdown
from models.interchange.output import ExportResult, write_if_changed
from models.shelf.papers import PaperView, paper_views

GROUPINGS = ("status", "tag")
UNTAGGED = "untagged"


def group_views(views: list[PaperView], group_by: str) -> list[tuple[str, list[PaperView]]]:
    """The groups in their order, each with its papers in the selection's order."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}, not {group_by!r}")
    if group_by == "status":
        order = [status.value for status in Status]
        groups = {status: [v for v in views if v.status == status] for status in order}
        groups["other"] = [v for v in views if v.status not in order]
    else:
        tags = sorted({tag for view in views for tag in view.tags}, key=str.casefold)
        groups = {tag: [v for v in views if tag in v.tags] for tag in tags}
        groups[UNTAGGED] = [v for v in views if not v.tags]
    return [(name, members) for name, members in groups.items() if members]


def _paper_blocks(view: PaperView) -> list[str]:
    paper = view.paper
    facts = []
    if paper.authors:
        facts.append(escape_inline(", ".join(paper.authors)))
    if paper.published:
        facts.append(str(paper.published.year))
    if paper.venue:
        facts.append(f"*{escape_inline(paper.venue)}*")
    url = view.url
    if url:
        label = f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else f"doi:{paper.doi}"
        facts.append(f"[{escape_inline(label)}](<{url}>)")
    facts.append(view.status)
    if view.rating:
        facts.append("★" * view.rating + "☆" * (5 - view.rating))
    if view.tags:
        facts.append("tags: " + escape_inline(", ".join(view.tags)))
    blocks = [f"### {escape_inline(view.display_title)}", " · ".join(facts)]
    return blocks + notes_markdown(view.notes, level=4)


def render_digest(
    session: Session, *, reader_id: int, ids: Sequence[int], group_by: str = "status"
) -> tuple[str, int]:
    """The digest's Markdown and how many papers it holds."""
    views = paper_views(session, reader_id=reader_id, ids=list(ids))
    noun = "paper" if len(views) == 1 else "papers"
    blocks = ["# Reading digest", f"{len(views)} {noun}, grouped by {group_by}."]
    for name, members in group_views(views, group_by):
        blocks.append(f"## {escape_inline(name)} ({len(members)})")
        for view in members:
            blocks += _paper_blocks(view)
    return "\n\n".join(blocks) + "\n", len(views)


def write_digest(
    session: Session,
    *,
    reader_id: int,
    ids: Sequence[int],
    path: Path | str,
    group_by: str = "status",
) -> ExportResult:
    """Write the digest to `path`, leaving the file untouched when it would not change."""
    text, count = render_digest(session, reader_id=reader_id, ids=ids, group_by=group_by)
    return write_if_changed(Path(path), [text.encode()], papers=count)
