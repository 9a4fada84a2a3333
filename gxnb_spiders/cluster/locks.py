"""At most one crawl of a portal at any moment, across every machine: a PostgreSQL
session-level advisory lock per portal.

PostgreSQL holds the lock for as long as the session that took it lives, and drops it the
moment that session ends — a clean release, a crashed worker, a machine that is switched
off (once TCP keepalive notices). No expiry to tune, no lock left behind, and nothing to
run besides the database the cluster already shares.

    with PortalLock(url, "dt") as lock:
        if lock.held:
            crawl()

The key is two 32-bit integers: a namespace for gxnb's portal locks and a hash of the
portal id (two ids sharing a hash are crawled one after the other, never together).
"""
from __future__ import annotations

import zlib

import psycopg

LOCK_NAMESPACE = 0x67786E63  # "gxnc": beside the store's migration lock ("gxnb")


def portal_key(portal_id: str) -> int:
    """The portal's 32-bit signed lock key."""
    return zlib.crc32(portal_id.encode("utf-8")) - (1 << 31)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) as libpq takes it."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.startswith("postgresql"):
        raise ValueError(f"the portal lock needs PostgreSQL (GXNB_LOCK_URL or GXNB_DATABASE_URL), not {url!r}")
    return "postgresql://" + rest


class PortalLock:
    def __init__(self, url: str, portal_id: str):
        self.url = libpq_url(url)
        self.portal_id = portal_id
        self.key = portal_key(portal_id)
        self.conn: psycopg.Connection | None = None
        self.held = False

    def acquire(self) -> bool:
        """Take the lock if no one holds it; never waits."""
        if self.conn is None:
            # keepalives: a machine that vanishes without closing its socket frees the lock
            # within about a minute, not after the kernel's two-hour default
            self.conn = psycopg.connect(self.url, autocommit=True, application_name=f"gxnb lock {self.portal_id}",
                                        keepalives=1, keepalives_idle=20, keepalives_interval=10,
                                        keepalives_count=3)
        self.held = bool(self.conn.execute("SELECT pg_try_advisory_lock(%s, %s)",
                                           (LOCK_NAMESPACE, self.key)).fetchone()[0])
        return self.held

    def release(self) -> None:
        if self.conn is None:
            return
        try:
            if self.held:
                self.conn.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_NAMESPACE, self.key))
        finally:
            self.held = False
            self.conn.close()  # ending the session would release it anyway
            self.conn = None

    def __enter__(self) -> "PortalLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def running_crawls(url: str) -> set[int]:
    """Keys of the portal locks held now, cluster-wide (for monitoring and tests)."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        rows = conn.execute("SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                            "AND objsubid = 2 AND granted", (LOCK_NAMESPACE,)).fetchall()
    return {int(r[0]) - (1 << 32) if int(r[0]) >= (1 << 31) else int(r[0]) for r in rows}
