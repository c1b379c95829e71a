"""The onboarding checklist: what the owner has done and what is left, read from the data itself."""
from dataclasses import dataclass

from django.urls import reverse

from lightspeed.models import Connection

from .channels import channels_selling
from .models import Schedule, SyncRun


@dataclass
class Step:
    key: str
    title: str
    done: bool
    hint: str
    url: str


def _pos_choice_done(tenant):
    from channels.miinto.models import MiintoSettings

    settings = MiintoSettings.objects.for_tenant(tenant).first()
    return bool(settings and settings.feed_shop_ls_id and settings.register_ls_id and settings.employee_ls_id)


def onboarding_steps(*, tenant):
    connection = Connection.objects.for_tenant(tenant).first()
    connected = bool(connection and connection.status == Connection.Status.CONNECTED)
    selling_jobs = [job.name for channel in channels_selling() for job in channel.jobs]
    channel_on = Schedule.objects.for_tenant(tenant).filter(job__in=selling_jobs, enabled=True).exists()
    synced = SyncRun.objects.for_tenant(tenant).filter(
        job="lightspeed.catalog_sync", status__in=[SyncRun.Status.SUCCEEDED, SyncRun.Status.PARTIAL], dry_run=False
    ).exists()
    return [
        Step("connect", "Connect Lightspeed", connected,
             "Approve access in Lightspeed; you come straight back here.", reverse("lightspeed:connection")),
        Step("choose", "Choose the shop, register and employee", _pos_choice_done(tenant),
             "The shop whose stock you sell, and the register and employee your channel orders are booked on.",
             reverse("lightspeed:mappings")),
        Step("channel", "Switch a channel on", channel_on,
             "Enter your Miinto credentials and switch Miinto on.", reverse("miinto_settings")),
        Step("sync", "First catalog sync done", synced,
             "Runs by itself once Lightspeed is connected; or start it from the dashboard.", reverse("dashboard")),
    ]


def onboarding_left(*, tenant):
    return [step for step in onboarding_steps(tenant=tenant) if not step.done]
