"""npr.org."""

from crawler.spiders.base import ProfileSpider


class NprSpider(ProfileSpider):
    name = "npr"
    profile_name = "npr"
