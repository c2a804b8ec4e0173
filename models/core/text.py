"""Text hygiene shared by every way text enters the library, and path labels."""

from __future__ import annotations

import os
import re
import unicodedata


def path_label(path: os.PathLike | str) -> str:
    """A path as text that can be printed and stored: bytes of its name that are not
    UTF-8 (which Python keeps as lone surrogates) become U+FFFD."""
    label = os.fsencode(path).decode("utf-8", errors="replace")
    if label.isprintable():
        return label
    # A name can hold any byte but NUL and "/": one with an escape must not drive the
    # terminal that prints it, so its controls show as "?".
    return _CONTROLS.sub("?", _ESCAPES.sub(lambda m: "?" * len(m[0]), label))


# ANSI/VT escape sequences (CSI, OSC, and two-character escapes such as ESC c, the
# full reset), then any other C0/C1 control character and the bidirectional
# embeddings, overrides and isolates that reorder how the rest of a line is shown.
# Listing text must never drive the terminal that shows it.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[0-~]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_BIDI = "\u202a-\u202e\u2066-\u2069"
# Lone surrogates (from JSON `\ud800` or undecodable names) can be neither shown nor stored.
_SURROGATES = "\\ud800-\\udfff"
_CONTROLS = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u200b\\u2028\\u2029\\ufeff{_BIDI}{_SURROGATES}]"
)


#: The ASCII characters that are no controls: what `str.isprintable` accepts of ASCII.
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def is_printable(text: str) -> bool:
    """`text.isprintable()`, three times faster for ASCII text (most of every listing):
    `bytes.translate` drops the printable bytes in one table pass, and nothing may be
    left."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def clean_text(text: str | None) -> str | None:
    """One line of displayable text: escapes and control characters gone, spaces folded."""
    if text is None:
        return None
    if is_printable(text) and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None  # the common case: one clean line already
    folded = " ".join(text.split())
    if not folded.isprintable():  # rare: only then pay for the regexes
        folded = " ".join(_CONTROLS.sub(" ", _ESCAPES.sub("", text)).split())
    return folded or None


def clean_block(text: str) -> str:
    """Like `clean_text` but keeps line breaks (for notes and multi-line input)."""
    text = _ESCAPES.sub("", text).replace("\t", "    ")
    return re.sub(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ufeff{_BIDI}{_SURROGATES}]", "", text)


def strip_accents(text: str) -> str:
    """`é` -> `e`: compatibility-decomposed, combining marks dropped (case is kept)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
