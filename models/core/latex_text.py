"""LaTeX in `.bib` values to plain text, with pylatexenc.

pylatexenc parses LaTeX properly (groups, arguments, accents, unknown commands, math),
so `\\mkbibquote{Intention}` reads `Intention` and `{\\TeX}book` reads `TeXbook`
instead of keeping the command glued to its text. It costs milliseconds a long value,
so text with no backslash and no math (most abstracts) takes a fast path that only
drops grouping braces, which is all LaTeX would do with it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

#: Commands pylatexenc prints as nothing, or as markup, that a bibliography means as text.
_EXTRA_MACROS = [
    ("TeX", "TeX"),
    ("LaTeX", "LaTeX"),
    ("LaTeXe", "LaTeX2e"),
    ("BibTeX", "BibTeX"),
    ("XeTeX", "XeTeX"),
    ("textbraceleft", "{"),
    ("textbraceright", "}"),
    ("textbackslash", "\\"),
    ("textasciitilde", "~"),
    ("textasciicircum", "^"),
    ("textless", "<"),
    ("textgreater", ">"),
    ("textbar", "|"),
    ("textunderscore", "_"),
    ("url", "%(1)s"),
    ("href", "%(2)s"),
]
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_BARE_DOLLAR = re.compile(r"(?<!\\)\$")
#: TeX's ligatures of text, after the character each starts with.
_LIGATURES = (
    ("-", (("---", "—"), ("--", "–"))),
    ("`", (("``", "“"),)),
    ("'", (("''", "”"),)),
)


@cache
def _converter() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category(
        "papershelf-bibliography",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=text) for name, text in _EXTRA_MACROS],
    )
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_unknown_command))
    return LatexNodes2Text(
        latex_context=context,
        math_mode="verbatim",
        keep_braced_groups=False,
        strict_latex_spaces=True,
    )


def _unknown_command(node: Any, macroname: str, l2tobj: LatexNodes2Text) -> str:
    """A command no table knows: formatting when an argument follows (`\\mkbibquote{x}` is
    `x`), else a name to print (`\\TUG`, a journal's own macro, is `TUG`)."""
    arguments = node.nodeargd.argnlist if node.nodeargd and node.nodeargd.argnlist else []
    if any(argument is not None for argument in arguments):
        return l2tobj.nodelist_to_text([argument for argument in arguments if argument])
    source = node.parsing_state.s
    after = source[node.pos + node.len : node.pos + node.len + 64].lstrip()
    if after.startswith(("{", "[")) or not macroname.isalpha():
        return ""
    return macroname


def latex_to_plain(value: str) -> str:
    """A field's text: accents and commands resolved, braces dropped, `$math$` kept."""
    if "\\" not in value and "$" not in value:
        text = value.replace("{", "").replace("}", "").replace("~", " ")
        for mark, ligatures in _LIGATURES:
            if mark in text:  # one character is found by memchr; a pair costs a real search
                for ligature, char in ligatures:
                    text = text.replace(ligature, char)
    else:
        # A bare % is a percent sign in a bibliography, not the comment it is in LaTeX.
        value = _BARE_PERCENT.sub(r"\\%", value)
        dollars = _BARE_DOLLAR.findall(value)
        if len(dollars) % 2:  # a lone `$` (OCR, a price) opens no math: it is a dollar sign
            value = _BARE_DOLLAR.sub(r"\\$", value)
        if "\\(" in value:  # inline math as `\\(...\\)` is the same math as `$...$`
            value = value.replace("\\(", "$").replace("\\)", "$")
        try:
            text = _converter().latex_to_text(value)
        except Exception:  # pylatexenc is tolerant; this is the guard for what it is not
            text = value.replace("{", "").replace("}", "")
    return text if text.isascii() else unicodedata.normalize("NFC", text)
