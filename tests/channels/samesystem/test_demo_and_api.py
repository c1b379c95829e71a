"""The demo seed (maps the sandbox's departments to the Lightspeed shops, a week of sales, and the nightly
run sends it), the sandbox command's `key: value` banner, and the REST API."""
import importlib.util
import json
import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from channels.samesystem.demo import demo_seed
from channels.samesystem.models import SameSystemDepartment, SameSystemImport, SameSystemSettings
from channels.samesystem.sandbox import SameSystemSandbox, server
from connector.runs import run_job

from .conftest import CPH, MAIN, configure, make_shops

pytestmark = pytest.mark.django_db


def test_demo_seed_maps_the_sandbox_and_its_week_of_sales_is_sent(shops, ss_sandbox, settings):
    settings.SAMESYSTEM_API_URL = "http://127.0.0.1:8105/api/v1"
    demo_seed(tenant=shops, stdout=StringIO())
    demo_seed(tenant=shops, stdout=StringIO())  # idempotent
    config = SameSystemSettings.objects.for_tenant(shops).get()
    assert config.enabled and config.email == ss_sandbox.email and len(config.field_map) == 8
    mapped = dict(SameSystemDepartment.objects.for_tenant(shops).values_list("ctx_token", "lightspeed_shop_ls_id"))
    assert mapped == {"c1d10": 1, "c1d11": 2, "c1d12": None}
    run = run_job(tenant=shops, job="samesystem.nightly_export")
    assert run.status == "succeeded" and run.counts["days_sent"] == 3
    yesterday = datetime.now(CPH).date() - timedelta(days=1)
    gross = ss_sandbox.balance(MAIN, 1, yesterday)["lines"][5266]
    assert gross > 0


def test_demo_seed_never_points_at_a_real_samesystem(tenant, settings):
    settings.SAMESYSTEM_API_URL = "https://in.samesystem.com/api/v1"
    out = StringIO()
    assert demo_seed(tenant=tenant, stdout=out) is None and "skipped" in out.getvalue()
    assert not SameSystemSettings.objects.for_tenant(tenant).exists()


def test_the_sandbox_command_prints_email_and_password_as_key_value_lines(monkeypatch):
    printed = {}
    monkeypatch.setattr(server, "wsgi_serve", lambda app, *, port, banner, stdout: printed.update(banner=banner))
    server.serve(StringIO(), 9161, sftp_port=0)
    lines = dict(re.findall(r"^(\w+): (.+)$", printed["banner"], flags=re.M))
    assert (lines["email"], lines["password"]) == (SameSystemSandbox().email, SameSystemSandbox().password)
    if importlib.util.find_spec("asyncssh"):
        assert int(lines["sftp_port"]) > 0 and lines["sftp_user"] and lines["sftp_password"]
    else:
        assert lines["sftp"].startswith("not running")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_the_api_sets_the_field_map_and_refuses_a_calculated_field(owner_client, owner, ss_sandbox):
    configure(make_shops(owner.tenant), ss_sandbox)
    url = reverse("api:samesystem:settings")
    assert patch(owner_client, url, {"field_map": {"gross_sales": 5266}}).json()["field_map"] == {"gross_sales": 5266}
    refused = patch(owner_client, url, {"field_map": {"net_sales": 5275}})
    assert refused.status_code == 400 and "calculated" in refused.content.decode()
    body = owner_client.get(url).content.decode()
    assert ss_sandbox.password not in body and '"has_password": true' in body.replace('":true', '": true')


def test_the_api_maps_departments_and_runs_imports(owner_client, owner, ss_sandbox):
    tenant = configure(make_shops(owner.tenant), ss_sandbox)
    departments = owner_client.get(reverse("api:samesystem:departments")).json()
    harbour = next(d for d in departments if d["ctx_token"] == "c1d11")
    unmapped = patch(owner_client, reverse("api:samesystem:departments"), [{"id": harbour["id"],
                                                                            "lightspeed_shop_ls_id": None}])
    assert next(d for d in unmapped.json() if d["id"] == harbour["id"])["lightspeed_shop_ls_id"] is None
    main = SameSystemDepartment.objects.for_tenant(tenant).get(ctx_token=MAIN)
    today = timezone.localdate()
    created = owner_client.post(reverse("api:samesystem:imports"), {
        "department_ids": [main.pk], "date_from": (today - timedelta(days=7)).isoformat(),
        "date_to": (today - timedelta(days=1)).isoformat()}, content_type="application/json")
    assert created.status_code == 201 and created.json()["days_total"] == 7 and created.json()["percent"] == 0
    cancelled = owner_client.post(reverse("api:samesystem:import_cancel"), {"import_id": created.json()["id"]},
                                  content_type="application/json")
    assert cancelled.json()["state"] == "cancelled"
    assert SameSystemImport.objects.for_tenant(tenant).get().state == "cancelled"
    other = owner_client.post(reverse("api:samesystem:import_cancel"), {"import_id": 999999},
                              content_type="application/json")
    assert other.status_code == 404
