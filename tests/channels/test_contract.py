"""The channel contract: every registered channel passes these (Zulip's WebhookTestCase idea).

A channel only declares itself (channel.py); these tests find it in the registry and check what the
core promises for it. `tests/dummychannel`, a channel that lives only in the tests, passes them too,
and shows up in the nav, setup, dashboard and API without a line changed outside its package.
"""
import io
import json
from pathlib import Path

import httpx
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from connector.channels import channel_get, channels_selling
from connector.crypto import EncryptedTextField
from connector.http import transport_overrides
from connector.models import Schedule
from connector.runs import run_job
from connector.schedules import schedule_pause
from tests.lightspeed_sandbox import connect
from tests.web.test_isolation import all_routes, public_routes

CHANNEL_KEYS = [c.key for c in channels_selling()]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
PACKAGE_FILES = {"channel.py", "models.py", "client.py", "mapping.py", "jobs.py", "services.py", "selectors.py",
                 "forms.py", "views.py", "api.py", "urls.py", "admin.py", "demo.py", "sandbox", "templates"}

pytestmark = pytest.mark.django_db


class Recording(httpx.BaseTransport):
    """Passes requests to a sandbox's transport and remembers each (method, path)."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def handle_request(self, request):
        self.calls.append((request.method, request.url.path))
        return self.inner.handle_request(request)

    def writes_since(self, start, login_paths):
        return [c for c in self.calls[start:] if c[0] in WRITES and not c[1].endswith(tuple(login_paths))]


@pytest.fixture
def routed(clock, settings):
    """Every channel's sandbox (Lightspeed's too) built on the test clock and recorded."""
    from connector.channels import channels_all

    recorders = {}
    for channel in channels_all():
        if channel.sandbox is None:
            continue
        sandbox = channel.sandbox.build(clock=clock)
        recorders[channel.key] = (sandbox, Recording(sandbox.transport()))
        transport_overrides[channel.key] = recorders[channel.key][1]
        if channel.sandbox.listen:
            for name, url in channel.sandbox.listen(sandbox).items():
                setattr(settings, name, url)
    ls = recorders["lightspeed"][0]
    settings.LIGHTSPEED_CLIENT_ID, settings.LIGHTSPEED_CLIENT_SECRET = ls.client_id, ls.client_secret
    yield recorders
    for key, (sandbox, _) in recorders.items():
        transport_overrides.pop(key, None)
        if hasattr(sandbox, "close"):
            sandbox.close()


def _api_settings_url(channel):
    return reverse(f"api:{channel.key}:settings")


def _enter_credentials(client, channel):
    credentials = channel.sandbox.credentials({})
    response = client.patch(_api_settings_url(channel), json.dumps(credentials), content_type="application/json")
    assert response.status_code == 200, response.content
    return credentials


def _enabled_jobs(tenant):
    return set(Schedule.objects.for_tenant(tenant).filter(enabled=True).values_list("job", flat=True))


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_declares_what_the_core_needs(key):
    channel = channel_get(key)
    assert channel.jobs, "a channel registers at least one job"
    assert channel.primary_job in {job.name for job in channel.jobs}
    assert channel.settings_model and channel.settings_form and channel.settings_serializer
    assert channel.sandbox is not None and channel.sandbox.credentials is not None
    assert channel.on_switch is not None and channel.setup_steps


@pytest.mark.parametrize("key", [k for k in CHANNEL_KEYS if k != "dummy"])
def test_package_has_the_same_files_as_every_channel(key):
    package = Path(django_settings.BASE_DIR) / "channels" / key
    missing = PACKAGE_FILES - {p.name for p in package.iterdir()}
    assert not missing, f"channels/{key}/ lacks {sorted(missing)} (README: Adding a channel)"


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_page_renders_for_a_new_tenant(owner_client, key):
    response = owner_client.get(reverse(channel_get(key).page_url_name))
    assert response.status_code == 200
    assert f"Switch {channel_get(key).title} on" in response.content.decode()


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_switching_on_without_credentials_says_what_to_enter(owner_client, owner, key):
    channel = channel_get(key)
    response = owner_client.post(reverse("channel_switch", args=[key]), {"on": "1"}, follow=True)
    html = response.content.decode()
    assert f"{channel.title} stays off: Enter" in html
    assert not _enabled_jobs(owner.tenant)


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_switching_on_and_off_starts_and_stops_its_schedules(owner_client, owner, routed, key):
    channel = channel_get(key)
    _enter_credentials(owner_client, channel)
    owner_client.post(reverse("channel_switch", args=[key]), {"on": "1"})
    assert {job.name for job in channel.jobs} <= _enabled_jobs(owner.tenant)
    owner_client.post(reverse("channel_switch", args=[key]), {"on": "0"})
    assert not {job.name for job in channel.jobs} & _enabled_jobs(owner.tenant)


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_settings_round_trip_through_the_api_and_never_return_a_secret(owner_client, owner, routed, key):
    channel = channel_get(key)
    credentials = _enter_credentials(owner_client, channel)
    body = owner_client.get(_api_settings_url(channel)).content.decode()
    stored = channel.settings_model.objects.for_tenant(owner.tenant).get()
    secrets = {getattr(stored, f.name) for f in stored._meta.fields if isinstance(f, EncryptedTextField)} - {""}
    assert secrets, "the sandbox credentials include a secret"
    assert not [s for s in secrets if s in body]
    assert any(value in body for value in set(credentials.values()) - secrets), "plain settings come back"


@pytest.mark.parametrize("key", [c.key for c in channels_selling() if c.test_connection])
def test_test_connection_accepts_the_sandbox_credentials_and_names_a_wrong_secret(owner, routed, key):
    """The hook behind "Test connection" and the save check: (tenant=, values=) -> problems, [] when it works."""
    channel = channel_get(key)
    credentials = channel.sandbox.credentials({})
    assert channel.test_connection(tenant=owner.tenant, values=dict(credentials)) == []
    model = channel.settings_model
    secret_fields = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField) and f.name in credentials]
    wrong = {**credentials, **{name: "wrong-" + credentials[name] for name in secret_fields}}
    problems = channel.test_connection(tenant=owner.tenant, values=wrong)
    assert isinstance(problems, list) and problems and all(isinstance(p, str) and p for p in problems)
    assert not model.objects.for_tenant(owner.tenant).exclude(**{secret_fields[0]: ""}).exists(), "a test saves nothing"


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_every_job_honours_dry_run_and_writes_nothing_outside(owner_client, owner, routed, clock, key):
    channel = channel_get(key)
    connect(owner.tenant, routed["lightspeed"][0], clock)
    for job in ("lightspeed.reference_sync", "lightspeed.catalog_sync"):
        assert run_job(tenant=owner.tenant, job=job, clock=clock).status == "succeeded"
    if channel.demo_seed:  # set up as in the demo (e.g. Miinto shops mapped), against the sandboxes
        channel.demo_seed(tenant=owner.tenant, stdout=io.StringIO())
    else:
        _enter_credentials(owner_client, channel)
    before = {k: len(rec.calls) for k, (_, rec) in routed.items()}
    for job in channel.jobs:
        run = run_job(tenant=owner.tenant, job=job.name, clock=clock, dry_run=True)
        assert run.dry_run and run.error_kind != "bug", f"{job.name}: {run.error}"
    for name, (_, recording) in routed.items():
        writes = recording.writes_since(before[name], channel_get(name).sandbox.login_paths)
        assert not writes, f"{key} dry run wrote to {name}: {writes}"
    assert sum(len(rec.calls) for _, rec in routed.values()) > sum(before.values()), "the jobs read something"


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_isolation_walk_covers_its_pages_api_and_public_urls(owner, key):
    channel = channel_get(key)
    routes = set(all_routes())
    own = {r for r in routes if r.startswith((channel.prefix, f"api/channels/{key}/"))}
    public = set(channel.public_urls(tenant=owner.tenant)) if channel.public_urls else set()
    assert public <= own, "public URLs are the channel's own routes"
    assert public <= public_routes(owner.tenant), "the walk treats them as public by design"
    assert own - public, "the walk checks the rest with a session of another tenant"
    for url in channel.public_urls(tenant=owner.tenant).values() if channel.public_urls else ():
        assert url.startswith("/" + channel.prefix)


@pytest.mark.parametrize("key", CHANNEL_KEYS)
def test_a_paused_schedule_is_resumed_from_the_owners_page(owner_client, owner, routed, key):
    channel = channel_get(key)
    _enter_credentials(owner_client, channel)
    owner_client.post(reverse("channel_switch", args=[key]), {"on": "1"})
    schedule_pause(tenant=owner.tenant, job=channel.primary_job, reason="The channel rejected the key.")
    html = owner_client.get(reverse(channel.page_url_name)).content.decode()
    assert "Paused: The channel rejected the key." in html and f"Resume {channel.title}</button>" in html
    owner_client.post(reverse("channel_resume", args=[key]))
    assert not Schedule.objects.for_tenant(owner.tenant).exclude(paused_reason="").exists()


def test_the_dummy_channel_is_in_the_nav_setup_dashboard_and_api(owner_client, owner, routed):
    dummy = channel_get("dummy")
    dashboard = owner_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("dummy:settings")}"' in dashboard and 'id="ch-dummy"' in dashboard
    assert "Dummy" in owner_client.get(reverse("onboarding")).content.decode()
    _enter_credentials(owner_client, dummy)
    owner_client.post(reverse("channel_switch", args=["dummy"]), {"on": "1"})
    setup = owner_client.get(reverse("onboarding")).content.decode()
    assert 'data-step="dummy.credentials"' in setup
    listed = owner_client.get("/api/channels/").json()
    assert any(c["key"] == "dummy" and c["enabled"] for c in listed)
