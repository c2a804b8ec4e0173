"""arXiv's announcement feed (RSS 2.0 at rss.arxiv.org): one item per announced paper.

As arXiv documents the feed: each `<item>` has the title, a link to the abstract,
a `<description>` of the form `arXiv:2401.00001v2 Announce Type: new Abstract: ...`,
a `<guid>` `oai:arXiv.org:2401.00001v2`, one `<category>` per category, the
announcement `<pubDate>`, `<arxiv:announce_type>` (`new`, `cross`, `replace`,
`replace-cross`), `<dc:creator>` with the authors' names separated by commas, and
optionally `<arxiv:DOI>` and `<arxiv:journal_reference>`. The channel's `<pubDate>`
is the announcement date; on weekends and holidays the channel has no items.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from functools import lru_cache

from models.core.keys import parse_arxiv_id, parse_doi
from models.core.values import DatePrecision
from models.fetch.text import FeedFormatError, parse_xml, plain_text
from models.ingest.formats import ListingRecord
from models.ingest.record import Rejected

ARXIV = "{http://arxiv.org/schemas/atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
KINDS = ("new", "cross", "replace", "replace-cross")
REPLACEMENTS = ("replace", "replace-cross")
_DESCRIPTION = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<kind>[\w-]+)\s*"
    r"(?:Abstract:\s*)?(?P<abstract>.*)$",
    re.DOTALL,
)
_PARENTHESES = re.compile(r"\([^()]*\)")


@dataclass
class Announcement:
    """One item of the feed: the paper as announced, and how (`new`, `cross`, ...)."""

    record: ListingRecord
    kind: str


@dataclass
class AnnouncementFeed:
    """A whole feed: its announcement date and items, and the items it could not use."""

    announced: date | None
    items: list[Announcement] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def parse_feed(data: bytes) -> AnnouncementFeed:
    """Parse an arXiv RSS feed; raises FeedFormatError when the body is no such feed."""
    root = parse_xml(data)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedFormatError(f"not an RSS feed (its root element is <{_local(root.tag)}>)")
    feed = AnnouncementFeed(announced=_date(channel.findtext("pubDate")))
    for number, item in enumerate(channel.iter("item"), start=1):
        announcement, reason = _announcement(item, number, feed.announced)
        if announcement is None:
            feed.rejected.append(Rejected(number, reason))
        else:
            feed.items.append(announcement)
    return feed


def split_authors(creators: str | None) -> list[str]:
    """`A. One (MIT), B. Two and C. Three` -> the three names, affiliations dropped."""
    if not creators:
        return []
    text = creators
    while _PARENTHESES.search(text):  # nested: (Dept. (X), Univ.)
        text = _PARENTHESES.sub("", text)
    names = re.split(r"\s*,\s*|\s+and\s+", text)
    return [name for name in (plain_text(part) for part in names) if name]


def _announcement(
    item: ElementTree.Element, number: int, announced: date | None
) -> tuple[Announcement | None, str]:
    description = item.findtext("description") or ""
    described = _DESCRIPTION.match(description)
    reference = (
        (described["id"] if described else None)
        or (item.findtext("guid") or "").removeprefix("oai:arXiv.org:")
        or item.findtext("link")
        or ""
    )
    parsed = parse_arxiv_id(reference.strip())
    if parsed is None:
        return None, f"item {number} has no arXiv id ({reference.strip() or 'none given'})"
    kind = item.findtext(f"{ARXIV}announce_type") or (described["kind"] if described else "")
    kind = kind.strip().lower()
    if kind not in KINDS:
        return None, f"item {number} ({parsed[0]}): unknown announce type {kind or 'none'!r}"
    abstract = described["abstract"] if described else description
    record = ListingRecord(
        line=number,
        title=plain_text(item.findtext("title")),
        authors=split_authors(item.findtext(f"{DC}creator")) or None,
        abstract=plain_text(abstract),
        arxiv_id=parsed[0],
        arxiv_version=parsed[1],
        venue=plain_text(item.findtext(f"{ARXIV}journal_reference")),
        categories=_categories(item) or None,
    )
    doi = plain_text(item.findtext(f"{ARXIV}DOI"))
    record.doi = parse_doi(doi) if doi else None
    if kind not in REPLACEMENTS:  # a replacement's date is the new version's, not the paper's
        record.published = _date(item.findtext("pubDate")) or announced
        record.published_precision = DatePrecision.DAY if record.published else None
    return Announcement(record, kind), ""


def _categories(item: ElementTree.Element) -> list[str]:
    seen: list[str] = []
    for element in item.findall("category"):
        term = (element.text or "").strip()
        if term and term not in seen:
            seen.append(term)
    return seen


@lru_cache(maxsize=64)  # a feed repeats one announcement date on every item
def _date(text: str | None) -> date | None:
    """An RFC 822 date (`Fri, 23 Feb 2024 00:00:00 -0500`) as the day it names there."""
    if not text:
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError):
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
