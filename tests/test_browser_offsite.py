"""A page rendered in Chromium asks for more than itself; nothing it asks for may reach a
host outside the spider's ``allowed_domains`` (issue 13 row 5).

The portal on 127.0.0.1 has a column whose list is written by script, so the generic
spider renders it in the browser. The page and its script reach for 127.0.0.2 every way
a page can: an iframe, images (in the HTML and added by script), a stylesheet, a script,
``fetch()``, XHR, ``sendBeacon``, a WebSocket, a prefetch link, a redirect of one of its
own requests. A second server on 127.0.0.2 counts what reaches it: nothing may.
"""
from __future__ import annotations

import json
import pickle
import subprocess

from conftest import needs_chromium
from crawling import ROOT, crawl_cmd, crawl_env, serve
from replicas import reportgen
from replicas.server import ReplicaServer, Response, Site

PORTAL, OFFSITE = "127.0.0.1", "127.0.0.2"
TABLES = ("active_disclosure", "applications", "review_litigation")


def column_page(other: str) -> str:
    """The column: no report link in its HTML; the script writes the list and reaches out."""
    return f"""<html><head><title>政府信息公开年报</title>
<link rel="stylesheet" href="{other}/style.css"><link rel="prefetch" href="{other}/prefetch">
<script src="{other}/script.js"></script></head>
<body><h1>政府信息公开年报</h1><ul id="list"></ul>
<img src="{other}/static.png"><iframe src="{other}/frame.html"></iframe>
<script>
  document.getElementById("list").innerHTML =
    '<li><a href="/ndbg/2023.html">某局2023年政府信息公开工作年度报告</a> 2024-01-20</li>';
  const img = new Image(); img.src = "{other}/scripted.png"; document.body.appendChild(img);
  fetch("{other}/fetch").catch(() => null);
  const xhr = new XMLHttpRequest(); xhr.open("GET", "{other}/xhr"); xhr.send();
  navigator.sendBeacon("{other}/beacon", "x");
  try {{ new WebSocket("{other.replace('http', 'ws')}/socket"); }} catch (e) {{}}
  fetch("/bounce").catch(() => null);
  const job = "fetch('{other}/worker').catch(() => null)";
  new Worker(URL.createObjectURL(new Blob([job], {{type: "text/javascript"}})));
</script></body></html>"""


class Portal(Site):
    hosts = (PORTAL,)

    def __init__(self, other: str):
        self.other = other

    def handle(self, req):
        if req.path == "/":
            return Response(body=column_page(self.other))
        if req.path == "/bounce":  # one of its own URLs redirecting offsite
            return Response(302, "", headers={"Location": f"{self.other}/redirected"})
        if req.path == "/ndbg/2023.html":
            return Response(body=reportgen.render_html(reportgen.load_record(0)))
        return None


@needs_chromium
def test_the_browser_aborts_every_request_to_another_host(tmp_path):
    offsite = ReplicaServer([], host=OFFSITE).start()  # answers 404 to all, records every hit
    portal = serve(Portal(offsite.url))
    out = tmp_path / "items.pickle"
    try:
        env = crawl_env("", f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
        proc = subprocess.run(
            crawl_cmd("generic", "-a", f"url={portal.url}/", "-s", "DOWNLOAD_TIMEOUT=30",
                      "-s", 'ITEM_PIPELINES={"gxnb_spiders.item_pipelines.ExtractPipeline": 300}', "-o", f"{out}:pickle"),
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    finally:
        portal.stop()
        offsite.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Page init callback exception" not in proc.stderr, proc.stderr[-3000:]  # the guard was set
    # the page was rendered and its script ran: the report it listed was crawled
    assert "rendering it in the browser" in proc.stderr
    with open(out, "rb") as f:
        item = pickle.load(f)
    assert item["url"] == f"{portal.url}/ndbg/2023.html"
    seed = reportgen.load_record(0)
    assert all(item["record"][t] == json.loads(json.dumps(seed[t])) for t in TABLES)
    assert f"http://{PORTAL}/bounce" in portal.hits  # the redirect was asked for, its target not
    # and nothing reached the other host
    assert offsite.hits == []
    assert "browser request to an offsite host aborted" in proc.stderr
