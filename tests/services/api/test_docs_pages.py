"""/docs and /redoc load only local assets (no CDN), and those assets are served."""

from __future__ import annotations

import re

import pytest

# src="...", href="...", and the URLs the pages' scripts are given (url: '...', spec-url="...").
REFERENCE = re.compile(r"""(?:src|href|url|spec-url)\s*[=:]\s*["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_page_references_only_local_urls_that_are_served(api, page):
    r = api.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert not re.search(r"https?:|//[a-z0-9]", r.text, re.I), "an absolute URL in the page"
    urls = set(REFERENCE.findall(r.text))
    assert "/openapi.json" in urls and any(u.startswith("/docs-assets/") for u in urls), urls
    for url in urls:
        assert url.startswith("/"), url
        served = api.get(url)
        assert served.status_code == 200 and served.content, url


def test_docs_assets_are_the_real_bundles(api):
    for name, kind in (
        ("swagger-ui-bundle.js", "javascript"),
        ("swagger-ui.css", "text/css"),
        ("redoc.standalone.js", "javascript"),
    ):
        r = api.get(f"/docs-assets/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"]
        assert len(r.content) > 100_000, name  # the bundle itself, not a stub
