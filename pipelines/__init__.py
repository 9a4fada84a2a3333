"""gxnb's pipeline: everything after a page is fetched. No Scrapy below this package,
except the thin glue in ``pipelines.scrapy``."""
