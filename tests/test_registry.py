"""Portals as data: the registry file, its checks (every problem named by row and field),
rows as spiders of their platform, and a crawl of a row through `scrapy crawl portal`."""
from __future__ import annotations

import subprocess
import textwrap

import pytest

from crawling import ROOT, SCRAPY, crawl_env, run_crawl, serve
from gxnb_spiders import registry
from gxnb_spiders.platforms.hanweb import HanwebColumnSpider, HanwebXxgkSpider
from gxnb_spiders.platforms.lianyungang import LianyungangSpider
from gxnb_spiders.platforms.trs import TRSSpider

SYNTHETIC_ROW = '''
[[portal]]
id = "syn-a"
name = "合成市人民政府"
url = "http://www.synthetic.test/"
platform = "trs"
column_urls = ["http://www.synthetic.test/xxgk/ndbg/index.shtml"]
area_code = "990100"
level = "city"
schedule = "0 3 * * 1"
'''


def write(tmp_path, text: str):
    path = tmp_path / "portals.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_seed_portals_are_rows_of_their_platform():
    rows = {r["id"]: r for r in registry.load(registry.DEFAULT_REGISTRY)}
    assert set(rows) == {"dt", "laiyang", "lyghz", "muping"}
    bases = {"dt": TRSSpider, "laiyang": HanwebColumnSpider, "lyghz": LianyungangSpider, "muping": HanwebXxgkSpider}
    for pid, base in bases.items():
        cls = registry.spider_class(rows[pid])
        assert issubclass(cls, base) and cls.name == pid
        spider = cls()
        assert spider.portal == pid and spider.portal_url == rows[pid]["url"]
    dt = registry.spider_class(rows["dt"])
    assert dt.column_urls[1] == "http://www.dt.gov.cn/dtszf/zfxxgkndbg/index.shtml"
    assert dt.allowed_domains == ["dt.gov.cn"] and rows["dt"]["schedule"] == registry.DEFAULT_SCHEDULE
    muping = registry.spider_class(rows["muping"])
    assert muping.bodies["烟台市牟平区人民政府办公室"] == "113706120042717488"
    assert rows["muping"]["area_code"] == "370612" and rows["muping"]["level"] == "county"


def test_every_problem_is_named_by_row_and_field(tmp_path):
    path = write(tmp_path, '''
        [[portal]]
        id = "ok"
        name = "好"
        url = "http://www.ok.gov.cn/"
        platform = "trs"
        column_urls = ["http://www.ok.gov.cn/ndbg/index.shtml"]

        [[portal]]
        id = "typo"
        name = "错"
        url = "http://www.typo.gov.cn/"
        platform = "trs"
        colum_urls = ["http://www.typo.gov.cn/ndbg/"]

        [[portal]]
        id = "ok"
        name = "重复"
        url = "http://www.other.gov.cn/"
        platform = "wordpress"

        [[portal]]
        id = "far"
        name = "远"
        url = "http://www.far.gov.cn/"
        platform = "lianyungang"
        column_urls = ["http://www.elsewhere.cn/list.html"]
        area_code = "1234"
        schedule = "every night"

        [[portal]]
        id = "nobody"
        name = "无"
        url = "http://www.nobody.gov.cn/"
        platform = "hanweb_xxgk"
        level = "village"
        ''')
    with pytest.raises(registry.RegistryError) as err:
        registry.load(path)
    msg = str(err.value)
    expected = [
        "portal 2 (id 'typo'): row: Additional properties are not allowed ('colum_urls' was unexpected)",
        "portal 3 (id 'ok'): platform: 'wordpress' is not one of",
        "portal 4 (id 'far'): area_code: '1234' does not match",
        "portal 5 (id 'nobody'): level: 'village' is not one of",
    ]
    for line in expected:
        assert line in msg, msg
    assert msg.startswith("4 problem(s)")
    # rows that pass the field checks are checked for what they mean
    path = write(tmp_path, '''
        [[portal]]
        id = "a"
        name = "甲"
        url = "http://www.a.gov.cn/"
        platform = "trs"

        [[portal]]
        id = "a"
        name = "乙"
        url = "http://www.b.gov.cn/"
        platform = "lianyungang"
        column_urls = ["http://www.elsewhere.cn/list.html"]
        schedule = "every night"
        ''')
    with pytest.raises(registry.RegistryError) as err:
        registry.load(path)
    msg = str(err.value)
    assert "portal 1 (id 'a'): platform trs needs column_urls" in msg
    assert "portal 2 (id 'a'): id: 'a' is already the id of portal 1" in msg
    assert "portal 2 (id 'a'): column_urls.0: http://www.elsewhere.cn/list.html is not within allowed_domains" in msg
    assert "portal 2 (id 'a'): schedule: 'every night' is not a cron expression of 5 fields" in msg


def test_unreadable_files_say_so(tmp_path):
    with pytest.raises(registry.RegistryError, match="no such registry file"):
        registry.load(tmp_path / "none.toml")
    with pytest.raises(registry.RegistryError, match="not valid TOML"):
        registry.load(write(tmp_path, "[[portal]\nid = 1"))
    with pytest.raises(registry.RegistryError, match=r"unknown top-level key\(s\) portals"):
        registry.load(write(tmp_path, "[[portals]]\nid = 'x'"))


def test_scrapy_lists_and_refuses_by_the_registry(tmp_path):
    env = dict(crawl_env("", "sqlite:///" + str(tmp_path / "x.sqlite"), tmp_path / "raw"),
               GXNB_REGISTRY=str(write(tmp_path, SYNTHETIC_ROW)))
    listed = subprocess.run([SCRAPY, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and "syn-a" in listed.stdout.split() and "dt" not in listed.stdout.split()
    env["GXNB_REGISTRY"] = str(write(tmp_path, SYNTHETIC_ROW.replace('platform = "trs"', 'platform = "x"')))
    bad = subprocess.run([SCRAPY, "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "portal 1 (id 'syn-a'): platform: 'x' is not one of" in bad.stderr


def test_a_row_is_crawled_by_scrapy_crawl_portal(tmp_path, sqlite_url):
    from replicas.sites.synthetic import SyntheticSite
    from pipelines.store import Store

    site = SyntheticSite(8)
    srv = serve(site)
    try:
        env = dict(crawl_env(srv.url, sqlite_url, tmp_path / "raw"), GXNB_REGISTRY=str(write(tmp_path, SYNTHETIC_ROW)))
        res = run_crawl("portal", env, "-a", "id=syn-a")
        assert res.returncode == 0, res.stderr[-3000:]
        missing = run_crawl("portal", env, "-a", "id=nope")
        assert missing.returncode != 0 and "no portal 'nope' in the registry" in missing.stderr
    finally:
        srv.stop()
    with Store(sqlite_url, tmp_path / "raw") as store:
        entries = list(store.current_reports())
        assert {e["url"] for e in entries} == site.expected_urls()
        assert {e["portal"] for e in entries} == {"syn-a"}
        assert [r["spider"] for r in store.runs()] == ["syn-a"]


def test_crawlall_takes_the_enabled_rows(tmp_path):
    from scrapy.settings import Settings

    from gxnb_spiders.commands.crawlall import site_spider_names

    off = SYNTHETIC_ROW.replace('id = "syn-a"', 'id = "syn-b"') + "enabled = false\n"
    path = write(tmp_path, SYNTHETIC_ROW + off)
    loader = registry.RegistrySpiderLoader.from_settings(
        Settings({"SPIDER_MODULES": ["gxnb_spiders.spiders"], "GXNB_REGISTRY": str(path)}))
    assert {"syn-a", "syn-b", "portal", "generic"} <= set(loader.list())
    assert site_spider_names(loader) == ["syn-a"]  # not the disabled row, nor portal/generic (told what to crawl)
