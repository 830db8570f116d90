"""A stand-in for archive.extract.clean in re-extraction tests: deterministic, and able to
change its output between runs through an environment variable (the "new rules")."""

from __future__ import annotations

import os
import re


def clean(html: str, url: str, learned=None) -> dict:
    paragraphs = [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>(.*?)</p>", html, re.S)]
    text = "\n\n".join(p for p in paragraphs if p)
    if os.environ.get("FAKE_RULES") == "2":
        text = text.upper()
    if "/z/" in url:
        return {"title": None, "text": "", "page_type": "listing"}
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    return {"title": title.group(1) if title else None, "text": text, "page_type": "article",
            "extractor": "fake/1", "rules_version": os.environ.get("FAKE_RULES", "1")}
