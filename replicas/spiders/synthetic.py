"""The synthetic portal (replicas/sites/synthetic.py): a TRS-style column of N reports,
used by the soak test, the fault tests and benchmarks. Configuration only; found through
replicas.spiders.CRAWL_ARGS."""
from gxnb_spiders.platforms.trs import TRSSpider


class SyntheticSpider(TRSSpider):
    name = "synthetic"
    allowed_domains = ["synthetic.test"]
    portal_url = "http://www.synthetic.test/"
    column_urls = ("http://www.synthetic.test/xxgk/ndbg/index.shtml",)
