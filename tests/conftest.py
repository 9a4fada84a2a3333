"""Shared fixtures: the replica server, databases, paths to the seeds."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("GXNB_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def replica():
    """All replica sites served on a free local port, for the whole test session."""
    from replicas.server import ReplicaServer, all_sites

    with ReplicaServer(all_sites()) as srv:
        yield srv


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'gxnb.sqlite'}"


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database of its own (``gxnb_test_<random>``, dropped after
    the test), or skip where no server is reachable or usable."""
    if not _port_open("127.0.0.1", 5432):
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    sqlalchemy = pytest.importorskip("sqlalchemy")
    import uuid

    admin = sqlalchemy.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"gxnb_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # server there but not usable as configured
        admin.dispose()
        pytest.skip(f"PostgreSQL not usable: {exc}")
    try:
        yield sqlalchemy.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def chromium_path() -> str | None:
    p = os.environ.get("GXNB_CHROMIUM", "/usr/bin/chromium")
    return p if os.path.exists(p) else None


needs_chromium = pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed")
