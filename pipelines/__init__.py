"""gxnb's pipeline: everything after a page is fetched. No Scrapy below this package, and
no import of the crawler (gxnb_spiders): its Scrapy item pipelines, the glue calling this
package, are ``gxnb_spiders.item_pipelines``."""
