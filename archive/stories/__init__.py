"""The same story across outlets: copies (syndication, republication), their origin, and
related coverage (shared quotes and names in a time window).

No Scrapy and no SQL here: `signature` signs a text (MinHash, LSH band keys, term keys),
`origin` reads what a copy claims about its origin and resolves a group's origin, `copies`
groups a document with its copies when it is stored (through the index's story methods).
`Archive.record_document` calls `prepare` and stores `rows` with the document, so the crawl and `archive reextract`
share one path; the questions archivists ask are in `archive.related`.
"""

from archive.stories.copies import Pending, member, prepare, rows  # noqa: F401
