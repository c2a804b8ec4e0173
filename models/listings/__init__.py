"""Listing parsers behind one registry: a new format is one module and one line here.

Each parser module has `NAME`, `DESCRIPTION`, `sniff(text) -> int` (0 when the text
is not its format, higher the surer) and `parse(text, options) -> ParsedListing`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from models.listings import (
    abstract_lines,
    arxiv_atom,
    arxiv_listing,
    bibtex_file,
    csl_json,
    hf_daily,
    ris_file,
)
from models.listings.foreign import foreign_format
from models.listings.record import (
    ListingError,
    ListingRecord,
    ParsedListing,
    ParseOptions,
    Rejected,
    clean_block,
    clean_text,
    path_label,
)

PARSERS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        arxiv_listing,
        abstract_lines,
        hf_daily,
        bibtex_file,
        arxiv_atom,
        ris_file,
        csl_json,
    )
}

MAX_LISTING_BYTES = 512 << 20  # about half a million papers; more is a mistake or a stream
BINARY_CHECK_BYTES = 65536  # a NUL byte this early means a binary file
CHUNK_BYTES = 1 << 20
#: Sniffers of formats with a syntax of their own score this or more; text sniffers less.
STRUCTURED_SCORE = 150
#: Byte order marks of UTF-16 (some Windows tools write it): its NUL bytes are text.
_UTF16 = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}

__all__ = [
    "PARSERS",
    "ListingError",
    "ListingRecord",
    "ParseOptions",
    "ParsedListing",
    "Rejected",
    "clean_block",
    "clean_text",
    "path_label",
    "parse_listing",
    "read_listing_text",
]


def read_listing_text(path: Path, warnings: list[tuple[int, str]] | None = None) -> str:
    """A listing file's text with `\\n` line ends; one-line errors for what is not text."""
    label = path_label(path)
    if path.is_dir():
        raise ListingError(label, 1, "is a directory, not a listing file")
    try:
        data = _read_capped(path, label)
    except FileNotFoundError:
        raise ListingError(label, 1, "no such file") from None
    except OSError as error:
        raise ListingError(label, 1, f"cannot read ({error.strerror or error})") from None
    if not data or data.isspace():  # isspace stops at the first other byte; strip copies
        raise ListingError(label, 1, "empty file: no papers in it")
    try:
        text = data.decode(_UTF16.get(data[:2], "utf-8-sig"))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("cp1252", errors="replace")
        if warnings is not None:
            warnings.append((line, "not UTF-8; read as Windows-1252/Latin-1"))
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_capped(path: Path, label: str) -> bytes:
    """The file's bytes, refusing binary data at its start and anything past the cap, so
    `/dev/zero`, `/dev/urandom` or an endless pipe cannot fill the memory."""
    chunks: list[bytes] = []
    size = 0
    utf16 = False
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            if not chunks:
                utf16 = chunk[:2] in _UTF16
            if not utf16 and size < BINARY_CHECK_BYTES and (nul := chunk.find(b"\x00")) >= 0:
                line = sum(part.count(b"\n") for part in chunks) + chunk.count(b"\n", 0, nul) + 1
                raise ListingError(label, line, "binary file (NUL byte), not a text listing")
            size += len(chunk)
            if size > MAX_LISTING_BYTES:
                raise ListingError(
                    label,
                    1,
                    f"larger than {MAX_LISTING_BYTES >> 20} MiB: split it into smaller files",
                )
            chunks.append(chunk)
    return b"".join(chunks)


def detect_format(text: str) -> ModuleType | None:
    """The parser whose format the text most looks like, or None (also for a format that
    papershelf knows it does not read)."""
    scores = [(module.sniff(text), module) for module in PARSERS.values()]
    score, module = max(scores, key=lambda pair: pair[0])
    if score >= STRUCTURED_SCORE:  # BibTeX, RIS, CSL-JSON, Atom: sure of their syntax
        return module
    return module if score > 0 and foreign_format(text) is None else None


def parse_listing(
    path: Path, options: ParseOptions, format_name: str | None = None
) -> tuple[str, ParsedListing]:
    """Read and parse one listing file: its format's name and what the parser found."""
    warnings: list[tuple[int, str]] = []
    text = read_listing_text(path, warnings)
    if format_name:
        module = PARSERS.get(format_name)
        if module is None:
            known = ", ".join(PARSERS)
            raise ListingError(
                path_label(path), 1, f"unknown format {format_name!r} (known: {known})"
            )
    else:
        module = detect_format(text)
        if module is None:
            raise ListingError(
                path_label(path),
                1,
                "unknown listing format (expected an arXiv listing, 'Abstract:' lines, a "
                "Hugging Face daily-papers page, BibTeX, RIS, CSL-JSON or arXiv API XML; "
                "--format chooses one)",
            )
    parsed = module.parse(text, options)
    parsed.warnings[:0] = warnings
    if not parsed.records and not (parsed.definitions and not parsed.rejected):
        reason = parsed.rejected[0].reason if parsed.rejected else "no papers found"
        line = parsed.rejected[0].line if parsed.rejected else 1
        raise ListingError(path_label(path), line, f"no papers found as {module.NAME} ({reason})")
    return module.NAME, parsed
