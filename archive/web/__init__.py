"""`archive serve`: a read-only web viewer over the archive (stdlib WSGI, no framework).

`app` routes requests to `archive.retrieval` and renders with `pages`; `server` runs it on
loopback. Archived HTML is only ever served sandboxed (no scripts, no network)."""
