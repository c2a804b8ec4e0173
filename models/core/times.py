"""Times as the library stores and prints them: timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The time stored in the library: timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time, aware: SQLite hands naive UTC back, PostgreSQL aware times."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso_time(moment: datetime, *, microseconds: bool = False) -> str:
    """A stored time as ISO 8601 UTC with a Z: to the second for people, to the
    microsecond for backups (which must give back the same time)."""
    spec = "microseconds" if microseconds else "seconds"
    return as_utc(moment).replace(tzinfo=None).isoformat(timespec=spec) + "Z"
