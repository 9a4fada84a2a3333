"""烟台市牟平区人民政府: the Hanweb xxgk module's 年报 navigation, one portal with many
reporting bodies (each its own ``area`` code)."""
from gxnb_spiders.platforms.hanweb import HanwebXxgkSpider


class MupingSpider(HanwebXxgkSpider):
    name = "muping"
    portal_url = "http://www.muping.gov.cn/"
    allowed_domains = ["muping.gov.cn"]
    units_urls = ("http://www.muping.gov.cn/col/col39386/index.html",)
    # the two bodies the portal's own links show; the navigation adds the departments
    bodies = {
        "烟台市牟平区人民政府": "113706000042603877A&showType=2",
        "烟台市牟平区人民政府办公室": "113706120042717488",
    }
