"""Every tenant-owned model is scoped; the scoped manager refuses to run without a tenant."""
import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.utils import timezone

from connector.models import SyncRun
from tenants.context import TenantNotSet, tenant_context
from tenants.scoping import GLOBAL_MODELS, TenantOwned, TenantScopedManager
from tests.isolation import assert_isolated


def scoping_problems(models_to_check):
    """Each model must be TenantOwned with the scoped default manager, or declared global."""
    problems = []
    for model in models_to_check:
        label = model._meta.label_lower
        if issubclass(model, TenantOwned):
            if not isinstance(model._default_manager, TenantScopedManager):
                problems.append(f"{label}: default manager {model._default_manager!r} is not scoped")
            if model._base_manager.name != "unscoped":
                problems.append(f"{label}: base manager must be `unscoped`")
        elif label not in GLOBAL_MODELS:
            has_tenant = any(f.name == "tenant" for f in model._meta.get_fields())
            kind = "has a tenant but is not TenantOwned" if has_tenant else "has no tenant and is not in GLOBAL_MODELS"
            problems.append(f"{label}: {kind}")
    return problems


def test_every_installed_model_is_scoped_or_declared_global():
    assert scoping_problems(apps.get_models()) == []


@isolate_apps("tests")
def test_the_model_walk_catches_an_unscoped_model_and_an_overridden_manager():
    class Unscoped(models.Model):
        tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE)

        class Meta:
            app_label = "tests"

    class Overridden(TenantOwned):
        objects = models.Manager()

        class Meta:
            app_label = "tests"

    class NoTenant(models.Model):
        class Meta:
            app_label = "tests"

    problems = scoping_problems([Unscoped, Overridden, NoTenant])
    assert problems[0] == "tests.unscoped: has a tenant but is not TenantOwned"
    assert problems[1].startswith("tests.overridden: default manager") and problems[1].endswith("is not scoped")
    assert problems[2] == "tests.notenant: has no tenant and is not in GLOBAL_MODELS"
    assert len(problems) == 3


def make_run(tenant, job="test.ok"):
    now = timezone.now()
    return SyncRun.unscoped.create(tenant=tenant, job=job, status="succeeded", started_at=now, heartbeat_at=now)


def test_scoped_manager_refuses_without_tenant_and_filters_with_it(make_tenant):
    acme, other = make_tenant("acme"), make_tenant("other")
    mine, theirs = make_run(acme), make_run(other)
    with pytest.raises(TenantNotSet):
        list(SyncRun.objects.all())
    with pytest.raises(TenantNotSet):
        SyncRun.objects.filter(pk=mine.pk).exists()
    with tenant_context(acme):
        assert list(SyncRun.objects.all()) == [mine]
        assert not SyncRun.objects.filter(pk=theirs.pk).exists()
    assert list(SyncRun.objects.for_tenant(other)) == [theirs]
    assert SyncRun.unscoped.count() == 2


def test_scoped_create_takes_the_current_tenant_and_refuses_without_one(tenant):
    now = timezone.now()
    with pytest.raises(TenantNotSet):
        SyncRun.objects.create(job="x", started_at=now, heartbeat_at=now)
    with tenant_context(tenant):
        run = SyncRun.objects.create(job="x", started_at=now, heartbeat_at=now)
    assert run.tenant == tenant


@pytest.mark.urls("tests.tenants.isolation_urls")
def test_a_user_of_tenant_a_gets_404_on_tenant_b_objects(client, two_tenants):
    a, b = two_tenants
    run_of_b = make_run(b.tenant)
    assert_isolated(client, owner=b.user, intruder=a.user, urls=[f"/test-runs/{run_of_b.pk}/"], post=True)


@pytest.mark.urls("tests.tenants.isolation_urls")
def test_the_isolation_helper_fails_when_a_view_leaks(client, two_tenants):
    a, b = two_tenants
    run_of_a = make_run(a.tenant)
    with pytest.raises(AssertionError, match="not 404"):
        assert_isolated(client, intruder=a.user, urls=[f"/test-runs/{run_of_a.pk}/"])
