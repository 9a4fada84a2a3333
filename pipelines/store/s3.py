"""The raw archive on S3-compatible object storage (AWS S3, SeaweedFS, MinIO, Ceph …), for a
cluster whose machines share one archive. Same contract as the local ``RawArchive``.

Selected by a location ``s3://bucket/prefix`` (``GXNB_RAW_URL``) instead of a directory;
objects are ``<prefix>/<first two hex digits>/<sha256>``, as on disk. Credentials, endpoint
and region come from boto3's own settings, as for any AWS tool: ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL_S3`` (e.g. ``http://seaweedfs:8333``; boto3
then addresses buckets by path), ``AWS_DEFAULT_REGION``, or ``~/.aws/config``.

A PUT is atomic in S3 (an object is whole or absent), so no temporary name is needed; the
upload sends a Content-MD5 the server checks, and ``Staged.wait()`` returns only once every
object is stored, so the store commits no row pointing at a missing object. An object
already there with the same size is not sent again (its name is its hash).
"""
from __future__ import annotations

import base64
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from .archive import RawArchive, Staged, stage_each

UPLOAD_THREADS = 4  # uploads wait on the network, not the CPU


class ArchiveUnavailable(RuntimeError):
    """The archive's location is malformed, unreachable, or refuses us."""


def open_archive(location) -> "RawArchive | S3Archive":
    """The raw archive at ``location``: ``s3://bucket/prefix`` or a local directory."""
    if str(location).startswith("s3://"):
        return S3Archive(str(location))
    return RawArchive(location)


def _check_sha(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class S3Archive:
    def __init__(self, url: str, client=None):
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ArchiveUnavailable(f"not an S3 location: {url!r} (expected s3://bucket/prefix)")
        self.url = url
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        if client is None:
            try:
                import boto3
            except ImportError as exc:
                raise ArchiveUnavailable(f"the raw archive {url} needs boto3: pip install 'gxnb[cluster]'") from exc
            from botocore.config import Config

            # a session of its own reads the environment now (boto3's default one caches
            # the first credentials it found); clients are thread-safe, a connection per thread
            client = boto3.session.Session().client("s3", config=Config(max_pool_connections=UPLOAD_THREADS + 2,
                                                      retries={"mode": "standard", "max_attempts": 5}))
        self.client = client
        self._check_bucket()

    def _check_bucket(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        where = f"{self.url} (endpoint {self.client.meta.endpoint_url})"
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code"))
            if code in ("404", "NoSuchBucket"):
                raise ArchiveUnavailable(f"the raw archive's bucket does not exist: {where}; "
                                         f"create it first") from exc
            if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise ArchiveUnavailable(f"the raw archive refuses these credentials: {where}: {exc}"
                                         " (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)") from exc
            raise ArchiveUnavailable(f"cannot open the raw archive {where}: {exc}") from exc
        except BotoCoreError as exc:  # no credentials, endpoint unreachable, …
            raise ArchiveUnavailable(f"cannot open the raw archive {where}: {exc}") from exc

    def key(self, sha256: str) -> str:
        sha = _check_sha(sha256)
        return f"{self.prefix}/{sha[:2]}/{sha}" if self.prefix else f"{sha[:2]}/{sha}"

    def path(self, sha256: str) -> str:
        """Where the file is, as a URL (the local archive gives a path)."""
        return f"s3://{self.bucket}/{self.key(sha256)}"

    def stage(self, blobs: list[bytes | None]) -> Staged:
        """Start uploading each blob not stored yet; ``wait()`` before relying on them."""
        return stage_each(blobs, lambda data, sha: self._executor().submit(self._put_if_missing, data, sha))

    def _put_if_missing(self, data: bytes, sha: str) -> None:
        if self._size(sha) == len(data):
            return
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        self.client.put_object(Bucket=self.bucket, Key=self.key(sha), Body=data, ContentMD5=md5)

    def _size(self, sha: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(sha))["ContentLength"]
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def get(self, sha256: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))["Body"].read()

    def __contains__(self, sha256: str) -> bool:
        return self._size(sha256) is not None

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=UPLOAD_THREADS, thread_name_prefix="gxnb-s3")
            return self._pool

    def close(self) -> None:
        """Finish the uploads in flight."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
