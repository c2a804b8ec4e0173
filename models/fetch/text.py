"""Reading what services send: XML and JSON parsed safely, text made plain.

XML goes through defusedxml with DTDs forbidden, so no entity can expand or reach
outside the document; an HTML page or a cut-off body is named as such.

XML parsing already decodes one level of entities; feeds often escape twice
(`&amp;amp;`, `&lt;i&gt;`), and Crossref abstracts carry JATS tags (`<jats:p>`).
Only tags of the HTML, JATS and MathML vocabularies are removed, so a formula such
as `x <y and z> w` in an abstract stays as it was written.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree

from defusedxml import (  # type: ignore[import-untyped]
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml import ElementTree as DefusedElementTree  # type: ignore[import-untyped]

from models.core.text import clean_text

_INLINE_TAGS = (
    "a|abbr|b|big|blockquote|br|cite|code|div|em|font|h[1-6]|i|li|ol|p|pre|s|small|span"
    "|strike|strong|sub|sup|tt|u|ul"
)
_MARKUP = re.compile(
    rf"</?(?:(?:{_INLINE_TAGS})|(?:jats|mml|xhtml):[A-Za-z][\w.-]*)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_BLOCK = re.compile(r"</?(?:blockquote|br|div|h[1-6]|li|ol|p|pre|ul|jats:p|jats:title)\b", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def plain_text(text: str | None) -> str | None:
    """One line of displayable plain text, or None when nothing is left."""
    if not text:
        return None
    for _ in range(2):  # twice: a tag can hide behind one more level of escaping
        if _ENTITY.search(text):
            text = html.unescape(text)
        if "<" in text:
            text = _MARKUP.sub(_replacement, text)
    return clean_text(text)


def _replacement(tag: re.Match[str]) -> str:
    """A block tag separates words; an inline one (`<i>`, `<sub>`) sits inside a word."""
    return " " if _BLOCK.match(tag[0]) else ""


HTML_PAGE = "not a feed: an HTML page (an error or login page?)"


class FeedFormatError(ValueError):
    """An answer that is not the feed or document it should be; the message says what it is."""


def parse_xml(data: bytes) -> ElementTree.Element:
    """The document's root; refuses DTDs and entity declarations (no feed we read has one)."""
    if not data.strip():
        raise FeedFormatError("the answer is empty")
    if _is_html(data):  # before parsing: an HTML page's doctype is no reason to name
        raise FeedFormatError(HTML_PAGE)
    try:
        return DefusedElementTree.fromstring(data, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise FeedFormatError("refused: the XML declares a DTD or entities") from None
    except ElementTree.ParseError as error:
        raise FeedFormatError(f"{_looks_like(data)} ({error})") from None


def parse_json(data: bytes) -> object:
    """The decoded JSON document, or FeedFormatError saying what the answer looks like."""
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedFormatError(f"{_looks_like(data)} ({error})") from None


def _is_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _looks_like(data: bytes) -> str:
    """What a body that failed to parse seems to be: an HTML page, or a cut-off document."""
    if not data.strip():
        return "the answer is empty"
    if _is_html(data):
        return HTML_PAGE
    return "not well-formed (cut off, or not this format)"
