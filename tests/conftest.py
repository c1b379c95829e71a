import pytest

from connector.clock import FakeClock
from tenants.context import tenant_context
from tenants.models import Tenant
from tests.isolation import member_create, two_tenants  # noqa: F401  (fixture for every view test)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_tenant(db):
    def make(slug="acme", **kwargs):
        return Tenant.objects.create(slug=slug, name=kwargs.pop("name", slug.title()), **kwargs)

    return make


@pytest.fixture
def tenant(make_tenant):
    return make_tenant("acme")


@pytest.fixture
def in_tenant(tenant):
    with tenant_context(tenant):
        yield tenant


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with an empty cache database: the shared rate-limit buckets and the feed's
    fetch notes live there (Redis db 15 in tests) and must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def queued_runs(monkeypatch):
    """Tests never talk to a broker: queued runs are collected instead of sent."""
    from connector import tasks

    sent = []
    monkeypatch.setattr(tasks.run_job_task, "apply_async",
                        lambda args=None, kwargs=None, **opts: sent.append((args, kwargs, opts)))
    return sent


@pytest.fixture(autouse=True)
def public_url_served():
    """Requests to the connector's own PUBLIC_URL (a channel's check fetching what the channel fetches) are
    answered in-process by Django's test client."""
    from connector.http import transport_overrides
    from tests.django_transport import DjangoTransport

    transport_overrides["public_url"] = DjangoTransport()
    yield
    transport_overrides.pop("public_url", None)


@pytest.fixture
def owner(db):
    """The owner of shop A, signed up (web, channel and security tests)."""
    return member_create(slug="shop-a")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client
