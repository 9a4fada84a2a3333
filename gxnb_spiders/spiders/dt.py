"""大同市人民政府 (www.dt.gov.cn): TRS-style columns of annual reports, served as GBK."""
from gxnb_spiders.platforms.trs import TRSSpider


class DtSpider(TRSSpider):
    name = "dt"
    portal_url = "http://www.dt.gov.cn/"
    allowed_domains = ["www.dt.gov.cn", "dt.gov.cn"]
    # reports on 2021 onwards, then the older column (2019, 2020); 市政府, 市政府办公室 and
    # departments share them; the simplified pages are crawled, not the 繁體 view
    column_urls = (
        "http://www.dt.gov.cn/dtszf/gkndbgz/index.shtml",
        "http://www.dt.gov.cn/dtszf/zfxxgkndbg/index.shtml",
    )
