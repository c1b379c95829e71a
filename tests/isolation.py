"""Reusable tenant-isolation check for view tests.

    from tests.isolation import assert_isolated

    def test_orders_are_private(client, two_tenants):
        a, b = two_tenants
        order = make_order(tenant=b.tenant)
        assert_isolated(client, owner=b.user, intruder=a.user, urls=[f"/orders/{order.pk}/"])

The owner (tenant B) must reach each URL (so a 404 is not just a wrong URL); the intruder
(a user of tenant A) must get 404 on every one of them, for GET and, with `post=True`, POST.
"""
from dataclasses import dataclass

import pytest


@dataclass
class Member:
    tenant: object
    user: object


def member_create(*, slug, role="owner"):
    from django.contrib.auth import get_user_model

    from tenants.models import Membership, Tenant

    tenant = Tenant.objects.create(slug=slug, name=slug.title())
    user = get_user_model().objects.create_user(username=f"{slug}@example.com", email=f"{slug}@example.com",
                                                password="pw-" + slug)
    Membership.objects.create(user=user, tenant=tenant, role=role)
    return Member(tenant=tenant, user=user)


def assert_isolated(client, *, intruder, urls, owner=None, post=False):
    if owner is not None:
        client.force_login(owner)
        for url in urls:
            status = client.get(url).status_code
            assert status != 404, f"owner gets 404 on {url}: the URL itself is wrong"
        client.logout()
    client.force_login(intruder)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, f"GET {url} as another tenant's user: {response.status_code}, not 404"
        if post:
            response = client.post(url, {})
            assert response.status_code == 404, f"POST {url} as another tenant's user: {response.status_code}, not 404"
    client.logout()


@pytest.fixture
def two_tenants(db):
    """(a, b): two tenants, each with an owner; a.user is the usual intruder into b."""
    return member_create(slug="tenant-a"), member_create(slug="tenant-b")
