"""Hostile input gets a 4xx, never a 500: NUL bytes, huge numbers, impossible dates, deeply nested JSON,
format suffixes — over EVERY URL pattern, as the owner and as a stranger."""
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tenants.models import Membership
from tenants.tokens import api_token_create
from connector.channels import channels_all
from tests.web.conftest import CHANNEL, JOB, tenant_data

DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000
NUL_JSON = ('{"identifier": "a\\u0000b", "feed_currency\\u0000": "DKK", "on": true, "dry_run": false, '
            '"name": "x\\u0000"}')
HOSTILE_QUERY = ("job=%00&channel=%00&state=%00&status=%00&limit=99999999999999999999&offset=99999999999999999999"
                 "&after=0001-01-01T00:00:00%2B14:00&since=9999-12-31T23:59:59-14:00&next=%00")
SKIPPED = {"admin/": "Django's own admin (its views are Django's; /admin/login/ is checked below)"}


def all_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")


def fill(route, values):
    route = re.sub(r"\\\.\(\?P<format>[^)]*\)/?|\.\(\?P<format>[^)]*\)/?", ".json", route)
    route = re.sub(r"<format>|\(\?P<format>[^)]*\)", "json", route)

    def sub(match):
        name = match.group(1) or match.group(2).split(":")[-1]
        return str(values.get(name, "1"))

    return "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)|<([^>]+)>", sub, route).replace("/?", "/")


@pytest.fixture
def urls(owner):
    data = tenant_data(owner.tenant, "MINE")
    token, _ = api_token_create(user=owner.user)
    public = [url for c in channels_all() if c.public_urls for url in c.public_urls(tenant=owner.tenant).values()]
    values = {"pk": data["run"].pk, "key": CHANNEL, "name": JOB, "job": JOB,
              "token": re.findall(r"[\w-]{16,}", public[0])[0], "shop_id": "MINE-MSHOP", "uidb64": "MQ", "tag": "x"}
    by_route = {"orders/<int:pk>/": data["order"].pk, "orders/<int:pk>/retry/": data["order"].pk,
                "account/members/<int:pk>/remove/": Membership.objects.get(user=owner.user).pk,
                "account/tokens/<int:pk>/revoke/": token.pk}
    found = sorted({r for r in all_routes() if not any(r.startswith(p) for p in SKIPPED)})
    assert len(found) > 40
    return [fill(r, {**values, "pk": by_route.get(r, values["pk"])}) for r in found]


def _requests(url):
    """(method, url, kwargs) of the corpus for one URL."""
    yield "get", f"{url}?{HOSTILE_QUERY}", {}
    yield "get", url.rstrip("/") + "%00" + ("/" if url.endswith("/") else ""), {}
    if url.endswith(".tsv"):
        yield "get", url[:-4] + "%00.tsv", {}
    yield "post", url, {"data": DEEP_JSON, "content_type": "application/json"}
    yield "post", url, {"data": DEEP_OBJECT, "content_type": "application/json"}
    yield "post", url, {"data": NUL_JSON, "content_type": "application/json"}
    yield "patch", url, {"data": NUL_JSON, "content_type": "application/json"}
    yield "post", url, {"data": {"name": "x\x00", "email": "a\x00@b.c", "next": "\x00", "on": "1",
                                 "identifier": "\x00"}}
    if not url.endswith((".tsv", ".json")):
        yield "get", url.rstrip("/") + ".json", {}
        yield "post", url.rstrip("/") + ".json", {"data": "{}", "content_type": "application/json"}


def _walk(client, urls, **headers):
    failures = []
    for url in urls:
        for method, target, kwargs in _requests(url):
            response = getattr(client, method)(target, **kwargs, **headers)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {target[:120]}: {response.status_code}")
    return failures


def test_no_5xx_for_the_owner_on_any_url(owner, urls):
    client = Client(raise_request_exception=False)
    client.force_login(owner.user)
    failures = _walk(client, urls)
    assert not failures, "\n".join(failures)


def test_no_5xx_with_token_auth_on_the_api(owner, urls):
    _, key = api_token_create(user=owner.user)
    failures = _walk(Client(raise_request_exception=False), [u for u in urls if u.startswith("/api/")],
                     HTTP_AUTHORIZATION=f"Token {key}")
    assert not failures, "\n".join(failures)


def test_no_5xx_for_a_stranger_on_any_url(owner, urls):
    failures = _walk(Client(raise_request_exception=False), urls + ["/admin/login/"])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("url", ["/api/runs/?job=%00", "/api/orders/?channel=%00", "/runs/?job=%00",
                                 "/orders/?channel=%00"])
def test_nul_in_a_filter_is_a_400_that_says_why(owner_client, url):
    response = owner_client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_deep_json_on_the_token_endpoint_is_a_400(client, db):
    response = client.post("/api/token/", DEEP_JSON, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_huge_limit_is_capped(owner_client, owner):
    tenant_data(owner.tenant, "MINE")
    response = owner_client.get("/api/runs/?limit=99999999999999999999")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert owner_client.get("/api/runs/?offset=99999999999999999999").status_code == 400


def test_format_suffix_routes_are_gone_not_broken(owner_client):
    assert owner_client.get("/api/channels.json").status_code == 404
    assert owner_client.get("/api/jobs.json").status_code == 404


def test_run_status_with_a_date_before_year_one_answers(owner_client):
    response = owner_client.get(f"/jobs/{JOB}/status/?after=0001-01-01T00:00:00%2B14:00")
    assert response.status_code == 200
