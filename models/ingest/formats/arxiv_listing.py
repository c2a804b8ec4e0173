"""arXiv listings as users copy them: abstract, optional comment line, `arXiv:ID`.

Each record is an abstract paragraph, an optional comment line ("ICML 2024",
"16 pages, 10 figures"), then `arXiv:ID` with an optional ` - doi: X` and an
optional `Created: YYYY-MM-DD` line. Pasted without line breaks, the next
abstract follows the id on the same line ("arXiv:2407.18743In recent years"), so
records are found by their id markers, not by lines.
"""

from __future__ import annotations

import re
from datetime import date

from models.core.keys import ARXIV_ID, parse_arxiv_id
from models.core.text import clean_text
from models.core.values import DatePrecision
from models.ingest.formats.shape import is_data_file, is_prose
from models.ingest.record import LineIndex, ListingRecord, ParsedListing, ParseOptions, Rejected

NAME = "arxiv"
DESCRIPTION = "arXiv listing: abstract, comment line, arXiv:ID [- doi: X], Created: DATE"

_MARKER = re.compile(
    rf"arXiv:\s?(?P<id>{ARXIV_ID})(?:v(?P<version>\d+))?"
    r"(?:[ \t]*-[ \t]*doi:[ \t]*(?P<doi>10\.\d{2,9}(?:\.\d+)*/\S+))?"
    r"(?:\s*Created:[ \t]*(?P<created>\d{4}-\d{2}-\d{2}))?",
)
# Where a squashed DOI runs into the next abstract: a digit, then a capitalised word
# ("10.1145/3637528.3671661Controllable", "...3671661LLMs are").
_DOI_RUNS_ON = re.compile(r"(?<=\d)(?=[A-Z](?:[a-z]|[A-Z]+s?\b|[A-Z]*\s))")
# A comment line names pages, figures, a venue or a year; used only when layout is unclear.
_COMMENT_HINT = re.compile(
    r"\b(?:pages?|figures?|tables?|accepted|submitted|appear|review|conference|workshop|"
    r"proceedings|journal|preprint|version|camera|code|(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
COMMENT_MAX = 400
# Labelled fields belong to arXiv's pages and e-mails (their own parsers), not to this.
_LABELS = re.compile(r"^\s*(?:Title|Authors|Subjects|Categories|Date|Journal-ref):", re.MULTILINE)


def sniff(text: str) -> int:
    """Sure when (nearly) every `arXiv:ID` follows an abstract; 0 for ids without prose
    before them (an id list), labelled fields or data formats that merely quote ids."""
    head = text[:200_000]
    if is_data_file(head) or _LABELS.search(head):
        return 0
    matches = list(_MARKER.finditer(head))
    markers = [match for match in matches if _starts_line(head, match.start())] or matches
    ends = [0] + [match.end() for match in markers]
    abstracts = sum(
        1 for end, match in zip(ends, markers, strict=False) if is_prose(head[end : match.start()])
    )
    if not abstracts or abstracts < 0.8 * len(markers):
        return 0
    return 80 + min(abstracts, 19)


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    lines = LineIndex(text)
    position = 0
    # An id starts its line in every layout we know; one inside a comment ("extends
    # arXiv:2301.01234") is text, unless the whole listing is one line.
    matches = list(_MARKER.finditer(text))
    at_line_start = [match for match in matches if _starts_line(text, match.start())]
    for match in at_line_start or matches:
        body_end = match.start()
        doi, resume = _split_doi(match)
        record = _record(text[position:body_end], lines.line_of(_skip_space(text, position)))
        if record is None:  # two ids in a row: the id alone is still a paper reference
            record = ListingRecord(line=lines.line_of(match.start()))
        parsed = parse_arxiv_id(match["id"])
        record.arxiv_id, record.arxiv_version = parsed if parsed else (match["id"], None)
        if match["version"]:
            record.arxiv_version = int(match["version"])
        record.doi = doi
        if match["created"]:
            try:
                record.published = date.fromisoformat(match["created"])
                record.published_precision = DatePrecision.DAY
            except ValueError:
                result.warnings.append(
                    (lines.line_of(match.start("created")), f"bad date {match['created']}")
                )
        result.records.append(record)
        position = resume
    rest = text[position:]
    if rest.strip():
        result.rejected.append(
            Rejected(
                lines.line_of(_skip_space(text, position)),
                "text after the last arXiv id has no id of its own (listing cut off?)",
            )
        )
    return result


def _split_doi(match: re.Match[str]) -> tuple[str | None, int]:
    """The DOI and where the next record starts, parting a DOI glued to an abstract."""
    doi = match["doi"]
    if not doi:
        return None, match.end()
    if match["created"] is None:
        split = _DOI_RUNS_ON.search(doi, pos=doi.index("/") + 1)
        if split:
            return doi[: split.start()], match.start("doi") + split.start()
    return doi.rstrip(".,;"), match.end()


def _starts_line(text: str, position: int) -> bool:
    """Whether only spaces stand between `position` and the start of its line."""
    before = text.rfind("\n", 0, position) + 1
    return not text[before:position].strip(" \t")


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _record(body: str, line: int) -> ListingRecord | None:
    """Split a record's text into abstract and comment line."""
    blocks = [b for b in re.split(r"\n[ \t]*\n", body.strip()) if b.strip()]
    if not blocks:
        return None
    comment = None
    if len(blocks) >= 2:
        last = blocks[-1].strip()
        if "\n" not in last and len(last) <= COMMENT_MAX:
            comment = last
            blocks = blocks[:-1]
        abstract = " ".join(blocks)
    else:
        rows = [row.strip() for row in blocks[0].split("\n") if row.strip()]
        if len(rows) >= 2 and len(rows[-1]) <= COMMENT_MAX:
            unwrapped = max(len(row) for row in rows[:-1]) > COMMENT_MAX
            if unwrapped or _COMMENT_HINT.search(rows[-1]):
                comment = rows.pop()
        abstract = " ".join(rows)
    return ListingRecord(line=line, abstract=clean_text(abstract), comment=clean_text(comment))
