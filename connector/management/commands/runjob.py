from django.core.management.base import BaseCommand, CommandError

from connector.errors import RunLocked
from connector.models import SyncEvent
from connector.registry import UnknownJob
from connector.runs import run_job
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Run one job for one tenant now, in the foreground, and print its summary and events."

    def add_arguments(self, parser):
        parser.add_argument("tenant_slug")
        parser.add_argument("job_name")
        parser.add_argument("--dry-run", action="store_true", help="report what would be done, write nothing outside")
        parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                            help="job parameter, e.g. full=1")

    def handle(self, tenant_slug, job_name, dry_run, param, **options):
        tenant = Tenant.objects.filter(slug=tenant_slug).first()
        if tenant is None:
            raise CommandError(f"no tenant with slug {tenant_slug!r}")
        params = dict(p.split("=", 1) for p in param)
        try:
            run = run_job(tenant=tenant, job=job_name, trigger="manual", dry_run=dry_run, params=params)
        except (UnknownJob, RunLocked) as exc:
            raise CommandError(str(exc).strip("'\"")) from None
        self.print_run(run)
        if run.status == run.Status.FAILED:
            raise CommandError(f"run #{run.pk} failed ({run.error_kind}): {run.error}")

    def print_run(self, run):
        w = self.stdout.write
        w(f"run #{run.pk} {run.job} for {run.tenant.slug}: {run.status}{' (dry run)' if run.dry_run else ''}")
        w(f"  started {run.started_at:%Y-%m-%d %H:%M:%S} UTC, took {run.duration}")
        w(f"  counts: {run.counts or {}}")
        if run.error:
            w(f"  error ({run.error_kind}): {run.error}")
        for event in SyncEvent.objects.for_tenant(run.tenant).filter(run=run).order_by("id"):
            ref = f" [{event.object_type} {event.object_id}]" if event.object_id else ""
            w(f"  {event.level.upper():7} {event.message}{ref}")
        if run.traceback:
            w(run.traceback)
