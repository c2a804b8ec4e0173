"""Citation keys in the familiar `vaswani2017attention` shape, unique and stable.

The base (first author's family name, the year, the title's first significant word) is
stored with each paper (`models.citekey`). Papers that share one are told apart by a
letter suffix given in the order they joined the library (`smith2020deep`,
`smith2020deepb`, ... `smith2020deepz`, `smith2020deepaa`, ... without end), counted
over the whole library rather than over one export, so a paper keeps its key whichever
query exports it, and a paper added later never takes an older one's.
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from models.core.citekey import STOPWORDS, base_key
from models.store.tables import Paper, table_of

__all__ = ["STOPWORDS", "base_key", "citation_key", "citation_keys", "suffixes"]


def suffixes() -> Iterator[str]:
    """b, c, ..., z, aa, ab, ..., zz, aaa, ...: every letter string after the bare key's."""
    letters = string.ascii_lowercase
    yield from letters[1:]
    width = 2
    while True:
        indexes = [0] * width
        while True:
            yield "".join(letters[i] for i in indexes)
            position = width - 1
            while position >= 0 and indexes[position] == len(letters) - 1:
                indexes[position] = 0
                position -= 1
            if position < 0:
                break
            indexes[position] += 1
        width += 1


def _bases(session: Session) -> dict[str, list[int]]:
    """Paper ids by stored base key, in the order they joined; computed where not stored."""
    groups: dict[str, list[int]] = defaultdict(list)
    paper = table_of(Paper).c
    rows = session.execute(select(paper.id, paper.citation_key).order_by(paper.id)).all()
    missing = [paper_id for paper_id, key in rows if not key]
    computed: dict[int, str] = {}
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        columns = select(paper.id, paper.authors, paper.author_names, paper.title, paper.published)
        for row in session.execute(columns.where(paper.id.in_(chunk))):
            computed[row.id] = base_key(row.authors, row.title, row.published, row.author_names)
    for paper_id, key in rows:
        groups[key or computed[paper_id]].append(paper_id)
    return groups


def citation_keys(session: Session) -> dict[int, str]:
    """Every paper's key, by paper id."""
    groups = _bases(session)
    taken = set(groups)
    keys: dict[int, str] = {}
    for base in sorted(groups):
        first, *others = groups[base]
        keys[first] = base
        endings = suffixes()
        for paper_id in others:
            key = base + next(endings)
            while key in taken:
                key = base + next(endings)
            taken.add(key)
            keys[paper_id] = key
    return keys


def citation_key(session: Session, paper_id: int) -> str:
    """One paper's key (the app's `y`): the same as in every export."""
    return citation_keys(session)[paper_id]
