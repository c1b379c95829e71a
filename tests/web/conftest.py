from datetime import timedelta

import pytest
from django.utils import timezone

from connector.channels import channels_selling
from connector.models import OrderLedger, Schedule, SyncEvent, SyncRun
from lightspeed.models import Connection, Employee, Register, Shop
from tests.isolation import member_create


JOB = "lightspeed.reference_sync"  # a job every tenant has
CHANNEL = channels_selling()[0].key  # the ledger's channel in tenant_data


def tenant_data(tenant, tag):
    """A tenant with one of everything (every channel's settings too), every text carrying `tag` so a leak is easy
    to spot."""
    now = timezone.now()
    Connection.objects.for_tenant(tenant).create(
        tenant=tenant, account_id=f"{tag}-ACCOUNT-ID", account_name=f"{tag}-ACCOUNT", status="connected",
        access_token=f"{tag}-ACCESS", refresh_token=f"{tag}-REFRESH", connected_at=now)
    Shop.objects.for_tenant(tenant).create(tenant=tenant, ls_id=1, name=f"{tag}-SHOP")
    Register.objects.for_tenant(tenant).create(tenant=tenant, ls_id=1, name=f"{tag}-REGISTER")
    Employee.objects.for_tenant(tenant).create(tenant=tenant, ls_id=1, first_name=f"{tag}-EMPLOYEE")
    settings = {c.key: c.settings_model.objects.for_tenant(tenant).create(
        tenant=tenant, **{name: f"{tag}-{name.upper()}" for name in c.sandbox.credentials({})})
        for c in channels_selling()}
    schedule = Schedule.objects.for_tenant(tenant).create(tenant=tenant, job=JOB,
                                                          interval_seconds=1800, next_run_at=now + timedelta(hours=1))
    run = SyncRun.objects.for_tenant(tenant).create(
        tenant=tenant, job=JOB, trigger="manual", status="failed", started_at=now - timedelta(minutes=5),
        heartbeat_at=now, finished_at=now, counts={"items.written": 7}, error=f"{tag}-RUN-ERROR")
    SyncEvent.objects.for_tenant(tenant).create(tenant=tenant, run=run, created_at=now, level="error",
                                                message=f"{tag}-EVENT", object_type="order", object_id=f"{tag}-ORDER")
    order = OrderLedger.objects.for_tenant(tenant).create(tenant=tenant, channel=CHANNEL, external_id=f"{tag}-ORDER",
                                                          state="failed", last_error=f"{tag}-ORDER-ERROR")
    return {"settings": settings, "schedule": schedule, "run": run, "order": order}


@pytest.fixture
def other(db):
    """Tenant B with data, for isolation checks."""
    member = member_create(slug="shop-b")
    member.data = tenant_data(member.tenant, "BSECRET")
    return member


@pytest.fixture
def member_of_owner(owner):
    from django.contrib.auth import get_user_model

    from tenants.models import Membership

    user = get_user_model().objects.create_user(username="staff@shop-a.example", email="staff@shop-a.example",
                                                password="pw")
    Membership.objects.create(user=user, tenant=owner.tenant, role="member")
    return user
