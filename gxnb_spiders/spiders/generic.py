"""``scrapy crawl generic -a url=<portal home or column URL>``: any portal, no site file.

Finds the annual-report column, recognises the list's platform, follows its pages and
collects the reports (see platforms/generic.py). Takes ``-a years=…`` and ``-a body=…``
like every spider.
"""
from gxnb_spiders.platforms.generic import GenericSpider as _GenericBase


class GenericSpider(_GenericBase):
    name = "generic"
    needs_argument = "url"  # not crawled by crawlall: it is told which portal
