"""A user of tenant A walks EVERY url pattern of the owner UI and the API, filled with tenant B's objects.

Each answer is 404/403 (for B's objects) or A's own page — never 200 with anything of B's.
A URL pattern this test does not know makes it fail, so a new page cannot skip the check.
"""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from connector.channels import channels_all, channels_selling
from tenants.models import Membership
from tests.web.conftest import JOB

SKIPPED_PREFIXES = {
    "admin/": "support staff's Django admin (staff only, cross-tenant by design)",
}
PUBLIC_BY_DESIGN = {
    "reset/<uidb64>/<token>/": "password reset link: the signed token is the credential",
    "signup/confirm/<str:token>/": "sign-up confirmation link: the mailed token is the credential",
    "invite/<str:token>/": "invitation link: the mailed token is the credential (no shop needed yet)",
    "api/schema/": "the OpenAPI description (no tenant data)",
    "api/docs/": "API docs page (no tenant data)", "api/redoc/": "API docs page (no tenant data)",
}


def public_routes(tenant):
    """The core's public URLs plus each channel's (feeds, webhooks: the secret in the URL is the credential)."""
    return set(PUBLIC_BY_DESIGN) | {route for c in channels_all() if c.public_urls
                                    for route in c.public_urls(tenant=tenant)}


def all_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")


def leak_markers():
    return ["BSECRET", "Shop-B", "shop-b@example.com"]


def fill(route, b):
    """The route with tenant B's objects in its parameters; None when the route takes none."""
    data = b.data
    by_route = {
        "runs/<int:pk>/": {"pk": data["run"].pk},
        "orders/<int:pk>/": {"pk": data["order"].pk},
        "orders/<int:pk>/retry/": {"pk": data["order"].pk},
        "account/members/<int:pk>/remove/": {"pk": Membership.objects.get(tenant=b.tenant).pk},
        "account/tokens/<int:pk>/revoke/": {"pk": _b_token(b).pk},
        "account/invites/<int:pk>/revoke/": {"pk": _b_invite(b).pk},
        "jobs/<str:job>/run/": {"job": JOB},
        "jobs/<str:job>/status/": {"job": JOB},
        "channels/<str:key>/switch/": {"key": CHANNEL},
        "channels/<str:key>/resume/": {"key": CHANNEL},
        "channels/<str:key>/test/": {"key": CHANNEL},
    }
    api_ids = {"run": data["run"].pk, "order": data["order"].pk, "schedule": data["schedule"].pk,
               "channel": CHANNEL, "job": JOB, "token": _b_token(b).pk}
    if route in by_route:
        values = by_route[route]
    elif route.startswith("api/"):
        parts = route.split("/")
        kind = parts[1].rstrip("s")
        values = {"pk": api_ids.get(kind), "key": api_ids.get(kind), "name": api_ids.get(kind)}
    else:
        values = {}
    def sub(match):
        name = match.group(1) or match.group(2).split(":")[-1]
        if values.get(name) is None:
            raise AssertionError(f"isolation walk: no tenant-B value for <{name}> in {route!r}; add one")
        return str(values[name])

    return "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)|<([^>]+)>", sub, route)


def _b_token(b):
    from tenants.models import ApiToken
    from tenants.tokens import api_token_create

    return ApiToken.objects.filter(user=b.user).first() or api_token_create(user=b.user)[0]


def _b_invite(b):
    from tenants.invites import invite_create, invites_pending

    return invites_pending(tenant=b.tenant).first() or invite_create(tenant=b.tenant, email="invitee@shop-b.example")


def object_routes(route):
    """Routes naming a tenant object (pk); job names and channel keys are global."""
    return "<int:pk>" in route or "(?P<pk>" in route


CHANNEL = channels_selling()[0].key


@pytest.fixture
def routes(other):
    found = sorted(set(all_routes()))
    public = public_routes(other.tenant)
    return [r for r in found if not any(r.startswith(p) for p in SKIPPED_PREFIXES) and r not in public
            and "format" not in r]


def test_the_walk_covers_the_urls(routes):
    assert len(routes) > 25
    assert any(r.startswith("api/runs/") for r in routes) and "orders/<int:pk>/" in routes


@pytest.mark.parametrize("method", ["get", "post"])
def test_tenant_a_never_sees_tenant_b(client, owner, other, routes, method):
    client.force_login(owner.user)
    failures = []
    b_public = {c.key: c.public_urls(tenant=other.tenant) for c in channels_all() if c.public_urls}
    b_secrets = [t for urls in b_public.values() for url in urls.values() for t in re.findall(r"[\w-]{16,}", url)]
    assert b_secrets, "each public URL carries its secret"
    for route in routes:
        client.force_login(owner.user)  # logout/ is on the walk too
        url = fill(route, other)
        response = getattr(client, method)(url)
        body = response.content.decode(errors="replace")
        leaked = [m for m in leak_markers() + b_secrets if m in body]
        if leaked:
            failures.append(f"{method.upper()} {url}: {response.status_code} shows {leaked}")
        if object_routes(route) and response.status_code not in (403, 404, 405):
            failures.append(f"{method.upper()} {url}: {response.status_code} for tenant B's object, not 404")
    assert not failures, "\n".join(failures)
    # and B's things are unchanged by A's POSTs
    assert b_public == {c.key: c.public_urls(tenant=other.tenant) for c in channels_all() if c.public_urls}
    other.data["order"].refresh_from_db()
    assert other.data["order"].state == "failed"
    assert Membership.objects.filter(tenant=other.tenant).count() == 1


def test_token_auth_is_scoped_too(client, owner, other):
    from tenants.tokens import api_token_create

    _, key = api_token_create(user=owner.user)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get(f"/api/runs/{other.data['run'].pk}/", **auth).status_code == 404
    assert client.get(f"/api/orders/{other.data['order'].pk}/", **auth).status_code == 404
    assert client.post(f"/api/orders/{other.data['order'].pk}/retry/", **auth).status_code == 404
    listing = client.get("/api/runs/", **auth)
    assert listing.status_code == 200 and listing.json()["count"] == 0
    for channel in channels_selling():
        assert "BSECRET" not in client.get(f"/api/channels/{channel.key}/settings/", **auth).content.decode()
