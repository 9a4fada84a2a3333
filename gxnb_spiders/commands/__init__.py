"""gxnb's scrapy commands: extract, export, demo, crawlall, diffreport."""
