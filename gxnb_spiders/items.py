"""What a spider hands on to the pipelines: one ReportItem per report page."""
import scrapy


class ReportItem(scrapy.Item):
    # where it comes from
    portal = scrapy.Field()          # site name, e.g. "laiyang" (the spider's name)
    portal_url = scrapy.Field()      # portal base URL, e.g. "http://www.laiyang.gov.cn/"
    platform = scrapy.Field()        # "hanweb_jcms", "hanweb_xxgk", "lianyungang", "trs", "generic"
    body_name = scrapy.Field()       # reporting body as the portal names it (may be None: taken from the report)
    body_code = scrapy.Field()       # area / unit code where the portal has one (xxgk `area`)
    url = scrapy.Field()             # the report page's real portal URL
    title = scrapy.Field()
    year = scrapy.Field()            # year reported on, when the list or URL says it (fbtime=2023)
    # metadata block of the page; keys (absent when the page has none):
    # index_no 索引号, category 分类/信息分类, publisher 发布机构, doc_no 文号,
    # written_date 成文日期, published_date 发布日期/发布时间, validity 有效性/时效
    metadata = scrapy.Field()        # dict
    listed_date = scrapy.Field()     # date shown beside the link on the list page (for incremental crawls)
    # the body
    body = scrapy.Field()            # raw bytes of the report page as fetched
    content_type = scrapy.Field()    # e.g. "text/html; charset=gbk"
    encoding = scrapy.Field()        # encoding Scrapy decoded the page with
    # candidate documents linked from the report (PDF, Word, WPS, spreadsheets, OFD, images):
    # list of {"url", "name"} as the spider found them. The reading side (pipelines/workers.py)
    # fetches those it needs and adds "content_type", "data" (bytes or None), "error" (str or None).
    attachments = scrapy.Field()
    # filled by gxnb_spiders.item_pipelines.ExtractPipeline
    record = scrapy.Field()          # the canonical record (shared/schema/annual-report.md)
    record_source = scrapy.Field()   # "html" or the attachment URL the record was read from
