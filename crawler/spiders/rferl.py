"""RFE/RL-family (Pangea CMS) sites: rferl.org, language services, VOA, polygraph.info."""

from crawler.spiders.base import ProfileSpider


class RferlSpider(ProfileSpider):
    name = "rferl"
    profile_name = "pangea"
