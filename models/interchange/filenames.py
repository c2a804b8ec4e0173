"""Stable, safe file names for exported papers: a slug of the title plus the paper's id.

A name holds only `a-z`, `0-9` and `-`, then `-ID.md`, so no title can climb out
of the export directory (`../`, `/`), hit a name Windows reserves (`CON`, `NUL`),
outgrow a file system's 255 bytes, or collide with another paper's name on a
case-insensitive disk. The id keeps two papers with one title apart.
"""

from __future__ import annotations

import re

from models.core.text import strip_accents
from models.store.tables import Paper

SLUG_LIMIT = 60
_WORDS = re.compile(r"[a-z0-9]+")


def slugify(text: str | None, limit: int = SLUG_LIMIT) -> str:
    """Lower-case ASCII words joined by `-`, cut at a word boundary within `limit`."""
    if not text:
        return ""
    folded = strip_accents(text).encode("ascii", "ignore").decode("ascii")
    slug = ""
    for word in _WORDS.findall(folded.lower()):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            return slug or word[:limit]
        slug = candidate
    return slug


def paper_file_name(paper: Paper) -> str:
    """`attention-is-all-you-need-12.md`; the arXiv id, else `paper`, without a title."""
    stem = slugify(paper.title) or slugify(paper.arxiv_id) or "paper"
    return f"{stem}-{paper.id}.md"
