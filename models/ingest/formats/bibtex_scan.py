"""A fast path for splitting `.bib` text into blocks, with bibtexparser 2 behind it.

bibtexparser 2's splitter walks the text mark by mark in Python, and that walk alone is
most of an import's time. Well-formed entries (nearly all of them) are split here with
regular expressions that jump from brace to brace; the first thing this scanner does
not expect (an unbalanced brace, a stray character) hands that entry's text, up to the
next entry, to bibtexparser's splitter, so odd input gets exactly its treatment and its
failed-block reporting. The corpus tests check both give the same entries.

Blocks are tuples: `("entry", line, type, key, [(field, raw value), ...])`,
`("string", line, name, raw value)` and `("failed", line, raw text)`; `@preamble`,
`@comment` and text between entries are skipped, as BibTeX skips them.
"""

from __future__ import annotations

import re
from typing import Any

Block = tuple[Any, ...]

_START = re.compile(r"@[ \t]*([A-Za-z_][\w:.+-]*)[ \t]*([{(])")
_LINE_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_KEY = re.compile(r"\s*([^\s,{}()=\"#]*)\s*([,})])")
_FIELD = re.compile(r"\s*([^\s=,{}\"#()]+)\s*=\s*")
#: The commonest field, `name = {text without braces}`, in one match instead of a walk.
_SIMPLE_FIELD = re.compile(r"\s*([^\s=,{}\"#()]+)\s*=\s*(\{[^{}]*\})\s*")
_BARE = re.compile(r"[\w:.+/'-]+")
_SPACE = re.compile(r"\s*")
_BRACES = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'["{}]')
_CLOSE = {"{": "}", "(": ")"}


class _NotFast(Exception):
    """The scanner met something it leaves to bibtexparser."""


def scan(text: str) -> list[Block]:
    blocks: list[Block] = []
    position, line, counted = 0, 1, 0
    while (start := _START.search(text, position)) is not None:
        line += text.count("\n", counted, start.start())
        counted = start.start()
        kind, close = start[1].lower(), _CLOSE[start[2]]
        try:
            if kind in ("comment", "preamble"):
                position = _skip_group(text, start.end() - 1, close)
            elif kind == "string":
                name, value, position = _string(text, start.end(), close)
                blocks.append(("string", line, name, value))
            else:
                key, fields, position = _entry(text, start.end(), close)
                blocks.append(("entry", line, start[1], key, fields))
        except _NotFast:
            after = _LINE_START.search(text, start.end())
            position = after.start() if after else len(text)
            blocks += _by_bibtexparser(text[start.start() : position], line)
    return blocks


def _skip_group(text: str, opening: int, close: str) -> int:
    if close == ")":
        end = text.find(")", opening)
        if end < 0:
            raise _NotFast
        return end + 1
    return _balanced(text, opening)


def _balanced(text: str, opening: int) -> int:
    """The position after the brace closing the one at `opening`."""
    depth = 0
    for brace in _BRACES.finditer(text, opening):
        depth += 1 if brace[0] == "{" else -1
        if depth == 0:
            return brace.end()
    raise _NotFast


def _quoted(text: str, opening: int) -> int:
    depth = 0
    for mark in _QUOTE_OR_BRACE.finditer(text, opening + 1):
        char = mark[0]
        if char == '"' and depth == 0:
            return mark.end()
        depth += 1 if char == "{" else -1 if char == "}" else 0
        if depth < 0:
            raise _NotFast
    raise _NotFast


def _value(text: str, position: int) -> tuple[str, int]:
    """A raw value (pieces joined by `#`) from `position`, and where it ends."""
    begin = position
    while True:
        char = text[position : position + 1]
        if char == "{":
            position = _balanced(text, position)
        elif char == '"':
            position = _quoted(text, position)
        else:
            bare = _BARE.match(text, position)
            if bare is None:
                raise _NotFast
            position = bare.end()
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text[position : position + 1] != "#":
            return text[begin:position].rstrip(), position
        position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]


def _entry(text: str, position: int, close: str) -> tuple[str, list[tuple[str, str]], int]:
    key = _KEY.match(text, position)
    if key is None or (key[2] != "," and key[2] != close):
        raise _NotFast
    fields: list[tuple[str, str]] = []
    position = key.end()
    if key[2] == close:
        return key[1], fields, position
    while True:
        simple = _SIMPLE_FIELD.match(text, position)
        if simple is not None and text[simple.end() : simple.end() + 1] != "#":
            fields.append((simple[1], simple[2]))
            position = simple.end()
        else:
            field = _FIELD.match(text, position)
            if field is None:
                end = _SPACE.match(text, position).end()  # type: ignore[union-attr]
                if text[end : end + 1] == close:  # after a trailing comma
                    return key[1], fields, end + 1
                raise _NotFast
            value, position = _value(text, field.end())
            fields.append((field[1], value))
        after = text[position : position + 1]
        if after == close:
            return key[1], fields, position + 1
        if after != ",":
            raise _NotFast
        position += 1


def _string(text: str, position: int, close: str) -> tuple[str, str, int]:
    field = _FIELD.match(text, position)
    if field is None:
        raise _NotFast
    value, position = _value(text, field.end())
    if text[position : position + 1] != close:
        raise _NotFast
    return field[1], value, position + 1


def _by_bibtexparser(chunk: str, line: int) -> list[Block]:
    """The blocks bibtexparser's splitter finds in one entry's text, on the file's lines."""
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock, String
    from bibtexparser.splitter import Splitter

    blocks: list[Block] = []
    for block in Splitter(bibstr=chunk).split().blocks:
        at = line + (block.start_line or 0)
        if isinstance(block, DuplicateBlockKeyBlock) and block.ignore_error_block:
            block = block.ignore_error_block
        if isinstance(block, String):
            blocks.append(("string", at, block.key, block.value))
        elif isinstance(block, Entry):
            fields = [(item.key, item.value) for item in block.fields]
            blocks.append(("entry", at, block.entry_type, block.key, fields))
        elif isinstance(block, ParsingFailedBlock):
            blocks.append(("failed", at, block.raw or ""))
    return blocks
