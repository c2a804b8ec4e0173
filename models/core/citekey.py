"""The base of a paper's citation key, `vaswani2017attention`, stored with the paper.

First author's family name, the year when the paper has one (at any precision), and
the title's first significant word. The `b`, `c`, ... that tell papers sharing a base
apart are given at export (`models.export.citekeys`), in the order papers joined.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from models.core.names import PersonName, family_name, structured_names

#: Small words the key skips to reach the title's first significant one.
_SMALL_WORDS = (
    "a an and are as at by do does for from how in is it of on or the to towards via what when "
    "where which who why with"
)
STOPWORDS = frozenset(_SMALL_WORDS.split())
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [word for word in _NOT_KEY.split(folded) if word]


def base_key(
    authors: list[str] | None,
    title: str | None,
    published: date | None,
    names: list[PersonName] | None = None,
) -> str:
    """`vaswani2017attention`; `anon` without authors, no year or word when unknown."""
    family = ""
    people = structured_names(authors[:1] if authors else None, names[:1] if names else None)
    if people:
        family = "".join(_ascii_words(family_name(people[0])))
    words = _ascii_words(title or "")
    word = next((w for w in words if w not in STOPWORDS), words[0] if words else "")
    return f"{family or 'anon'}{published.year if published else ''}{word}"
