"""NPR member stations on the Grove/Brightspot theme."""

from crawler.spiders.base import ProfileSpider


class StationsSpider(ProfileSpider):
    name = "stations"
    profile_name = "stations"
