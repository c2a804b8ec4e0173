"""Personal names with their structure: family, given, prefix ("van"), suffix ("Jr."), or a
literal corporate name, split by BibTeX's "First von Last", "von Last, First" and
"von Last, Jr, First" rules.

`split_bibtex_name` reads a name as a `.bib` file writes it (braces protect words, a
name braced whole is a literal); `split_display_name` reads the plain display names
other listings give, where a lowercase or well-known particle ("van", "De") starts the
family part. `display_name` is the one-line form the library shows and searches.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: A name as stored: keys from family, given, prefix, suffix, literal; empty ones left out.
PersonName = dict[str, str]

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_TIE = re.compile(r"(?<!\\)~")
_LATEX = re.compile(r"[{}\\~$%&_^]|--|``|''")
#: A BibTeX special character, `{\\'e}` or `{\\ss}`: its case is its letter's.
_SPECIAL = re.compile(r"\{\\[A-Za-z]+\s*\{?\s*([A-Za-z])|\{\\.\s*\{?([A-Za-z])")
#: Particles that start a family name even when capitalised in plain text ("Van Noorden").
PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "dei", "degli", "di", "da", "das", "do",
     "dos", "du", "la", "le", "les", "lo", "ten", "ter", "zu", "zum", "zur", "af", "av", "al",
     "el", "bin", "ibn", "st")
)  # fmt: skip
SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "2nd", "3rd"))


def split_author_field(field: str) -> list[str]:
    """Split a BibTeX name list on ` and ` outside braces; `others` stays a name."""
    if "{" not in field:  # the common case, one regex split in C
        return [part for part in (p.strip() for p in _AND.split(field)) if part]
    parts, depth, start = [], 0, 0
    for position, char in enumerate(field):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isspace():
            match = _AND.match(field, position)
            if match:
                parts.append(field[start:position])
                start = match.end()
    parts.append(field[start:])
    return [part for part in (p.strip() for p in parts) if part]


def _split_top(text: str, separators: str) -> list[str]:
    """Split on any of `separators` outside braces."""
    if "{" not in text:
        return re.split(f"[{re.escape(separators)}]", text)
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth == 0 and char in separators:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def _words(text: str) -> list[str]:
    text = _TIE.sub(" ", text) if "~" in text else text  # a tie, not the accent `\~n`
    if "{" not in text:
        return text.split()
    return [word for word in _split_top(text, " \t\n") if word]


def _bibtex_case(word: str) -> str:
    """'l', 'u' or '' (caseless): BibTeX's case of a word, by its first letter outside braces,
    or inside a special character `{\\'e}`."""
    if word[:1].isalpha():
        return "l" if word[0].islower() else "u"
    depth = 0
    position = 0
    while position < len(word):
        char = word[position]
        if char == "{":
            if depth == 0 and word.startswith("{\\", position):
                match = re.match(
                    r"\{\\[A-Za-z]+\s*\{?\s*([A-Za-z])|\{\\.\s*\{?([A-Za-z])", word[position:]
                )
                if match:
                    letter = match[1] or match[2]
                    return "l" if letter.islower() else "u"
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isalpha():
            return "l" if char.islower() else "u"
        position += 1
    return ""


def _plain_case(word: str) -> str:
    if word.lower().rstrip(".") in PARTICLES:
        return "l"
    return "l" if word[:1].islower() else "u"


def _split(text: str, case: Callable[[str], str]) -> PersonName:
    parts = [part.strip() for part in _split_top(text, ",")]
    if len(parts) == 1:
        words = _words(parts[0])
        suffix: list[str] = []
        if case is _plain_case and len(words) > 2 and words[-1].lower() in SUFFIXES:
            suffix = words[-1:]  # "Martin Luther King Jr."
            words = words[:-1]
        if not words:
            return {}
        # "First von Last": von runs from the first to the last lowercase word before Last
        lower = [i for i, word in enumerate(words[:-1]) if case(word) == "l"]
        if case is _plain_case:
            lower = [i for i in lower if i > 0]  # plain text: a given name comes first
        if lower:
            start, end = lower[0], lower[-1] + 1
            given, prefix, family = words[:start], words[start:end], words[end:]
        else:
            given, prefix, family = words[:-1], [], words[-1:]
        return _name(given, prefix, family, suffix)
    von_last = _words(parts[0])
    suffix = _words(parts[1]) if len(parts) > 2 else []
    given = _words(" ".join(parts[2:] if len(parts) > 2 else parts[1:]))
    lower = [i for i, word in enumerate(von_last[:-1]) if case(word) == "l"]
    end = lower[-1] + 1 if lower else 0
    return _name(given, von_last[:end], von_last[end:], suffix)


def _name(given: list[str], prefix: list[str], family: list[str], suffix: list[str]) -> PersonName:
    name = {
        "family": " ".join(family),
        "given": " ".join(given),
        "prefix": " ".join(prefix),
        "suffix": " ".join(suffix),
    }
    return {key: value for key, value in name.items() if value}


def split_bibtex_name(raw: str, decode: Callable[[str], str]) -> PersonName:
    """One name of a `.bib` author field, its parts decoded from LaTeX with `decode`."""
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and _encloses_whole(raw):
        inner = raw[1:-1]
        if not inner.startswith("\\") or " " in inner:  # `{\"O}` alone is a special character
            literal = decode(inner)
            return {"literal": literal} if literal else {}
    plain = raw.isprintable() and not _LATEX.search(raw)  # plain text: nothing to decode
    if plain and raw.count(",") == 1:  # `Family, Given`, the commonest form: no von to find
        family, given = raw.split(",")
        family_words = family.split()
        if len(family_words) == 1:
            given = " ".join(given.split())
            return (
                {"family": family_words[0], "given": given}
                if given
                else {"family": family_words[0]}
            )
    parts = _split(raw, _bibtex_case)
    if plain:
        return parts
    decoded = {key: decode(value) for key, value in parts.items()}
    return {key: value for key, value in decoded.items() if value}


def _encloses_whole(text: str) -> bool:
    depth = 0
    for position, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return depth == 0


def split_display_name(text: str) -> PersonName:
    """A plain display name ("Richard Van Noorden", "Noorden, Richard Van") with its parts;
    one holding the word "and" is a literal (a committee, "Texas A and M")."""
    text = " ".join(text.split())
    if not text:
        return {}
    if _AND.search(text) or "{" in text or "}" in text:
        return {"literal": text}
    words = text.split(" ")
    if len(words) == 2 and not any(mark in text for mark in ",{}"):  # "Ashish Vaswani"
        return {"family": words[1], "given": words[0]}  # (a plain given name comes first)
    head, comma, tail = text.rpartition(",")
    if comma and tail.strip().lower() in SUFFIXES and "," not in head:  # our own display form
        return _split(head, _plain_case) | {"suffix": tail.strip()}
    return _split(text, _plain_case)


def display_name(name: PersonName) -> str:
    """`Given prefix Family, Suffix`, or the literal."""
    if "literal" in name:
        return name["literal"]
    words = [name.get("given"), name.get("prefix"), name.get("family")]
    text = " ".join(word for word in words if word)
    return f"{text}, {name['suffix']}" if name.get("suffix") else text


def family_name(name: PersonName) -> str:
    """What a citation key starts with: the family name, or a literal's first word."""
    if "literal" in name:
        words = name["literal"].split()
        return words[0] if words else ""
    return name.get("family") or name.get("given") or ""


def split_display_names(authors: list[str] | None) -> list[PersonName] | None:
    """The structure of display names, one for each (None for none): what a listing that
    gives names as plain text (arXiv, Hugging Face) stores beside them."""
    return [split_display_name(author) for author in authors] if authors else None


def structured_names(authors: list[str] | None, names: list[PersonName] | None) -> list[PersonName]:
    """The stored structure, or for papers stored before it, the display names split."""
    if names:
        return names
    return [split_display_name(author) for author in authors or []]
