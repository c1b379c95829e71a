"""`manage.py demo_seed`: the demo tenant, its logins, its schedules, and each package's demo data.

A channel adds demo data through its declaration's `demo_seed(*, tenant, stdout)` (e.g. lightspeed
connects the demo tenant to the running sandbox), the source first. Idempotent.
"""
from django.core.management.base import BaseCommand

from connector.channels import channels_all
from connector.registry import all_jobs
from connector.schedules import schedule_enable
from tenants.demo import DEMO_OWNER, DEMO_PASSWORD, DEMO_SUPPORT, demo_tenant_seed


class Command(BaseCommand):
    help = "Create (or refresh) the demo tenant, its owner and support logins, and the packages' demo data."

    def handle(self, **options):
        tenant, _, _ = demo_tenant_seed()
        for job in all_jobs():
            schedule_enable(tenant=tenant, job=job.name)
        for channel in channels_all():
            if channel.demo_seed is None:
                continue
            try:
                channel.demo_seed(tenant=tenant, stdout=self.stdout)
            except Exception as exc:  # demo data is optional: say what failed, keep the rest
                self.stderr.write(f"demo data of {channel.key} skipped: {type(exc).__name__}: {exc}")
        self.stdout.write(f"demo tenant {tenant.slug!r}: owner login {DEMO_OWNER} / {DEMO_PASSWORD}")
        self.stdout.write(f"support (admin) login {DEMO_SUPPORT} / {DEMO_PASSWORD}")
