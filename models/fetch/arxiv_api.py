"""The arXiv API (`export.arxiv.org/api/query`): papers by id, `id_list=` batches of 100.

The answer is the Atom feed `models/listings/arxiv_atom.py` already reads from saved
files; here it only has to be asked for and checked. arXiv reports a malformed id
as an error entry (`<id>https://arxiv.org/api/errors#...`), and an id it does not
have by leaving it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from models.core.keys import parse_arxiv_id
from models.fetch.text import FeedFormatError
from models.ingest.formats import ListingRecord, arxiv_atom
from models.ingest.record import ParseOptions

BATCH = 100  # arXiv's advice for id_list queries


class NotAnArxivId(ValueError):
    """An argument that is no arXiv id, `arXiv:` id or abs/pdf URL."""


def parse_ids(references: Iterable[str]) -> list[str]:
    """`2401.00001`, `arXiv:2401.00001v2`, `https://arxiv.org/pdf/2401.00001v2` as the API's
    `id_list` spelling (with the version when one was given), each once, in order."""
    ids: list[str] = []
    for reference in references:
        parsed = parse_arxiv_id(reference.strip().removesuffix("/"))
        if parsed is None:
            raise NotAnArxivId(f"not an arXiv id: {reference!r}")
        identifier = parsed[0] + (f"v{parsed[1]}" if parsed[1] else "")
        if identifier not in ids:
            ids.append(identifier)
    return ids


def bare_id(identifier: str) -> str:
    """`2401.00001v2` -> `2401.00001`."""
    parsed = parse_arxiv_id(identifier)
    return parsed[0] if parsed else identifier


def batches(ids: list[str], size: int = BATCH) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def query_params(batch: list[str]) -> dict[str, str]:
    return {"id_list": ",".join(batch), "max_results": str(len(batch))}


def parse_answer(data: bytes, today: date) -> list[ListingRecord]:
    """The papers in one API answer; FeedFormatError for anything but arXiv's Atom feed."""
    text = data.decode("utf-8", errors="replace")
    if arxiv_atom.sniff(text) == 0:
        raise FeedFormatError("not an arXiv API answer (no Atom feed)")
    parsed = arxiv_atom.parse(text, ParseOptions(today))
    errors = [r.reason for r in parsed.rejected if "arXiv API error" in r.reason]
    if errors:
        raise FeedFormatError(errors[0])
    if parsed.rejected and not parsed.records:
        raise FeedFormatError(parsed.rejected[0].reason)
    return parsed.records
