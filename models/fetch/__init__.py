"""Fetching papers from the services that announce them: arXiv, Hugging Face, Crossref.

The functions the command line and the app call (each takes the library, an
optional PoliteClient and a `progress(done, total, what)` callback, merges in one
transaction and returns a FetchSummary; a failure raises FetchError and changes
nothing):

- `fetch_arxiv(library, categories, replacements=False)`: today's announcement feed
- `fetch_arxiv_ids(library, references)`: papers by arXiv id, from the arXiv API
- `fetch_hf(library, day=None)`: Hugging Face's daily papers
- `enrich(library, query=None)`: complete papers lacking a title, authors or a date

`read_arxiv` and `read_hf` stop before the merge and return a Download, whose
`store(session)` merges in the caller's transaction (the app's one writer).
"""

from __future__ import annotations

from models.fetch.arxiv_api import NotAnArxivId
from models.fetch.categories import CATEGORIES, UnknownCategory, normalise_category
from models.fetch.fetch import (
    FetchSummary,
    Progress,
    Services,
    enrich,
    fetch_arxiv,
    fetch_arxiv_ids,
    fetch_hf,
    read_arxiv,
    read_hf,
)
from models.fetch.http import FetchError, PoliteClient, user_agent
from models.fetch.summary import Download, index_new_papers

__all__ = [
    "CATEGORIES",
    "Download",
    "FetchError",
    "FetchSummary",
    "NotAnArxivId",
    "PoliteClient",
    "Progress",
    "Services",
    "UnknownCategory",
    "enrich",
    "fetch_arxiv",
    "fetch_arxiv_ids",
    "fetch_hf",
    "index_new_papers",
    "normalise_category",
    "read_arxiv",
    "read_hf",
    "user_agent",
]
