"""Listing parsers behind one registry: a new format is one module and one line here.

Each parser module has `NAME`, `DESCRIPTION`, `sniff(text) -> int` (0 when the text
is not its format, higher the surer) and `parse(text, options) -> ParsedListing`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from models.core.text import clean_block, clean_text, path_label
from models.ingest.formats import (
    abstract_lines,
    arxiv_atom,
    arxiv_listing,
    arxiv_mail,
    arxiv_page,
    bibtex_file,
    csl_json,
    hf_daily,
    ris_file,
)
from models.ingest.formats.foreign import foreign_format
from models.ingest.record import (
    Announcement,
    ListingError,
    ListingRecord,
    ParsedListing,
    ParseOptions,
    Rejected,
)

PARSERS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        arxiv_listing,
        abstract_lines,
        hf_daily,
        bibtex_file,
        arxiv_atom,
        arxiv_page,
        arxiv_mail,
        ris_file,
        csl_json,
    )
}

#: The winner's score must be this many times the runner-up's, or no format is sure.
CLEAR_LEAD = 1.5
MAX_LISTING_BYTES = 512 << 20  # about half a million papers; more is a mistake or a stream
BINARY_CHECK_BYTES = 65536  # a NUL byte this early means a binary file
CHUNK_BYTES = 1 << 20
STDIN = "-"
#: Sniffers of formats with a syntax of their own score this or more; text sniffers less.
STRUCTURED_SCORE = 150
#: Byte order marks of UTF-16 (some Windows tools write it): its NUL bytes are text.
_UTF16 = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}

__all__ = [
    "PARSERS",
    "Announcement",
    "ListingError",
    "ListingRecord",
    "ParseOptions",
    "ParsedListing",
    "Rejected",
    "clean_block",
    "clean_text",
    "path_label",
    "check_found",
    "parse_listing",
    "read_listing",
    "read_listing_bytes",
    "read_listing_text",
    "source_label",
]


def read_listing_text(path: Path, warnings: list[tuple[int, str]] | None = None) -> str:
    """A listing file's text with `\\n` line ends; one-line errors for what is not text."""
    return decode_listing(read_listing_bytes(path), path_label(path), warnings)


def read_listing_bytes(path: Path) -> bytes:
    """A listing's bytes, read once: a pipe, a FIFO or `-` (standard input) is read whole,
    so deciding its format later looks at these bytes, never at the stream again."""
    label = path_label(path)
    if str(path) == STDIN:
        return _checked(_read_capped(sys.stdin.buffer, label), label)
    try:
        with path.open("rb") as file:
            data = _read_capped(file, label)
    except IsADirectoryError:
        raise ListingError(label, 1, "is a directory, not a listing file") from None
    except FileNotFoundError:
        raise ListingError(label, 1, "no such file") from None
    except OSError as error:
        raise ListingError(label, 1, f"cannot read ({error.strerror or error})") from None
    return _checked(data, label)


def source_label(path: Path) -> str:
    """How the library records where papers came from: a file by its full path, a
    stream (`-`, `/dev/stdin`, a pipe) by the name it was given."""
    if str(path) == STDIN:
        return "<stdin>"
    try:
        regular = path.is_file()
    except OSError:
        regular = False
    return path_label(path.resolve() if regular else path.absolute())


def _checked(data: bytes, label: str) -> bytes:
    if not data or data.isspace():  # isspace stops at the first other byte; strip copies
        raise ListingError(label, 1, "empty file: no papers in it")
    return data


def decode_listing(data: bytes, label: str, warnings: list[tuple[int, str]] | None) -> str:
    """UTF-8 (a BOM dropped), else Windows-1252 with a warning; `\\n` line ends."""
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


def _read_capped(file: BinaryIO, label: str) -> bytes:
    """The stream's bytes, refusing binary data at its start and anything past the cap, so
    `/dev/zero`, `/dev/urandom` or an endless pipe cannot fill the memory."""
    chunks: list[bytes] = []
    size = 0
    utf16 = False
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
    """The parser whose format the text clearly looks like, or None when none is sure (also
    for a format papershelf knows it does not read)."""
    scores = sorted(
        ((module.sniff(text), module) for module in PARSERS.values()),
        key=lambda pair: pair[0],
        reverse=True,
    )
    (best, module), (runner_up, _) = scores[0], scores[1]
    if best >= STRUCTURED_SCORE:  # BibTeX, RIS, CSL-JSON, Atom: sure of their syntax
        return module
    clear = best > 0 and best >= CLEAR_LEAD * runner_up
    return module if clear and foreign_format(text) is None else None


def parse_listing(
    path: Path, options: ParseOptions, format_name: str | None = None, data: bytes | None = None
) -> tuple[str, ParsedListing]:
    """Read (unless its bytes are given) and parse one listing file, every record made:
    its format's name and what the parser found."""
    name, parsed = read_listing(path, options, format_name, data)
    check_found(path, name, parsed)
    return name, parsed


def read_listing(
    path: Path, options: ParseOptions, format_name: str | None = None, data: bytes | None = None
) -> tuple[str, ParsedListing]:
    """`parse_listing`, but the records a parser leaves pending are made (and gated) as
    `parsed.each_record()` asks for them; `check_found` then says whether there were any.
    Both raise ListingError for a file that cannot be read as its format."""
    warnings: list[tuple[int, str]] = []
    label = path_label(path)
    if data is None:
        data = read_listing_bytes(path)
    text = decode_listing(data, label, warnings)
    if format_name:
        module = PARSERS.get(format_name)
        if module is None:
            known = ", ".join(PARSERS)
            raise ListingError(label, 1, f"unknown format {format_name!r} (known: {known})")
    else:
        module = detect_format(text)
        if module is None:
            raise ListingError(
                label,
                1,
                "unknown listing format (expected an arXiv listing, page copy or e-mail digest, "
                "'Abstract:' lines, a Hugging Face daily-papers page, BibTeX, RIS, CSL-JSON or "
                "arXiv API XML; "
                "--format chooses one)",
            )
    with _read_as(label, module.NAME):
        parsed = module.parse(text, options)
    if parsed.pending is not None:
        parsed.pending = _made_as(label, module.NAME, parsed.pending)
    parsed.gate()
    parsed.warnings[:0] = warnings
    return module.NAME, parsed


def check_found(path: Path, name: str, parsed: ParsedListing) -> None:
    """Raise ListingError when the file held no papers (once its records are made); a
    BibTeX file of `@string` macros alone is read, for the other files of its import."""
    if not parsed.records and not (parsed.definitions and not parsed.rejected):
        reason = parsed.rejected[0].reason if parsed.rejected else "no papers found"
        line = parsed.rejected[0].line if parsed.rejected else 1
        raise ListingError(path_label(path), line, f"no papers found as {name} ({reason})")


@contextmanager
def _read_as(label: str, name: str) -> Iterator[None]:
    """A number of thousands of digits, a date past year 9999, braces nested past
    Python's stack: the file's fault, so one line for it, not a traceback."""
    try:
        yield
    except (ValueError, OverflowError, RecursionError) as error:
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise ListingError(label, 1, f"cannot read as {name} ({reason})") from None


def _made_as(label: str, name: str, records: Iterator[ListingRecord]) -> Iterator[ListingRecord]:
    with _read_as(label, name):
        yield from records
