"""What a text is shaped like, for the sniffers of the plain-text formats.

A plain-text listing (an arXiv copy, `Abstract:` lines, a Hugging Face page) is prose
in paragraphs. Markup, data and tagged bibliography formats (XML, JSON, BibTeX, RIS,
MEDLINE, ISI, EndNote, YAML such as `CITATION.cff`) are not, whatever words they
contain: a sniffer that sees one declines it, so such a file is refused, not misread.
"""

from __future__ import annotations

import re

HEAD_CHARS = 200_000
#: YAML keys (`title:`, `- given-names:`), RIS/MEDLINE tags (`TY  - `, `PMID- `), ISI tags.
_FIELD_LINE = re.compile(
    r"^(?:\s*(?:-\s+)?[a-z][\w-]*:(?:\s|$)|[A-Z][A-Z0-9]{1,3}\s*- |[A-Z][A-Z0-9] \S)"
)
_TAGGED_START = re.compile(r"(?:FN |PMID- |TY  - |%0 )")
_BIBTEX_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_JSON_START = re.compile(r"(?:\{|\[\s*[\[{\"\]])")
_WORD = re.compile(r"[^\W\d_]+")


def is_data_file(text: str) -> bool:
    """Whether the text is markup, data or a tagged bibliography format, not prose."""
    head = text[:HEAD_CHARS]
    start = head.lstrip()
    if start[:1] == "<" or _JSON_START.match(start) or _TAGGED_START.match(start):
        return True
    if _BIBTEX_ENTRY.search(head):
        return True
    return field_share(head.split("\n")) >= 0.5


def field_share(lines: list[str]) -> float:
    """The share of the non-blank, non-comment lines that are data fields or tags."""
    lines = [line for line in lines if line.strip() and not line.startswith("#")]
    if not lines:
        return 0.0
    return sum(1 for line in lines if _FIELD_LINE.match(line)) / len(lines)


def is_prose(text: str, *, min_words: int = 2) -> bool:
    """Whether a block reads as sentences (an abstract), not as fields, ids or code."""
    words = _WORD.findall(text)
    if len(words) < min_words:
        return False
    letters = sum(len(word) for word in words)
    return letters >= 0.6 * len(text.replace(" ", "").replace("\n", ""))
