"""The archive: WARC files, the SQLite index, and everything derived from them.

This package never imports Scrapy: an archivist's machine needs only `archive`.
"""

__version__ = "0.1.0"
SOFTWARE = f"newsarchive/{__version__}"
