"""Fresh PostgreSQL databases for tests, on the server `PAPERSHELF_TEST_PG_URL` names.

Each test gets its own database, made by copying a template (a file copy on the
server, a few tens of milliseconds), and dropped after it."""

from __future__ import annotations

import os
import uuid
from functools import cache

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

ENV_URL = "PAPERSHELF_TEST_PG_URL"


def server_url() -> str | None:
    return os.environ.get(ENV_URL) or None


@cache
def _admin() -> Engine:
    url = make_url(server_url() or "").set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=None)


def url_of(name: str) -> str:
    url = make_url(server_url() or "").set(database=name)
    return url.render_as_string(hide_password=False)


def new_name(prefix: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{prefix}_{worker}_{uuid.uuid4().hex[:10]}"


def create_database(name: str, template: str = "template1") -> str:
    """Make database `name` as a copy of `template`; its URL."""
    with _admin().connect() as connection:
        connection.execute(
            text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        )
    return url_of(name)


def drop_database(name: str) -> None:
    with _admin().connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def admin_connection() -> Connection:
    """A connection to the server's `postgres` database, outside any transaction."""
    return _admin().connect()
