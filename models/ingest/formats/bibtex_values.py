"""The values of `.bib` fields as BibTeX reads them: `@string` macros, `#` concatenation,
month macros and numbers, and dates with the precision the entry gives.

A macro no `@string` of the import defines is kept as its own name (what a reader would
want to see, `IEEE_J_PROC`) and reported once; it is never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from models.core.values import DatePrecision

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: BibTeX's month macros expand to the month's name; `month = {Feb.}` and numbers also count.
MONTH_MACROS = {name[:3]: name.capitalize() for name in _MONTH_NAMES}
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS |= {name[:3]: number for name, number in list(_MONTHS.items())} | {"sept": 9}
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T/ ].*)?\s*$")


@dataclass
class Macros:
    """The `@string` definitions an import has seen, and the undefined names it met."""

    defined: dict[str, str] = field(default_factory=dict)
    undefined: dict[str, int] = field(default_factory=dict)  # name -> first line used

    def define(self, name: str, raw: str, line: int) -> None:
        self.defined[name.lower()] = self.resolve(raw, line)

    def resolve(self, raw: str, line: int) -> str:
        """A field's raw value (`{...}`, `"..."`, a number, a macro, joined by `#`) as text."""
        raw = raw.strip()
        if raw.startswith("{") and raw.endswith("}") and "#" not in raw:
            return raw[1:-1]  # the common case: one braced value
        return "".join(self._piece(piece.strip(), line) for piece in _pieces(raw))

    def _piece(self, piece: str, line: int) -> str:
        if piece[:1] in '{"' and len(piece) >= 2:
            return piece[1:-1]
        if not piece or piece.isdigit():
            return piece
        name = piece.lower()
        if name in self.defined:
            return self.defined[name]
        if name in MONTH_MACROS:
            return MONTH_MACROS[name]
        self.undefined.setdefault(piece, line)
        return piece


def _pieces(raw: str) -> list[str]:
    """Split on `#` outside braces and quotes."""
    pieces: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in raw:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return pieces


def month_number(text: str) -> int | None:
    """`jan`, `January`, `Feb.`, `3`, `03` -> the month; None for anything else."""
    text = text.strip().strip("{}").strip().rstrip(".").lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text)


def entry_date(fields: dict[str, str]) -> tuple[date, DatePrecision] | None:
    """The publication date from biblatex `date` (`2020`, `2020-01`, `2020-01-15`, a range's
    start) or from `year`, `month` and `day`, with how much of it the entry gives."""
    iso = _ISO_DATE.match(fields.get("date", ""))
    if iso:
        found = _build(int(iso[1]), iso[2] and int(iso[2]), iso[3] and int(iso[3]))
        if found:
            return found
    year = _YEAR.search(fields.get("year", ""))
    if not year:
        return None
    month = month_number(fields.get("month", ""))
    day_text = fields.get("day", "").strip()
    return _build(int(year[1]), month, int(day_text) if month and day_text.isdigit() else None)


def _build(
    year: int, month: int | None | str, day: int | None | str
) -> tuple[date, DatePrecision] | None:
    if not 1 <= year <= 9999:
        return None
    if month and 1 <= int(month) <= 12:
        if day:
            try:
                return date(year, int(month), int(day)), DatePrecision.DAY
            except ValueError:
                pass  # 31 June: keep the month
        return date(year, int(month), 1), DatePrecision.MONTH
    return date(year, 1, 1), DatePrecision.YEAR
