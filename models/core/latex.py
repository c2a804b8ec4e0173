"""Plain text to BibTeX-safe LaTeX and back, for the BibTeX export and import.

`text_to_latex` writes no raw brace except balanced `{}` pairs, because BibTeX
counts every brace in a value, escaped or not, and spells `<`, `>` and `|` as
commands because the default LaTeX font prints them as other glyphs. `latex_to_text` reads that back
exactly, and also the accents, escapes and grouping braces found in the wild;
math between `$` signs is kept as written.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters LaTeX gives a meaning to, and the text commands that print them.
_ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_SYMBOLS = {
    "textbraceleft": "{",
    "textbraceright": "}",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textendash": "–",
    "textemdash": "—",
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
#: Accent commands and the combining mark each puts on the next letter.
_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
#: Font commands whose argument is the text itself.
_STYLES = {"emph", "textit", "textbf", "textsc", "texttt", "textrm", "textsf", "textup", "text"}
#: Font switches (`{\\em word}`) that print nothing themselves.
_SWITCHES = {"em", "it", "bf", "sc", "rm", "sf", "tt", "sl", "itshape", "bfseries", "scshape"}
_MATH = re.compile(r"\$[^$\n]+\$")
_ESCAPED = frozenset("&%$#_{}")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def text_to_latex(text: str) -> str:
    """Escape what LaTeX or BibTeX would read as markup; other characters stay UTF-8.

    Math between `$` signs (arXiv titles and abstracts are TeX) stays math when its
    braces balance; `latex_to_text` keeps it as written, so it reads back the same.
    """
    if not _has_special(text):  # most titles, names and abstracts: nothing to escape
        return text
    out, position = [], 0
    for math in _MATH.finditer(text):
        if not _balanced(math[0]) or math[0].endswith("\\$"):
            continue
        out += [_escape(text[position : math.start()]), math[0]]
        position = math.end()
    out.append(_escape(text[position:]))
    return "".join(out)


#: The characters `_ESCAPES` spells otherwise.
LATEX_SPECIALS = "".join(_ESCAPES)
#: Any of them, found (or not) in one pass in C, where `str.translate` looks every
#: character up in Python's mapping.
_SPECIAL = re.compile("[" + re.escape(LATEX_SPECIALS) + "]")


def _has_special(text: str) -> bool:
    if len(text) < 256:
        return _SPECIAL.search(text) is not None
    return any(char in text for char in LATEX_SPECIALS)  # memchr each: faster on long text


def _escape(text: str) -> str:
    return _SPECIAL.sub(lambda special: _ESCAPES[special[0]], text)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def latex_to_text(value: str) -> str:
    """A BibTeX field's text: escapes and accents resolved, grouping braces dropped."""
    text, _ = _decode(value, 0, top=True)
    return unicodedata.normalize("NFC", text)


def _decode(value: str, position: int, *, top: bool) -> tuple[str, int]:
    """Decode from `position` to the end (top) or to the `}` closing the current group."""
    out: list[str] = []
    while position < len(value):
        char = value[position]
        if char == "}":
            if not top:
                return "".join(out), position + 1
            position += 1  # an unbalanced brace is not text
        elif char == "{":
            inner, position = _decode(value, position + 1, top=False)
            out.append(inner)
        elif char == "$":
            end = _math_end(value, position)
            out.append(value[position:end])
            position = end
        elif char == "~":
            out.append(" ")
            position += 1
        elif char == "\\":
            text, position = _command(value, position)
            out.append(text)
        else:
            out.append(char)
            position += 1
    return "".join(out), position


def _command(value: str, start: int) -> tuple[str, int]:
    match = _COMMAND.match(value, start)
    if match is None:  # a trailing backslash
        return "\\", start + 1
    name, position = match[1], match.end()
    if name in _ESCAPED:
        return name, position
    if name in ("\\", " "):
        return " ", position
    if name in _ACCENTS:
        argument, position = _argument(value, position)
        if argument.startswith(("ı", "ȷ")):  # \"{\i}: the accent replaces the dot
            argument = {"ı": "i", "ȷ": "j"}[argument[0]] + argument[1:]
        return (argument[:1] + _ACCENTS[name] + argument[1:]) if argument else "", position
    if name.isalpha():
        position = _skip_terminator(value, position)
    if name in _SYMBOLS:
        return _SYMBOLS[name], position
    if name in _STYLES:
        return _argument(value, position)
    if name in _SWITCHES:
        return "", position
    return value[start:position], position  # unknown: kept as written


def _argument(value: str, position: int) -> tuple[str, int]:
    """A command's argument: a `{group}` or the next single character."""
    while position < len(value) and value[position] == " ":
        position += 1
    if position >= len(value):
        return "", position
    if value[position] == "{":
        return _decode(value, position + 1, top=False)
    if value[position] == "\\":
        return _command(value, position)
    return value[position], position + 1


def _skip_terminator(value: str, position: int) -> int:
    """A letter command ends at `{}` or one space, which are not text."""
    if value.startswith("{}", position):
        return position + 2
    if position < len(value) and value[position] == " ":
        return position + 1
    return position


def _math_end(value: str, start: int) -> int:
    """The position after the `$` closing the math that opens at `start`."""
    position = start + 1
    while position < len(value):
        if value[position] == "\\":
            position += 2
            continue
        if value[position] == "$":
            return position + 1
        position += 1
    return len(value)
