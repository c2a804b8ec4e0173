"""BibTeX and biblatex files (`.bib`), split by bibtexparser 2, decoded with pylatexenc.

Why bibtexparser 2's splitter and not its middlewares or pybtex: the splitter alone is
the tolerant part (every block with its line, a failed block kept apart instead of
dropping the file), and it leaves values raw, so `@string` macros can come from another
file of the same import and an undefined one stays text with a warning (its own
middleware raises). pybtex is stricter and several times slower. Well-formed entries
take a regex fast path (`bibtex_scan`) that gives the splitter's answer in a fraction
of its time; anything else goes to the splitter itself.

Every entry type is read (unknown ones are generic works); keyless entries
(EndNote, Springer, JabRef) and biblatex annotations (`TITLE+an`) are read too;
`crossref` children inherit what they lack from the parent. Tags are a reader's
state: `keywords` become tags only when the import asks for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from models.core.names import split_author_field
from models.ingest.formats.bibtex_entry import record_of
from models.ingest.formats.bibtex_scan import scan
from models.ingest.formats.bibtex_values import Macros
from models.ingest.record import ListingRecord, ParsedListing, ParseOptions

NAME = "bibtex"
DESCRIPTION = "BibTeX/biblatex file: @article/@misc/... entries (eprint, doi, abstract)"

__all__ = ["DESCRIPTION", "NAME", "parse", "sniff", "split_author_field", "string_macros"]

_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}
#: `@article{\n author = ...`: an entry with no key and no comma, which the splitter refuses.
_KEYLESS = re.compile(r"(@[ \t]*(?!string|comment|preamble)\w+[ \t]*[{(])(?=\s*[\w:+-]+\s*=)", re.I)
_STRING = re.compile(r"@[ \t]*string[ \t]*[{(]", re.IGNORECASE)
#: What a crossref child takes from its parent when it lacks it (biblatex's defaults, cut
#: to the fields papershelf keeps); the parent's title is the child's booktitle.
_INHERITED = ("booktitle", "journal", "journaltitle", "year", "date", "month", "day", "volume")

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its failures are our Rejected


def sniff(text: str) -> int:
    """Sure of BibTeX when entries start lines (`@article{key,`); a file of `@string`
    macros alone (`IEEEabrv.bib`) is BibTeX too."""
    kinds = [m[1].lower() for m in _ENTRY.finditer(text[:200_000])]
    entries = sum(1 for kind in kinds if kind not in _NOT_ENTRIES)
    if entries:
        return 200 + min(entries, 50)
    return 150 if "string" in kinds else 0


def string_macros(text: str, macros: Macros) -> None:
    """Define the `@string` macros of a file, so other files of the import can use them."""
    if not _STRING.search(text):
        return
    for block in scan(_only_strings(text)):
        if block[0] == "string":
            macros.define(block[2], block[3], block[1])


def _only_strings(text: str) -> str:
    """The `@string` blocks of a text alone, each up to the next line starting with `@`."""
    starts = [match.start() for match in _STRING.finditer(text)]
    return "\n".join(text[start : text.find("\n@", start) + 1 or len(text)] for start in starts)


def parse(text: str, options: ParseOptions) -> ParsedListing:
    macros: Macros = options.macros if options.macros is not None else Macros()
    macros.undefined = {}
    result = ParsedListing()
    entries: list[tuple[int, str, dict[str, str]]] = []
    strings = 0
    for block in scan(_KEYLESS.sub(r"\1,", text)):
        kind, line = block[0], block[1]
        if kind == "string":
            if block[2].strip():
                macros.define(block[2], block[3], line)
                strings += 1
        elif kind == "entry":
            fields = {}
            for name, value in block[4]:
                name = name.lower()
                if "+an" not in name:  # biblatex annotations describe a field, not the work
                    fields[name] = macros.resolve(value, line)
            entries.append((line, block[3], fields))
        else:
            key = _key_at(block[2])
            reason = f"{key}: entry not read (cut off, or its braces do not balance)"
            result.reject(line, reason)
    _inherit(entries)
    result.pending = _records(entries, result)
    result.definitions = strings
    for name, line in macros.undefined.items():
        result.warnings.append((line, f"undefined @string macro {name} kept as text"))
    return result


def _records(
    entries: list[tuple[int, str, dict[str, str]]], result: ParsedListing
) -> Iterator[ListingRecord]:
    """Each entry's record, made when asked for: the slow part of reading a `.bib`, so
    an import writes the first papers while the rest are made."""
    for line, key, fields in entries:
        record = record_of(fields, line)
        if record.is_empty():
            result.reject(line, f"{key or '?'}: no title, abstract, arXiv id or DOI")
        else:
            yield record


def _key_at(raw: str) -> str:
    match = _ENTRY.match(raw)
    return match[2] if match and match[2] else "?"


def _inherit(entries: list[tuple[int, str, dict[str, str]]]) -> None:
    """Fill crossref children from their parents (keys match case-insensitively)."""
    parents = {key.lower(): fields for _, key, fields in entries if key}
    for _, _, fields in entries:
        parent = parents.get(fields.get("crossref", "").strip().lower())
        if parent is None or parent is fields:
            continue
        if "booktitle" not in fields and "title" in parent and "journal" not in fields:
            fields["booktitle"] = parent["title"]
        for name in _INHERITED:
            if name not in fields and name in parent:
                fields[name] = parent[name]
