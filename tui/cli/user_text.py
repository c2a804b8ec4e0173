"""Text the user gives on the command line or through a pipe, made storable."""

from __future__ import annotations

import sys

from models.core.text import clean_block


def decode_input(data: bytes) -> str:
    """Bytes typed or piped in: UTF-8 (a BOM dropped), else Windows-1252 as listings are read."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def user_text(value: str) -> str:
    """An argument as the user meant it, cleaned as every text entering the library is
    (escapes and controls dropped, line breaks kept). Python keeps bytes that are not
    UTF-8 as lone surrogates, which no database can store; they are decoded like piped
    input instead."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = decode_input(value.encode("utf-8", "surrogateescape"))
    return clean_block(value)


def read_stdin() -> str:
    """What was piped in, decoded by `decode_input` (text as is when stdin has no bytes)."""
    buffer = getattr(sys.stdin, "buffer", None)
    return clean_block(decode_input(buffer.read()) if buffer is not None else sys.stdin.read())
