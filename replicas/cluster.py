"""gxnb's Celery processes (workers, beat, Flower) started as processes of their own, for
the tests and the benchmark of the cluster (``gxnb_spiders/cluster/``)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "gxnb_spiders.cluster.app"


def start_celery(args: list[str], env: dict | None, log_path) -> subprocess.Popen:
    """``celery -A gxnb_spiders.cluster.app <args>``, its output into ``log_path``."""
    with open(log_path, "wb") as log:
        return subprocess.Popen([sys.executable, "-m", "celery", "-A", APP, *args], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def start_worker(name: str, queues: str, env: dict | None, log_path) -> subprocess.Popen:
    """A worker taking one task at a time from ``queues`` (comma-separated names)."""
    # the node name carries this process's pid: two runs (or a test and a benchmark) on one
    # broker must not share a pidbox
    return start_celery(["worker", "-Q", queues, "-c", "1", "-n", f"{name}-{os.getpid()}@%h",
                         "--without-gossip", "--without-mingle", "--loglevel=INFO"], env, log_path)


def stop(proc: subprocess.Popen, grace: float = 60) -> None:
    """SIGTERM (a worker's warm shutdown: its task finished first), SIGKILL after ``grace`` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
