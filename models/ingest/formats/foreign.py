"""Formats papershelf does not read, recognised so that no text sniffer takes them for a
listing (a CITATION.cff has an `abstract:` line, a Zotero JSON export names arXiv ids)."""

from __future__ import annotations

import json
import re

_SIGNS = [
    ("CITATION.cff", re.compile(r"^cff-version:", re.MULTILINE)),
    ("PubMed .nbib", re.compile(r"^PMID- ?\d", re.MULTILINE)),
    ("Web of Science", re.compile(r"\A\ufeff?FN \w.*\n(?:VR .*\n)?", re.MULTILINE)),
    ("EndNote XML", re.compile(r"<xml>\s*<records>|<record>\s*<database", re.IGNORECASE)),
    ("MODS XML", re.compile(r"<mods(?:Collection)?[\s>]")),
]


def foreign_format(text: str) -> str | None:
    """The name of the unread format the text is in, or None when it may be a listing.
    Any JSON document is one: the JSON papershelf reads (CSL-JSON, its own backup) is
    recognised before this is asked."""
    head = text[:20_000]
    for name, sign in _SIGNS:
        if sign.search(head):
            return name
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        try:
            json.loads(stripped)
        except ValueError:
            return None
        return "JSON"
    return None
