from django.core.management.base import BaseCommand

from connector.models import SyncRun


class Command(BaseCommand):
    help = "List recent runs across tenants (support staff)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG")
        parser.add_argument("--failed", action="store_true")
        parser.add_argument("--limit", type=int, default=30)

    def handle(self, tenant, failed, limit, **options):
        qs = SyncRun.unscoped.select_related("tenant").order_by("-started_at")
        if tenant:
            qs = qs.filter(tenant__slug=tenant)
        if failed:
            qs = qs.filter(status=SyncRun.Status.FAILED)
        rows = list(qs[:limit])
        if not rows:
            self.stdout.write("no runs")
        for run in rows:
            took = f"{run.duration.total_seconds():.1f}s" if run.duration else "-"
            error = f"  {run.error_kind}: {run.error[:80]}" if run.error else ""
            self.stdout.write(
                f"#{run.pk:<7} {run.started_at:%Y-%m-%d %H:%M:%S} {run.tenant.slug:<20} {run.job:<28} "
                f"{run.trigger:<8} {run.status:<9} {took:>8} {run.counts}{error}"
            )
