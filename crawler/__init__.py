"""Everything that speaks HTTP: spiders, discovery, middlewares, pipelines (Scrapy)."""
