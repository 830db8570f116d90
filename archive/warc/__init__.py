"""Everything about WARC files, and nothing about HTML or the index.

- `records`: building WARC/1.1 records (response, request, revisit, conversion, metadata)
  and reading one back;
- `writer`: gzip-per-record files, `.open` while written, rolled at a size;
- `members`: a file's gzip members one by one (where each record starts and ends);
- `payload`: an archived HTTP payload as text (Content-Encoding undone, charset found);
- `recovery`: cutting a crashed `.open` file back to its last complete record;
- `verification`: re-reading every record and digest, checking every index row;
- `storage`: where closed files live (a local folder, or S3-compatible object storage).

`from archive import warc` gives the record and writer API in one name, as before.
"""

from archive.warc.records import (  # noqa: F401
    DROPPED_REQUEST_HEADERS, IDENTICAL_PAYLOAD, OPEN_SUFFIX, RENAMED_HEADERS, SERVER_NOT_MODIFIED,
    WARC_VERSION, conversion_record, iter_records, metadata_record, parse_record, read_record, record_id,
    request_record, response_record, revisit_record, warc_date,
)
from archive.warc.writer import RecordLocation, RollingWarcWriter  # noqa: F401
