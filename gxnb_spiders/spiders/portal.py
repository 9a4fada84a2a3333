"""``scrapy crawl portal -a id=<id>``: one portal of the registry (gxnb_spiders/portals.toml
or GXNB_REGISTRY), crawled by its platform's base spider. Takes ``-a years=…``,
``-a body=…`` and ``-a full=1`` like every spider."""
import scrapy

from gxnb_spiders import registry


class PortalSpider(scrapy.Spider):
    name = "portal"
    needs_argument = "id"  # not crawled by crawlall: it is told which registry row

    @classmethod
    def from_crawler(cls, crawler, *args, id: str | None = None, **kwargs):
        if not id:
            raise ValueError("scrapy crawl portal needs -a id=<portal id of the registry>")
        row = registry.find(id, registry.registry_path(crawler.settings))
        return registry.spider_class(row).from_crawler(crawler, *args, **kwargs)
