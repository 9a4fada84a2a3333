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
    from gxnb_spiders.replicas.server import ReplicaServer, all_sites

    with ReplicaServer(all_sites()) as srv:
        yield srv


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'gxnb.sqlite'}"


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema-less database URL, or skip where no server runs."""
    if not _port_open("127.0.0.1", 5432):
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    sqlalchemy = pytest.importorskip("sqlalchemy")
    try:
        eng = sqlalchemy.create_engine(PG_URL)
        with eng.connect():
            pass
        eng.dispose()
    except Exception as exc:  # server there but not usable as configured
        pytest.skip(f"PostgreSQL not usable: {exc}")
    return PG_URL


def chromium_path() -> str | None:
    p = os.environ.get("GXNB_CHROMIUM", "/usr/bin/chromium")
    return p if os.path.exists(p) else None


needs_chromium = pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed")
