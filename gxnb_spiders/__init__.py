"""gxnb: the Scrapy side — everything that talks to the web."""
