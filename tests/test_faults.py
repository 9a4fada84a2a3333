"""Fault injection (replicas/faults.py) and what gxnb does under each fault.

Part 1 checks the faults themselves against a served synthetic portal, over plain HTTP.
Part 2 crawls a small synthetic portal (``scrapy crawl synthetic`` in a subprocess) with
one fault pinned on each of a set of reports, then checks the store, the raw archive,
the log and the server's hits: transient faults retried then logged with the URL,
malformed content stored with findings, caps held, archive paths inside output/raw,
offsite links not followed, the run finished.
"""
from __future__ import annotations

import http.client
import io
import socket
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from replicas.faults import Fault, FaultInjector, OFFSITE_HOST, unbalance_table, zip_bomb_docx
from replicas.server import ReplicaServer
from replicas.sites.synthetic import SyntheticSite


def fetch(srv: ReplicaServer, url: str, timeout: float = 60.0):
    """GET a portal URL through the replica server as a proxy → (status, headers, body);
    ``timeout`` a ceiling for a busy machine (a 64 MB zip bomb is made on the first ask)."""
    port = int(srv.url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", url)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@pytest.fixture
def served():
    site = SyntheticSite(30)
    injector = FaultInjector([], seed=1, hang_seconds=20)
    srv = ReplicaServer([site]).start()
    srv.filters.append(injector)
    yield site, injector, srv
    injector.release()
    srv.stop()


# ------------------------------------------------------------------ the faults themselves

def test_burst_fails_first_tries_then_passes(served):
    site, inj, srv = served
    url = site.report_url(1)
    inj.faults.append(Fault("status", path=r"_1\.html$", status=503, burst=2))
    assert [fetch(srv, url)[0] for _ in range(4)] == [503, 503, 200, 200]
    assert fetch(srv, site.report_url(2))[0] == 200  # other paths untouched
    assert inj.injected["status"] == 2


def test_random_faults_are_seeded_per_url():
    urls = [f"http://www.synthetic.test/a/{i}.html" for i in range(400)]

    def struck(seed, backwards=False):
        inj = FaultInjector([Fault("status", rate=0.25)], seed=seed)
        ok = lambda r: None  # noqa: E731
        from replicas.server import Request
        out = set()
        for u in reversed(urls) if backwards else urls:  # the order asked in must not matter
            r = Request("GET", "www.synthetic.test", urlsplit(u).path, {}, {})
            if inj(r, ok) is not None:
                out.add(u)
        return out

    a, b, c = struck(1), struck(1, backwards=True), struck(2)
    assert a == b
    assert a != c
    assert 60 <= len(a) <= 140  # about a quarter of 400


def test_hang_answers_nothing_until_released(served):
    site, inj, srv = served
    inj.faults.append(Fault("hang", path=r"_3\.html$"))
    with pytest.raises((socket.timeout, TimeoutError)):
        fetch(srv, site.report_url(3), timeout=1)
    inj.release()  # what a test does before stopping the server: no thread left waiting


def test_reset_drops_the_connection_mid_body(served):
    site, inj, srv = served
    inj.faults.append(Fault("reset", path=r"_4\.html$", burst=1))
    with pytest.raises((http.client.IncompleteRead, ConnectionError)):
        fetch(srv, site.report_url(4))
    assert fetch(srv, site.report_url(4))[0] == 200


def test_a_client_gone_prints_no_traceback_but_a_replica_bug_does(served, capsys):
    # socketserver prints a traceback for any error in a handler thread; a crawler that
    # hung up mid-transfer (the truncate and reset faults, a timeout) is not a bug.
    srv = served[2]
    for exc in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), ValueError("bug")):
        try:
            raise exc
        except Exception:
            srv.httpd.handle_error(None, ("127.0.0.1", 1))
    err = capsys.readouterr().err
    assert "ValueError: bug" in err
    assert "BrokenPipeError" not in err and "ConnectionResetError" not in err


def test_content_faults(served):
    site, inj, srv = served
    inj.faults += [
        Fault("truncated", path=r"_5\.html$"),
        Fault("gbk_as_utf8", path=r"_6\.html$"),
        Fault("utf8_as_gbk", path=r"_8\.html$"),
        Fault("no_charset", path=r"_10\.html$"),
        Fault("redirect_loop", path=r"_11\.html"),
        Fault("not_found", path=r"/files/7\.pdf$"),
        Fault("oversize", path=r"/files/17\.pdf$", size=3_000_000),
        Fault("zip_bomb", path=r"/files/9\.docx$", size=64 << 20),
        Fault("climbing_name", path=r"(_19\.html|/files/19\.docx)$"),
        Fault("offsite_links", path=r"index\.shtml$"),
    ]
    whole = fetch(srv, site.report_url(12))[2]
    status, headers, cut = fetch(srv, site.report_url(5))
    assert status == 200 and int(headers["content-length"]) == len(cut) < len(whole) * 0.6
    assert b"</html>" not in cut

    _, headers, body = fetch(srv, site.report_url(6))
    assert "utf-8" in headers["content-type"]
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "年度报告" in body.decode("gbk")
    _, headers, body = fetch(srv, site.report_url(8))
    assert "gbk" in headers["content-type"] and "年度报告" in body.decode("utf-8")
    _, headers, body = fetch(srv, site.report_url(10))
    assert "charset" not in headers["content-type"] and b"charset" not in body.lower()
    assert "年度报告" in body.decode("gbk")

    status, headers, _ = fetch(srv, site.report_url(11))
    assert status == 302 and headers["location"].endswith("_loop=1")
    status, headers, _ = fetch(srv, headers["location"])
    assert status == 302 and headers["location"].endswith("_loop=2")

    assert fetch(srv, "http://www.synthetic.test/xxgk/ndbg/files/7.pdf")[0] == 404
    status, _, big = fetch(srv, "http://www.synthetic.test/xxgk/ndbg/files/17.pdf")
    assert status == 200 and len(big) == 3_000_000 and big.startswith(b"%PDF")

    _, _, bomb = fetch(srv, "http://www.synthetic.test/xxgk/ndbg/files/9.docx")
    sizes = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()}
    assert sizes["word/document.xml"] >= 64 << 20 and len(bomb) < (64 << 20) // 100

    _, _, page = fetch(srv, site.report_url(19))
    assert "../../x.docx" in page.decode("utf-8")
    _, headers, _ = fetch(srv, "http://www.synthetic.test/xxgk/ndbg/files/19.docx")
    assert "../../x.pdf" in headers["content-disposition"]

    _, _, listing = fetch(srv, "http://www.synthetic.test/xxgk/ndbg/index.shtml")
    assert f"http://{OFFSITE_HOST}/".encode() in listing
    assert set(k for k, _ in inj.log) == {"truncated", "gbk_as_utf8", "utf8_as_gbk", "no_charset",
                                           "redirect_loop", "not_found", "oversize", "zip_bomb",
                                           "climbing_name", "offsite_links"}


def test_unbalanced_table_breaks_exactly_one_total():
    from replicas import reportgen

    page = reportgen.render_html(reportgen.load_record(0))
    changed = unbalance_table(page)
    assert changed is not None and changed != page
    assert len(changed) - len(page) in (0, 1)  # one number raised by one
    assert unbalance_table("<table><tr><td>1</td><td>2</td></tr></table>") is None


def test_zip_bomb_is_small_outside_and_huge_inside():
    bomb = zip_bomb_docx(32 << 20)
    zf = zipfile.ZipFile(io.BytesIO(bomb))
    assert sum(i.file_size for i in zf.infolist()) > 32 << 20
    assert len(bomb) * 500 < 32 << 20


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Fault("earthquake")


# ------------------------------------------------------------------ a crawl through the faults

def _store_ready() -> bool:
    try:
        from gxnb_spiders.item_pipelines import StorePipeline  # noqa: F401
        from pipelines.store import Store  # noqa: F401
        return True
    except ImportError:
        return False


needs_store = pytest.mark.skipif(not _store_ready(), reason="the store (pipelines.store.Store) has not landed")
FAULT_N = 30
# report i of SyntheticSite: i % 10 == 7 is PDF-only, i % 10 == 9 DOCX-only
PINNED = [
    Fault("status", path=r"_1\.html$", status=503, burst=2),     # transient: passes on the 3rd try
    Fault("status", path=r"_2\.html$", status=502),              # every try fails
    Fault("reset", path=r"_3\.html$", burst=1),
    Fault("hang", path=r"_4\.html$", burst=1),
    Fault("redirect_loop", path=r"_5\.html"),
    Fault("truncated", path=r"_6\.html$"),
    Fault("gbk_as_utf8", path=r"_8\.html$"),
    Fault("utf8_as_gbk", path=r"_10\.html$"),
    Fault("no_charset", path=r"_11\.html$"),
    Fault("bad_table", path=r"_12\.html$"),
    Fault("not_found", path=r"/files/7\.pdf$"),
    Fault("zip_bomb", path=r"/files/9\.docx$", size=256 << 20),
    Fault("oversize", path=r"/files/17\.pdf$", size=3_000_000),
    Fault("climbing_name", path=r"(_19\.html|/files/19\.docx)$"),
    Fault("offsite_links", path=r"(index\.shtml|_7\.html)$"),  # 7: its own PDF is 404, the next link offsite
]


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    """One crawl of a 30-report portal with a fault pinned on each of 15 reports."""
    import json

    from crawling import crawl_env, run_crawl, serve

    tmp = tmp_path_factory.mktemp("faultcrawl")
    site = SyntheticSite(FAULT_N)
    injector = FaultInjector(list(PINNED), seed=0, hang_seconds=15)
    srv = serve(site, filters=[injector])
    db_url = f"sqlite:///{tmp / 'gxnb.sqlite'}"
    try:
        res = run_crawl("synthetic", crawl_env(srv.url, db_url, tmp / "raw"),
                        "-s", "DOWNLOAD_MAXSIZE=2000000",
                        "-O", f"{tmp / 'items.jsonl'}:jsonlines",
                        "-s", "FEED_EXPORT_FIELDS=url,title,record,record_source")
    finally:
        injector.release()
        srv.stop()
    items = {}
    for line in (tmp / "items.jsonl").read_text().splitlines():
        d = json.loads(line)
        items[int(d["url"].rsplit("_", 1)[1][:-5])] = d
    return dict(site=site, res=res, items=items, hits=list(srv.hits), db_url=db_url, tmp=tmp,
                injector=injector)


@needs_store
def test_transient_faults_retried_then_logged_and_the_run_goes_on(fault_crawl):
    res, items, site = fault_crawl["res"], fault_crawl["items"], fault_crawl["site"]
    assert res.returncode == 0, res.stderr[-3000:]
    for i in (1, 3, 4):  # a burst, a reset, a hang: a retry got past each
        assert items[i]["record"]["status"] == "valid"
    for i in (2, 5):  # every try failed: an error naming the URL, no report
        assert i not in items
        assert any("ERROR" in line and site.report_url(i) in line for line in res.stderr.splitlines())
    assert "Gave up retrying" in res.stderr and "redirect loop" in res.stderr
    assert set(items) == set(range(FAULT_N)) - {2, 5}  # every other report made it
    hits_2 = [h for h in fault_crawl["hits"] if h == site.report_url(2)]
    assert len(hits_2) == 3  # RETRY_TIMES=2: bounded


@needs_store
def test_malformed_content_stored_with_findings(fault_crawl):
    from storage import report_counts

    items = fault_crawl["items"]
    truncated = items[6]["record"]
    assert truncated["status"] in ("incomplete", "unparsed") and truncated["findings"]
    for i in (8, 10, 11):  # mislabelled or unlabelled charset: read right all the same
        assert items[i]["record"]["status"] == "valid", items[i]["record"]["findings"]
    bad = items[12]["record"]
    assert bad["status"] == "inconsistent"
    assert any(f["rule"] == "row_total" and f["severity"] == "error" for f in bad["findings"])
    for i, word in ((7, "files/7.pdf could not be fetched"), (17, "max size"), (9, "bomb")):  # 404, too big, zip bomb
        rec = items[i]["record"]
        assert rec["status"] == "unparsed"
        assert rec["applications"] is None  # never invented numbers
        assert any(word in f["message"] for f in rec["findings"]), rec["findings"]
    stored = report_counts(fault_crawl["db_url"])
    assert {site_url for site_url in stored} == {fault_crawl["site"].report_url(i) for i in items}


@needs_store
def test_archive_paths_stay_inside_raw_and_offsite_links_are_not_followed(fault_crawl):
    raw = (fault_crawl["tmp"] / "raw").resolve()
    files = [p for p in raw.rglob("*") if p.is_file()]
    assert files, "nothing archived"
    assert all(p.resolve().is_relative_to(raw) for p in files)
    assert not list(fault_crawl["tmp"].parent.rglob("x.pdf")) and not list(fault_crawl["tmp"].rglob("x.docx"))
    assert fault_crawl["items"][19]["record"]["status"] == "valid"  # the climbing name cost nothing
    assert fault_crawl["injector"].injected["offsite_links"] >= 2
    assert not [h for h in fault_crawl["hits"] if OFFSITE_HOST in h]
    assert "offsite" in fault_crawl["res"].stderr.lower()
