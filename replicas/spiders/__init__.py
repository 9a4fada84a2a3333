"""Spiders of portals that exist only as replicas (the synthetic portal), not in the product.

A crawl finds them when this module is added to Scrapy's spider modules:
``scrapy crawl synthetic -s SPIDER_MODULES=gxnb_spiders.spiders,replicas.spiders``
(``CRAWL_ARGS`` below, as the tests and benchmarks pass it).
"""
CRAWL_ARGS = ["-s", "SPIDER_MODULES=gxnb_spiders.spiders,replicas.spiders"]
