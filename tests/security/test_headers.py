"""A strict Content-Security-Policy with nothing inline to break it, and Accept-Encoding read properly."""
import re

import pytest
from django.urls import reverse

from connector.encoding import accepts_gzip
from tests.channels.miinto.feed_mirror import mirror_items
from tests.channels.miinto.test_feed_view import feed_url, shop  # noqa: F401  (fixture)
from connector.channels import channels_all
from tests.web.conftest import tenant_data

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style", re.I), "a <style> block"),
    (re.compile(r"\sstyle=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "an on…= handler"),
    (re.compile(r"hx-headers|hx-on|javascript:", re.I), "inline htmx script or JSON"),
]


def test_policy_allows_no_inline_script_or_style(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("name", ["dashboard", "onboarding", "channels", "runs", "orders", "account",
                                  "lightspeed:mappings", *[c.page_url_name for c in channels_all()]])
def test_owner_pages_have_nothing_inline(owner_client, owner, name):
    data = tenant_data(owner.tenant, "MINE")
    html = owner_client.get(reverse(name)).content.decode()
    for pattern, what in INLINE:
        assert not pattern.search(html), f"{name} has {what}: {pattern.search(html).group()!r}"
    if name == "dashboard":
        assert 'name="csrf-token"' in html
    assert data  # the pages render a tenant with data


@pytest.mark.parametrize("url", ["/login/", "/signup/", "/password-reset/"])
def test_public_pages_have_nothing_inline(client, db, url):
    html = client.get(url).content.decode()
    for pattern, what in INLINE:
        assert not pattern.search(html), f"{url} has {what}"


@pytest.mark.parametrize("header,gzip", [
    ("gzip", True), ("gzip, deflate", True), ("GZIP;q=0.5", True), ("*", True), ("x-gzip", True),
    ("gzip;q=0", False), ("gzip; q=0.0", False), ("identity", False), ("", False), ("*;q=0", False),
    ("deflate, *;q=0.1", True), ("*, gzip;q=0", False), ("gzip;q=bogus", False), ("br", False),
])
def test_accepts_gzip_reads_q_values(header, gzip):
    assert accepts_gzip(header) is gzip


def test_feed_is_not_gzipped_when_gzip_is_refused(client, tenant, shop):  # noqa: F811
    mirror_items(tenant, [dict(description=f"item {n}", ean=f"57{n:011d}") for n in range(5)])
    response = client.get(feed_url(shop), headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert response.status_code == 200 and "Content-Encoding" not in response
    assert b"".join(response.streaming_content).startswith(b"")
    zipped = client.get(feed_url(shop), headers={"Accept-Encoding": "gzip;q=1"})
    assert zipped["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_api_docs_run_no_inline_script(client, db, url):
    response = client.get(url)
    script_src = [d for d in response["Content-Security-Policy"].split(";") if "script-src" in d][0]
    assert "unsafe-inline" not in script_src
    assert not INLINE[0][0].search(response.content.decode())
