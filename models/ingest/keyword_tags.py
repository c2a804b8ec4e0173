"""A listing's keywords as the importing reader's tags (`import --keywords-as-tags`).

Tags are a reader's own state, so this happens only when asked, and in bulk: one query
for the tags that exist, one insert for the new names and one for the links.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from models.core.text import clean_text
from models.core.times import utcnow
from models.store.bulk import bulk_insert
from models.store.tables import PaperTag, Tag, table_of

TAG = table_of(Tag)
PAPER_TAG = table_of(PaperTag)
MAX_TAG = 128


def tag_keywords(
    connection: Connection, *, reader_id: int, tagged: Iterable[tuple[int, list[str]]]
) -> int:
    """Tag each paper id with its keywords (an existing tag of any case is reused); how many
    tags were added."""
    wanted: list[tuple[int, str]] = []
    for paper_id, keywords in tagged:
        for keyword in keywords:
            name = clean_text(keyword)
            if name and len(name) <= MAX_TAG:
                wanted.append((paper_id, name))
    if not wanted:
        return 0
    ids: dict[str, int] = {}
    for tag_id, name in connection.execute(select(TAG.c.id, TAG.c.name)):
        ids.setdefault(name.lower(), tag_id)
    new_names = sorted({name for _, name in wanted if name.lower() not in ids}, key=str.lower)
    new_rows, seen = [], set()
    for name in new_names:
        if name.lower() not in seen:
            seen.add(name.lower())
            new_rows.append({"name": name})
    for row, tag_id in zip(new_rows, bulk_insert(connection, TAG, new_rows), strict=True):
        ids[row["name"].lower()] = tag_id
    linked = select(PAPER_TAG.c.paper_id, PAPER_TAG.c.tag_id)
    rows = connection.execute(linked.where(PAPER_TAG.c.reader_id == reader_id))
    existing = {(paper_id, tag_id) for paper_id, tag_id in rows}
    now, links = utcnow(), []
    for paper_id, name in wanted:
        key = (paper_id, ids[name.lower()])
        if key not in existing:
            existing.add(key)
            links.append(
                {"reader_id": reader_id, "paper_id": key[0], "tag_id": key[1], "tagged_at": now}
            )
    bulk_insert(connection, PAPER_TAG, links, ids=False)
    return len(links)
