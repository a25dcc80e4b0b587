"""PostgreSQL for the test suite: the server at HAAT_TEST_DATABASE_URL (default 127.0.0.1:5432), or a
throwaway one from the `pgserver` wheel where none answers (a bare laptop). Each test database is created
and dropped by the suite itself."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from haat.db import normalise_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PGSERVER_VERSION = "0.1.4"


def _reachable(url: str) -> bool:
    engine = create_engine(normalise_url(url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the URL of a PostgreSQL maintenance database the suite may create databases through."""
    url = os.environ.get("HAAT_TEST_DATABASE_URL", DEFAULT_URL)
    if _reachable(url):
        yield normalise_url(url)
        return
    if "HAAT_TEST_DATABASE_URL" in os.environ:
        raise RuntimeError(f"HAAT_TEST_DATABASE_URL={url} does not answer")
    yield from _throwaway_server()


def _throwaway_server() -> Iterator[str]:
    try:
        import pgserver  # type: ignore[import-not-found]
    except ImportError:
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "pip", "install", "-q", f"pgserver=={PGSERVER_VERSION}"], check=True
        )
        import pgserver
    with tempfile.TemporaryDirectory(prefix="haat-pg-") as data_dir:
        server = pgserver.get_server(data_dir, cleanup_mode="stop")
        try:
            yield normalise_url(server.get_uri())
        finally:
            server.cleanup()


class DatabaseFactory:
    """Creates uniquely named databases on one server and drops them all at the end."""

    def __init__(self, maintenance_url: str) -> None:
        self.maintenance_url = make_url(maintenance_url)
        # pre_ping: the resilience run restarts the server, which ends pooled connections
        self.engine = create_engine(self.maintenance_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        self.created: list[str] = []

    def create(self, prefix: str = "haat_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self.engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        url: URL = self.maintenance_url.set(database=name)
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.engine.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.clear()
        self.engine.dispose()
