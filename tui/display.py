"""How a paper's state reads on a terminal: shared by the command line and the app."""

from __future__ import annotations

from models.core.dates import published_text
from models.shelf.papers import PaperView

GLYPHS = {"new": "•", "to-read": "○", "reading": "◐", "read": "●", "skipped": "×"}
VIEW_NAMES = {
    "new": "Inbox",
    "to-read": "To read",
    "reading": "Reading",
    "read": "Read",
    "skipped": "Skipped",
    None: "All",
}


def stars(rating: int | None) -> str:
    """`★★★☆☆` for 3, empty for no rating."""
    return "★" * rating + "☆" * (5 - rating) if rating else ""


def glyph(status: str) -> str:
    return GLYPHS.get(status, "?")


def paper_fields(view: PaperView) -> list[tuple[str, str]]:
    """The labelled facts of a paper that has them, in reading order."""
    paper = view.paper
    arxiv = paper.arxiv_id
    if arxiv and paper.arxiv_version:
        arxiv = f"{arxiv}v{paper.arxiv_version}"
    date = None
    if paper.published:
        date = published_text(paper.published, paper.published_precision)
        if date and paper.published_precision == "year-inferred":
            date += " (year inferred)"
    authors = ", ".join(paper.authors) if paper.authors else None
    if not authors and paper.n_authors:
        authors = f"{paper.n_authors} authors"
    elif authors and paper.n_authors and paper.n_authors > len(paper.authors or ()):
        authors += f" and {paper.n_authors - len(paper.authors or ())} more"  # listing cut it
    fields = [
        ("arXiv", arxiv),
        ("DOI", paper.doi),
        ("Date", date),
        ("Venue", paper.venue),
        ("Comments", paper.comment),
        ("Authors", authors),
        ("Upvotes", str(paper.upvotes) if paper.upvotes is not None else None),
        ("Status", view.status),
        ("Rating", stars(view.rating) or "not rated"),
        ("Tags", ", ".join(view.tags) or None),
        ("Lab", view.lab.summary()),
        ("Id", str(paper.id)),
    ]
    return [(name, value) for name, value in fields if value]
