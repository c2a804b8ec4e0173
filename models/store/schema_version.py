"""Which schema revision a library has and which this papershelf writes, read without
loading Alembic: opening a library that is already current (nearly every open) costs
one small query instead of Alembic's start-up."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r'^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|None)', re.M)
#: The table and column Alembic records the revision in.
VERSION_QUERY = "SELECT version_num FROM alembic_version"


@cache
def schema_head() -> str | None:
    """The newest revision in `migrations/versions`, by each script's `revision` and
    `down_revision` lines; None when they do not name exactly one head (Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in VERSIONS.glob("*.py"):
        for name, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            if value:
                (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(rows: list[Any]) -> str | None:
    """The revision in `alembic_version`'s rows, when there is exactly one."""
    return rows[0][0] if len(rows) == 1 else None
