"""RIS files (`.ris`: EndNote, Zotero, Mendeley, Scopus, Web of Science exports).

A record runs from `TY  - TYPE` to `ER  -`; each line is `XX  - value`, and a line
without a tag continues the value before it. Read: `TI`/`T1` title, `AU`/`A1` authors
(`Family, Given, Suffix`), `PY`/`Y1`/`DA` dates (`2001/09/01/`, `2001//`, `2004`) with
their precision, `AB`/`N2` abstract, `DO` and `UR` identifiers (DOIs and arXiv ids in
any URL form), `T2`/`JO`/`JF`/`JA`/`BT` venue, `VL` volume and `KW` keywords.
"""

from __future__ import annotations

import re
from datetime import date

from models.core.names import PersonName, display_name, split_display_name
from models.core.text import clean_text
from models.core.values import DatePrecision
from models.ingest.formats.bibtex_entry import arxiv_of, doi_of
from models.ingest.record import ListingRecord, ParsedListing, ParseOptions, Rejected

NAME = "ris"
DESCRIPTION = "RIS file: TY  - ... ER  - records (EndNote, Zotero, Scopus)"

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_START = re.compile(r"^\ufeff?\s*TY  - ?\S", re.MULTILINE)
_END = re.compile(r"^ER  -", re.MULTILINE)
_RIS_DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?")
_VENUES = ("T2", "JO", "JF", "JA", "BT", "T3")


def sniff(text: str) -> int:
    """Sure of RIS when records start with `TY  - ` and one ends with `ER  -`."""
    head = text[:200_000]
    starts = len(_START.findall(head))
    return 190 + min(starts, 50) if starts and _END.search(head) else 0


def parse(text: str, options: ParseOptions) -> ParsedListing:
    result = ParsedListing()
    fields: dict[str, list[str]] | None = None
    start, last_tag = 0, ""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.lstrip("\ufeff").rstrip()
        match = _TAG.match(line)
        if match is None:
            if fields is not None and last_tag and line.strip():
                fields[last_tag][-1] += " " + line.strip()  # a wrapped value
            continue
        tag, value = match[1], (match[2] or "").strip()
        if tag == "TY":
            if fields is not None:
                result.rejected.append(
                    Rejected(start, "record not closed by ER before the next TY")
                )
            fields, start, last_tag = {}, number, ""
        elif fields is None:
            continue  # a tag outside a record: an export's header
        elif tag == "ER":
            _finish(result, fields, start)
            fields = None
        else:
            fields.setdefault(tag, []).append(value)
            last_tag = tag
    if fields is not None:
        result.rejected.append(Rejected(start, "record cut off (no ER line)"))
    return result


def _first(fields: dict[str, list[str]], *tags: str) -> str | None:
    for tag in tags:
        for value in fields.get(tag, ()):
            text = clean_text(value)
            if text:
                return text
    return None


def _finish(result: ParsedListing, fields: dict[str, list[str]], line: int) -> None:
    names = [ris_person(value) for value in fields.get("AU", []) + fields.get("A1", [])]
    names = [name for name in names if name]
    urls = " ".join(fields.get("UR", []) + fields.get("L2", []))
    ids = {"doi": _first(fields, "DO") or "", "url": urls, "note": _first(fields, "M3", "AN") or ""}
    record = ListingRecord(
        line=line,
        title=_first(fields, "TI", "T1", "CT"),
        abstract=_first(fields, "AB", "N2"),
        author_names=names or None,
        authors=[display_name(name) for name in names] or None,
        doi=doi_of(ids),
        venue=_first(fields, *_VENUES),
        volume=_first(fields, "VL"),
    )
    arxiv = arxiv_of(ids)
    if arxiv:
        record.arxiv_id, record.arxiv_version = arxiv
    dated = ris_date(_first(fields, "PY", "Y1", "DA") or "", _first(fields, "DA") or "")
    if dated:
        record.published, record.published_precision = dated
    keywords = [clean_text(value) for value in fields.get("KW", [])]
    record.keywords = [word for word in keywords if word] or None
    if record.is_empty():
        result.rejected.append(Rejected(line, "no title, abstract, arXiv id or DOI"))
    else:
        result.records.append(record)


def ris_person(value: str) -> PersonName:
    """`Family, Given, Suffix` (RIS's order); a name without a comma is an organisation's,
    as RIS writers put persons family name first."""
    text = clean_text(value) or ""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) == 1:
        return {"literal": text} if text else {}
    if len(parts) == 3 and parts[0] and parts[2]:
        return split_display_name(f"{parts[0]}, {parts[1]}") | {"suffix": parts[2]}
    return split_display_name(text)


def ris_date(year_text: str, full_text: str) -> tuple[date, DatePrecision] | None:
    """The most precise of `PY` and `DA`: `2001/09/01/`, `2001/09//`, `2001///`, `2004`."""
    best: tuple[date, DatePrecision] | None = None
    for text in (full_text, year_text):
        match = _RIS_DATE.match(text)
        if not match or not 1 <= int(match[1]) <= 9999:
            continue
        year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
        try:
            if 1 <= month <= 12 and day:
                found = (date(year, month, day), DatePrecision.DAY)
            elif 1 <= month <= 12:
                found = (date(year, month, 1), DatePrecision.MONTH)
            else:
                found = (date(year, 1, 1), DatePrecision.YEAR)
        except ValueError:
            found = (date(year, month, 1), DatePrecision.MONTH)
        if best is None or _DETAIL[found[1]] > _DETAIL[best[1]]:
            best = found
    return best


_DETAIL = {DatePrecision.YEAR: 1, DatePrecision.MONTH: 2, DatePrecision.DAY: 3}
