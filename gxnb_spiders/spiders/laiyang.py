"""莱阳市人民政府 (烟台): the 政府信息公开年报 column of its Hanweb JCMS portal, whose
records link to the xxgk module's report pages and to JCMS articles."""
from gxnb_spiders.platforms.hanweb import HanwebColumnSpider


class LaiyangSpider(HanwebColumnSpider):
    name = "laiyang"
    portal_url = "http://www.laiyang.gov.cn/"
    allowed_domains = ["laiyang.gov.cn"]
    column_urls = ("http://www.laiyang.gov.cn/col/col7441/index.html",)
