"""连云港市海州区人民政府 (www.lyghz.gov.cn): the 政府信息公开年报 column lists every body's reports."""
from gxnb_spiders.platforms.lianyungang import LianyungangSpider


class LyghzSpider(LianyungangSpider):
    name = "lyghz"
    portal_url = "http://www.lyghz.gov.cn/"
    allowed_domains = ["www.lyghz.gov.cn", "lyghz.gov.cn"]
    # one column for 区政府办公室 and the departments alike; bodies come from the list
    column_urls = ("http://www.lyghz.gov.cn/lyghzqrmzf/zfxxgknb/index.html",)
