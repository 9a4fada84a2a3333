"""The raw archive: every fetched body and attachment, once, named by its SHA-256.

Files live at ``<root>/<first two hex digits>/<sha256>``. A name from the web never
chooses a path (an attachment called ``../../x.pdf`` is stored by its hash like any
other; its name is kept in the database). Writes go to a temporary file in the same
directory, are flushed to disk (``fsync``) and renamed into place, and the directory is
flushed too (so the new name survives a power loss, not only the bytes): a reader never
sees half a file and two processes writing the same content both end with one whole file.

``stage`` lets the store overlap that work with its database statements: the files are
written and flushed on a background thread (it mostly waits on the disk, with the GIL
released), and ``Staged.wait()`` returns once every file is durable in place, or raises
what failed (a full disk: ENOSPC, EFBIG). The store calls it just before COMMIT, so a
committed row never points at a file that is missing or short, even after a power loss.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Staged:
    """Files being made durable; ``shas`` in the order given (None for no bytes)."""

    def __init__(self, shas: list[str | None], jobs: list[Future]):
        self.shas = shas
        self._jobs = jobs

    def wait(self) -> None:
        """Return when every file is on disk under its final name; raise what failed."""
        for job in self._jobs:
            job.result()


def stage_each(blobs: list[bytes | None], start: Callable[[bytes, str], Future | None]) -> Staged:
    """Each blob's SHA-256 (None for an empty one), and ``start(data, sha)`` called once per
    distinct content: the archive's job storing it, or None when it is there already."""
    shas: list[str | None] = []
    jobs: list[Future] = []
    started: set[str] = set()
    for data in blobs:
        if not data:
            shas.append(None)
            continue
        sha = sha256_of(data)
        shas.append(sha)
        if sha in started:
            continue
        started.add(sha)
        job = start(data, sha)
        if job is not None:
            jobs.append(job)
    return Staged(shas, jobs)


class RawArchive:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def stage(self, blobs: list[bytes | None]) -> Staged:
        """Start archiving each blob not archived yet; ``wait()`` before relying on them."""
        return stage_each(blobs, lambda data, sha: None if self._has(sha, len(data)) else
                          self._executor().submit(_write_durably, data, self.path(sha)))

    def _has(self, sha: str, size: int) -> bool:
        try:
            return self.path(sha).stat().st_size == size
        except (FileNotFoundError, NotADirectoryError):  # not there (writing it will say why)
            return False

    def close(self) -> None:
        """Finish the files in flight (they are whole and harmless even if unused)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gxnb-raw")
            return self._pool

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).exists()


def _write_durably(data: bytes, target: Path) -> None:
    """Write a temporary file beside ``target``, fsync it, rename it into place and fsync
    the directory (and the archive root when the directory is new): after this, the
    name and the bytes both survive a crash or a power loss."""
    new_dir = not target.parent.is_dir()
    if new_dir:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
    except BaseException:
        _discard(fd, tmp)
        raise
    _fsync_dir(target.parent)
    if new_dir:
        _fsync_dir(target.parent.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(fd: int, tmp: str) -> None:
    if fd >= 0:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        os.unlink(tmp)
    except OSError:
        pass
