"""Publication dates at the precision a listing gave: `2017`, `2017-11` or `2017-11-27`."""

from __future__ import annotations

from datetime import date

from models.core.values import DatePrecision


def published_text(published: date | None, precision: str | None) -> str | None:
    """The date as ISO 8601 to its precision (a day when the precision is unknown)."""
    if published is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{published.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{published.year:04d}-{published.month:02d}"
    return published.isoformat()
