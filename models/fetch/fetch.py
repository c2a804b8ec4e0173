"""Fetch today's papers from arXiv and Hugging Face, and complete papers from arXiv and Crossref.

Each function asks its service through one PoliteClient, reads every answer before
writing anything, and merges in one transaction: a failure (no connection, a
timeout, an HTTP error, an answer that is not the expected feed) raises FetchError
naming the URL and leaves the library as it was. `progress(done, total, what)` is
called before each request and before the merge, so the app can run a function in
a worker and show a bar.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import or_, select

from models.fetch import arxiv_api, crossref, huggingface
from models.fetch.arxiv_rss import REPLACEMENTS, AnnouncementFeed, parse_feed
from models.fetch.categories import normalise_category
from models.fetch.http import Fetched, FetchError, PoliteClient
from models.fetch.merge import Incoming, load_validators, merge_incoming
from models.fetch.summary import NOT_MODIFIED, Download, FetchSummary, Progress, Steps, quiet
from models.fetch.text import FeedFormatError
from models.ingest.formats import ListingRecord
from models.ingest.importer import collector_paused
from models.ingest.merge import PAPER
from models.search import search_ids
from models.store.library import Library

T = TypeVar("T")

ARXIV_INTERVAL = 3.0  # arXiv's terms of use: no more than one request every three seconds
CROSSREF_INTERVAL = 1.0
HF_INTERVAL = 1.0
FEED_LIMIT = 2000  # arXiv's cap on the items of one feed
RSS_TYPES = "application/rss+xml, application/xml;q=0.9, */*;q=0.1"


@dataclass(frozen=True)
class Services:
    """Where each service is; the environment can point any of them elsewhere."""

    arxiv_rss: str = "https://rss.arxiv.org/rss"
    arxiv_api: str = "https://export.arxiv.org/api/query"
    hf_api: str = "https://huggingface.co/api/daily_papers"
    crossref: str = "https://api.crossref.org/works"

    @classmethod
    def from_environment(cls) -> Services:
        defaults = cls()
        return cls(
            arxiv_rss=os.environ.get("PAPERSHELF_ARXIV_RSS_URL") or defaults.arxiv_rss,
            arxiv_api=os.environ.get("PAPERSHELF_ARXIV_API_URL") or defaults.arxiv_api,
            hf_api=os.environ.get("PAPERSHELF_HF_API_URL") or defaults.hf_api,
            crossref=os.environ.get("PAPERSHELF_CROSSREF_URL") or defaults.crossref,
        )


def fetch_arxiv(
    library: Library,
    categories: Sequence[str],
    *,
    replacements: bool = False,
    client: PoliteClient | None = None,
    services: Services | None = None,
    progress: Progress | None = None,
) -> FetchSummary:
    """Today's announcements in `categories`; raises UnknownCategory before any request."""
    read = read_arxiv(
        library,
        categories,
        replacements=replacements,
        client=client,
        services=services,
        progress=progress,
    )
    return read.merge(library)


def read_arxiv(
    library: Library,
    categories: Sequence[str],
    *,
    replacements: bool = False,
    client: PoliteClient | None = None,
    services: Services | None = None,
    progress: Progress | None = None,
) -> Download:
    """`fetch_arxiv` up to the merge: the feeds read and parsed, nothing written."""
    # Sorted: the same categories in any order are the same feed, with the same validators.
    names = sorted({normalise_category(name) for name in categories})
    if not names:
        raise ValueError("fetch arxiv: name at least one category")
    services = services or Services.from_environment()
    steps = Steps(progress or quiet, total=2)
    summary = FetchSummary(source=f"arXiv {'+'.join(names)}", has_cross_lists=True)
    read = Download(summary, steps, "announcements", replacements=replacements)
    with _client(client) as polite:
        feeds = _read_feeds(library, polite, services.arxiv_rss, names, replacements, steps)
    if all(fetched.not_modified for fetched, _ in feeds):
        summary.not_modified, summary.note = True, NOT_MODIFIED
        return read
    for fetched, feed in feeds:
        summary.announced = summary.announced or feed.announced
        source = f"{fetched.url}#{feed.announced}" if feed.announced else fetched.url
        summary.warnings += [f"{fetched.url}: skipped {r.reason}" for r in feed.rejected]
        read.incoming += [
            Incoming(item.record, item.kind, source, "arxiv-rss", item.kind in REPLACEMENTS)
            for item in feed.items
        ]
    read.validators = {fetched.url: fetched.validators for fetched, _ in feeds}
    return read


def fetch_arxiv_ids(
    library: Library,
    references: Sequence[str],
    *,
    client: PoliteClient | None = None,
    services: Services | None = None,
    progress: Progress | None = None,
) -> FetchSummary:
    """These papers from the arXiv API (ids, `arXiv:` ids with versions, abs/pdf URLs)."""
    ids = arxiv_api.parse_ids(references)
    services = services or Services.from_environment()
    steps = Steps(progress or quiet, total=_batch_count(ids) + 1)
    summary = FetchSummary(source="arXiv API")
    with _client(client) as polite:
        records, summary.not_found = _api_records(polite, services.arxiv_api, ids, steps)
    steps.start(f"merging {len(records)} papers")
    incoming = [Incoming(r, "api", services.arxiv_api, "arxiv-api", True) for r in records]
    summary.add(merge_incoming(library, incoming))
    return steps.finish(summary)


def fetch_hf(
    library: Library,
    day: date | None = None,
    *,
    client: PoliteClient | None = None,
    services: Services | None = None,
    progress: Progress | None = None,
) -> FetchSummary:
    """Hugging Face's daily papers of `day` (the latest day when None)."""
    read = read_hf(library, day, client=client, services=services, progress=progress)
    return read.merge(library)


def read_hf(
    library: Library,
    day: date | None = None,
    *,
    client: PoliteClient | None = None,
    services: Services | None = None,
    progress: Progress | None = None,
) -> Download:
    """`fetch_hf` up to the merge: the day's papers read and parsed, nothing written."""
    services = services or Services.from_environment()
    params = {"date": day.isoformat()} if day else None
    summary = FetchSummary(source="Hugging Face daily papers", announced=day)
    url = services.hf_api
    steps = Steps(progress or quiet, total=2)
    read = Download(summary, steps, "papers")
    with _client(client) as polite:
        steps.start(f"fetching {url}")
        key = f"{url}?date={day.isoformat()}" if day else url
        fetched = polite.get(
            url,
            params=params,
            service="huggingface",
            interval=HF_INTERVAL,
            validators=load_validators(library, key),
            accept="application/json",
        )
    if fetched.not_modified:
        summary.not_modified, summary.note = True, NOT_MODIFIED
        return read
    records, rejected = _parsed(fetched, huggingface.parse_daily_papers)
    summary.warnings += [f"{fetched.url}: skipped {r.reason}" for r in rejected]
    read.incoming = [Incoming(r, "hf", fetched.url, "hf-api") for r in records]
    read.validators = {key: fetched.validators}
    return read


def enrich(
    library: Library,
    query: str | None = None,
    *,
    client: PoliteClient | None = None,
    services: Services | None = None,
    progress: Progress | None = None,
) -> FetchSummary:
    """Complete papers that lack a title, authors or a date: by arXiv id from the arXiv API,
    else by DOI from Crossref. `query` (the search language) narrows which papers."""
    services = services or Services.from_environment()
    summary = FetchSummary(source="enrich")
    by_arxiv, by_doi = _incomplete(library, query)
    steps = Steps(progress or quiet, total=_batch_count(by_arxiv) + len(by_doi) + 1)
    if not (by_arxiv or by_doi):
        summary.note = "no paper lacks a title, authors or a date"
        return steps.finish(summary)
    with _client(client) as polite:
        records, summary.not_found = _api_records(polite, services.arxiv_api, by_arxiv, steps)
        incoming = [Incoming(r, "api", services.arxiv_api, "arxiv-api", True) for r in records]
        for doi in by_doi:
            url = crossref.work_url(services.crossref, doi)
            steps.start(f"fetching {url}")
            fetched = polite.get(
                url,
                service="crossref",
                interval=CROSSREF_INTERVAL,
                accept="application/json",
                missing_ok=True,
            )
            if fetched.status == 404:
                summary.not_found += 1
                continue
            record = _parsed(fetched, crossref.parse_work)
            incoming.append(Incoming(record, "crossref", services.crossref, "crossref"))
    steps.start(f"merging {len(incoming)} records")
    summary.add(merge_incoming(library, incoming))
    return steps.finish(summary)


def _read_feeds(
    library: Library,
    polite: PoliteClient,
    base: str,
    names: list[str],
    replacements: bool,
    steps: Steps,
) -> list[tuple[Fetched, AnnouncementFeed]]:
    """The feed of `names`, split in halves while a feed holds arXiv's 2,000-item cap."""
    url = f"{base.rstrip('/')}/{'+'.join(names)}"
    steps.start(f"fetching {url}")
    # With --replacements the feed is read whole even if unchanged: the last merge
    # skipped the replacements this one wants.
    validators = None if replacements else load_validators(library, url)
    fetched = polite.get(
        url, service="arxiv", interval=ARXIV_INTERVAL, validators=validators, accept=RSS_TYPES
    )
    if fetched.not_modified:
        return [(fetched, AnnouncementFeed(None))]
    feed = _parsed(fetched, parse_feed)
    if len(feed.items) + len(feed.rejected) >= FEED_LIMIT and len(names) > 1:
        half = len(names) // 2
        steps.total += 2
        return [
            *_read_feeds(library, polite, base, names[:half], replacements, steps),
            *_read_feeds(library, polite, base, names[half:], replacements, steps),
        ]
    return [(fetched, feed)]


def _batch_count(ids: list[str]) -> int:
    return -(-len(ids) // arxiv_api.BATCH)


def _api_records(
    polite: PoliteClient, url: str, ids: list[str], steps: Steps
) -> tuple[list[ListingRecord], int]:
    """The papers arXiv has among `ids`, asked for 100 at a time, and how many it lacks."""
    records: list[ListingRecord] = []
    for batch in arxiv_api.batches(ids):
        steps.start(f"fetching {len(batch)} papers from {url}")
        fetched = polite.get(
            url,
            params=arxiv_api.query_params(batch),
            service="arxiv",
            interval=ARXIV_INTERVAL,
            accept="application/atom+xml",
        )
        records += _parsed(fetched, lambda body: arxiv_api.parse_answer(body, date.today()))
    found = {record.arxiv_id for record in records}
    missing = sum(1 for identifier in ids if arxiv_api.bare_id(identifier) not in found)
    return records, missing


def _incomplete(library: Library, query: str | None) -> tuple[list[str], list[str]]:
    """The arXiv ids, and the DOIs of papers without one, of papers lacking a title,
    authors or a date (among those `query` matches, when given)."""
    paper = PAPER.c
    lacking = or_(paper.title.is_(None), paper.authors.is_(None), paper.published.is_(None))
    statement = (
        select(paper.id, paper.arxiv_id, paper.doi)
        .where(lacking, or_(paper.arxiv_id.is_not(None), paper.doi.is_not(None)))
        .order_by(paper.id)
    )
    with library.read() as session:
        rows = session.execute(statement).all()
        if query and query.strip():
            wanted = set(search_ids(session, reader_id=library.reader_id, query=query, limit=None))
            rows = [row for row in rows if row.id in wanted]
    by_arxiv = [row.arxiv_id for row in rows if row.arxiv_id]
    by_doi = [row.doi for row in rows if not row.arxiv_id and row.doi]
    return by_arxiv, by_doi


def _parsed(fetched: Fetched, parse: Callable[[bytes], T]) -> T:
    """The parsed answer; a FeedFormatError becomes a FetchError naming the URL."""
    try:
        with collector_paused():
            return parse(fetched.body)
    except FeedFormatError as error:
        raise FetchError(fetched.url, str(error)) from None


@contextmanager
def _client(client: PoliteClient | None) -> Iterator[PoliteClient]:
    """The caller's client, or a new one closed at the end."""
    if client is not None:
        yield client
        return
    with PoliteClient() as polite:
        yield polite
