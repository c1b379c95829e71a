"""`manage.py demo_seed`: the demo tenant, its logins, its schedules, and each package's demo data.

A package adds demo data by providing `<package>/demo.py` with `demo_seed(*, tenant, stdout)`
(e.g. lightspeed connects the demo tenant to the running sandbox). Idempotent.
"""
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from connector.registry import all_jobs
from connector.schedules import schedule_enable
from tenants.demo import DEMO_OWNER, DEMO_PASSWORD, DEMO_SUPPORT, demo_tenant_seed


def package_demo_hooks():
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "demo_seed"):
            yield config.name, module.demo_seed


class Command(BaseCommand):
    help = "Create (or refresh) the demo tenant, its owner and support logins, and the packages' demo data."

    def handle(self, **options):
        tenant, _, _ = demo_tenant_seed()
        for job in all_jobs():
            schedule_enable(tenant=tenant, job=job.name)
        for name, hook in package_demo_hooks():
            try:
                hook(tenant=tenant, stdout=self.stdout)
            except Exception as exc:  # demo data is optional: say what failed, keep the rest
                self.stderr.write(f"demo data of {name} skipped: {type(exc).__name__}: {exc}")
        self.stdout.write(f"demo tenant {tenant.slug!r}: owner login {DEMO_OWNER} / {DEMO_PASSWORD}")
        self.stdout.write(f"support (admin) login {DEMO_SUPPORT} / {DEMO_PASSWORD}")
