"""Citation keys in the familiar `vaswani2017attention` shape, unique and stable.

The key is the first author's family name, the year and the first significant
word of the title. Papers that share one are told apart by a letter suffix given
in the order they joined the library (`smith2020deep`, `smith2020deepb`), counted
over the whole library rather than over one export, so a paper keeps its key
whichever query exports it, and a paper added later never takes an older one's.
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from models.interchange.filenames import slugify
from models.store.tables import Paper

#: Small words the key skips to reach the title's first significant one.
_SMALL_WORDS = (
    "a an and are as at by do does for from how in is it of on or the to towards via what when "
    "where which who why with"
)
STOPWORDS = frozenset(_SMALL_WORDS.split())


def base_key(authors: list[str] | None, title: str | None, published: date | None) -> str:
    """`vaswani2017attention`; `anon` without authors, no year or word when unknown."""
    family = ""
    if authors:
        name = authors[0].split(",")[0].strip()  # "Martin Luther King, Jr" -> King
        family = slugify(name.split()[-1] if name.split() else name).replace("-", "")
    words = [w for w in slugify(title or "", limit=1000).split("-") if w]
    word = next((w for w in words if w not in STOPWORDS), words[0] if words else "")
    return f"{family or 'anon'}{published.year if published else ''}{word}"


def _suffixes() -> Iterable[str]:
    """b, c, ..., z, then aa, ab, ...: the bare key is the first paper's."""
    yield from string.ascii_lowercase[1:]
    for first in string.ascii_lowercase:
        for second in string.ascii_lowercase:
            yield first + second


def citation_keys(session: Session) -> dict[int, str]:
    """Every paper's key, by paper id."""
    groups: dict[str, list[int]] = defaultdict(list)
    rows = session.execute(
        select(Paper.id, Paper.authors, Paper.title, Paper.published).order_by(Paper.id)
    )
    for paper_id, authors, title, published in rows:
        groups[base_key(authors, title, published)].append(paper_id)
    taken = set(groups)
    keys: dict[int, str] = {}
    for base in sorted(groups):
        first, *others = groups[base]
        keys[first] = base
        suffixes = _suffixes()
        for paper_id in others:
            key = base + next(suffixes)
            while key in taken:
                key = base + next(suffixes)
            taken.add(key)
            keys[paper_id] = key
    return keys
