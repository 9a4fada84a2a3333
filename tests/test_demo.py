"""`scrapy demo` as a person at a terminal sees it: a line per portal as it starts and
ends, then a short summary read from the database it crawled into (given with -s), the
anti-bot challenges passed and the diff report's path; no Markdown dump."""
from __future__ import annotations

import os
import pty
import subprocess
import threading

import pytest

from conftest import chromium_path
from crawling import ROOT, SCRAPY


def run_at_a_terminal(cmd, env, timeout) -> tuple[int, str]:
    """Run ``cmd`` with its stdout and stderr on a pseudo-terminal; (exit status, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []

    def read():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the other end is closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        status = proc.wait(timeout=timeout)
    finally:
        proc.kill()
        reader.join(10)
        os.close(master)
    return status, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.timeout(900)  # a ceiling for a busy machine: five portals, one through Chromium
def test_demo_at_a_terminal(tmp_path):
    db = tmp_path / "elsewhere" / "demo.sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GXNB_")}
    # -s wins over the environment, for the crawl and for the summary alike
    env.update(GXNB_OUTPUT_DIR=str(tmp_path / "out"), TERM="dumb",
               GXNB_DATABASE_URL=f"sqlite:///{tmp_path / 'from-env.sqlite'}")
    challenged = chromium_path() is not None
    if challenged:  # one 瑞数-style challenge in front of dt, passed in Chromium
        env["GXNB_REPLICA_CHALLENGE"] = "ruishu:www.dt.gov.cn"
    (tmp_path / "elsewhere").mkdir()
    status, out = run_at_a_terminal([SCRAPY, "demo", "--delay", "0", "-s", f"GXNB_DATABASE_URL=sqlite:///{db}"],
                                    env, timeout=840)
    assert status == 0, out[-4000:]
    for portal in ("dt", "laiyang", "lyghz", "muping", "www.cxythsfq.gov.cn"):
        assert f"▶ {portal}: started" in out, out[-4000:]
        assert f"✓ {portal:<12} finished   stored " in out
    assert out.index("▶ dt: started") < out.index("✓ dt ") < out.index("Stored in")
    # the summary comes from the database given with -s, not the default one
    assert f"Stored in sqlite:///{db}:" in out
    assert "dt                        24  valid 24" in out
    assert not (tmp_path / "out" / "gxnb.sqlite").exists() and not (tmp_path / "from-env.sqlite").exists()
    assert f"Anti-bot challenges passed: {1 if challenged else 0}" in out
    assert f"What changed since the previous run: {tmp_path / 'out' / 'diff-report.html'}" in out
    assert not [line for line in out.splitlines() if line.startswith("#")]  # no Markdown dump
    assert "Traceback" not in out
