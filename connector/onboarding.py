"""The onboarding checklist: the source's steps, "switch a channel on", then each switched-on channel's
steps. Every step reads the data itself, so the list is always what is really left."""
from dataclasses import dataclass

from django.urls import reverse

from .channels import channel_source, channels_all, channels_selling
from .models import Schedule


@dataclass
class Step:
    key: str
    title: str
    done: bool
    hint: str
    url: str


def _step(channel, spec, tenant):
    return Step(f"{channel.key}.{spec.key}", spec.title, bool(spec.done(tenant=tenant)), spec.hint,
                reverse(f"{channel.key}:{spec.url_name}"))


def channels_switched_on(*, tenant):
    enabled = set(Schedule.objects.for_tenant(tenant).filter(enabled=True).values_list("job", flat=True))
    return [c for c in channels_selling() if any(job.name in enabled for job in c.jobs)]


def onboarding_steps(*, tenant):
    source = channel_source()
    steps = [_step(source, spec, tenant) for spec in source.setup_steps] if source else []
    switched_on = channels_switched_on(tenant=tenant)
    titles = " or ".join(c.title for c in channels_selling())
    steps.append(Step("channel", "Switch a channel on", bool(switched_on),
                      f"Enter a channel's credentials and switch it on ({titles}).", reverse("channels")))
    for channel in switched_on:
        steps += [_step(channel, spec, tenant) for spec in channel.setup_steps]
    return steps + paused_steps(tenant=tenant)


def paused_steps(*, tenant):
    """One open step per paused channel: setup is not done while anything is paused."""
    paused = dict(Schedule.objects.for_tenant(tenant).filter(enabled=True).exclude(paused_reason="")
                  .values_list("job", "paused_reason"))
    steps = []
    for channel in channels_all():
        reasons = sorted({paused[job.name] for job in channel.jobs if job.name in paused})
        if reasons:
            steps.append(Step(f"{channel.key}.paused", f"Fix and resume {channel.title}", False,
                              f"Paused: {'; '.join(reasons)}", reverse(channel.page_url_name)))
    return steps


def onboarding_left(*, tenant):
    return [step for step in onboarding_steps(tenant=tenant) if not step.done]
