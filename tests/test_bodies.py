"""`-a body=` as a person writes a body's name, and `scrapy bodies SPIDER`."""
from __future__ import annotations

import sqlite3
import subprocess

import pytest

from crawling import FAST, ROOT, SCRAPY, crawl_env, run_crawl
from gxnb_spiders.bodies import matches
from gxnb_spiders.platforms.base import parse_years

# names as the replicas' portals (copies of the real ones) print them
OFFICE = "烟台市牟平区人民政府办公室"
GOVERNMENT = "烟台市牟平区人民政府"


@pytest.mark.parametrize("wanted", ["区政府办公室", "牟平区政府办公室", "牟平区人民政府办公室", OFFICE,
                                    "區政府辦公室", "烟台市牟平区政府办公室", " 区政府办公室 ", "113706120042717488"])
def test_ways_of_writing_the_office_match_it_alone(wanted):
    assert matches(wanted, OFFICE, "113706120042717488")
    assert not matches(wanted, GOVERNMENT, "113706000042603877A")


@pytest.mark.parametrize("wanted, name", [("区政府", GOVERNMENT), ("牟平区人民政府", GOVERNMENT),
                                          ("教育局", "大同市教育局"), ("大同教育局", "大同市教育局"),
                                          ("市场监督管理局", "莱阳市市场监督管理局"), ("卫生健康委员会", "海州区卫生健康委员会")])
def test_short_forms_match(wanted, name):
    assert matches(wanted, name)


@pytest.mark.parametrize("wanted, name", [("办公室", OFFICE), ("区政府", OFFICE), ("财政局", "大同市教育局"),
                                          ("大同市教育局", "海州区教育局"), ("1137", "x")])
def test_other_bodies_and_cut_names_do_not_match(wanted, name):
    assert not matches(wanted, name, "113706120042717488")


def test_years_refused_when_malformed_or_reversed():
    assert parse_years("2019,2021-2023") == {2019, 2021, 2022, 2023}
    for spec in ("abc", "2023-2021", "21", "2021-"):
        with pytest.raises(ValueError, match=r"-a years="):
            parse_years(spec)


def test_readme_body_example_stores_that_body(tmp_path, replica):
    db = tmp_path / "gxnb.sqlite"
    res = run_crawl("muping", crawl_env(replica.url, f"sqlite:///{db}", tmp_path / "raw"), "-a", "body=区政府办公室")
    assert res.returncode == 0, res.stderr[-3000:]
    with sqlite3.connect(db) as c:
        bodies = {name for (name,) in c.execute(
            "SELECT DISTINCT b.name FROM reports r JOIN bodies b ON b.id = r.body_id")}
    assert bodies == {OFFICE}


def test_bodies_command_lists_the_portals_bodies(tmp_path, replica):
    env = crawl_env(replica.url, f"sqlite:///{tmp_path / 'gxnb.sqlite'}", tmp_path / "raw")
    res = subprocess.run([SCRAPY, "bodies", "muping", *FAST], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    lines = res.stdout.splitlines()
    assert lines[0].startswith("muping: 7 reporting bodies on the lists")
    office = next(line for line in lines if OFFICE in line)
    assert "2019-2024 (6)" in office and "113706120042717488" in office
    assert not (tmp_path / "gxnb.sqlite").exists()  # a listing stores nothing
