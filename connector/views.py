"""The owner's dashboard, runs, orders, onboarding and the channel switch / run-now actions."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .channels import UnknownChannel, channel_find, channel_get
from .chart import chart_geometry
from .dashboard import (channel_states, orders_attention_count, orders_recent, orders_state_counts, run_after,
                        run_ended, run_event_count, run_running, runs_daily)
from .errors import RunLocked
from .models import OrderLedger, SyncRun
from .onboarding import onboarding_steps
from .registry import UnknownJob, get_job
from .security import datetime_parse, safe_next
from .services import channel_resume, channel_switch, channel_test_connection, order_retry, order_view, run_request
from .web_access import is_owner, tenant_page, tenant_zone

RUNS_PAGE = 50


@tenant_page
def dashboard(request):
    steps = onboarding_steps(tenant=request.tenant)
    return render(request, "connector/dashboard.html", {
        "channels": channel_states(),
        "chart": chart_geometry(runs_daily(days=14, tz=tenant_zone(request.tenant))),
        "orders": orders_recent(limit=10),
        "order_counts": orders_state_counts(),
        "steps_left": [s for s in steps if not s.done],
        "can_change": is_owner(request),
    })


@tenant_page
def channels(request):
    """Every channel the owner can switch on, with its state and the way to its page."""
    return render(request, "connector/channels.html", {
        "channels": [s for s in channel_states() if not s.channel.is_source], "can_change": is_owner(request),
    })


@tenant_page
def onboarding(request):
    steps = onboarding_steps(tenant=request.tenant)
    return render(request, "connector/onboarding.html", {"steps": steps, "left": [s for s in steps if not s.done]})


@tenant_page
def runs(request):
    job = request.GET.get("job") or None
    status = request.GET.get("status") or None
    qs = SyncRun.objects.all()
    if job:
        qs = qs.filter(job=job)
    if status in SyncRun.Status.values:
        qs = qs.filter(status=status)
    return render(request, "connector/runs.html", {
        "runs": qs.order_by("-started_at")[:RUNS_PAGE], "job": job, "status": status,
        "statuses": SyncRun.Status.choices, "jobs": sorted(set(SyncRun.objects.values_list("job", flat=True))),
    })


@tenant_page
def run_detail(request, pk):
    run = get_object_or_404(SyncRun.objects.all(), pk=pk)
    return render(request, "connector/run.html", {"run": run, "events": run.events.order_by("id")[:500]})


@tenant_page
@require_POST
def run_now(request, job):
    try:
        get_job(job)
    except UnknownJob:
        raise Http404("no such job") from None
    running = run_running(job=job)
    try:
        asked_at = running.started_at if running else run_request(tenant=request.tenant, job=job)
    except ValidationError as exc:
        if request.headers.get("HX-Request"):
            return render(request, "connector/_run_status.html", {"job": job, "title": get_job(job).title,
                                                                  "refused": exc.messages[0], "finished": True})
        messages.error(request, exc.messages[0])
        return safe_next(request, "dashboard")
    if request.headers.get("HX-Request"):
        return _run_status_response(request, job, asked_at)
    messages.info(request, f"{get_job(job).title}: started." if not running else "Already running.")
    return safe_next(request, "dashboard")


def _run_status_context(job, asked_at):
    run = run_after(job=job, asked_at=asked_at)
    return {
        "job": job, "title": get_job(job).title, "asked_at": asked_at.isoformat(), "run": run,
        "events": run_event_count(run) if run else 0,
        "finished": run_ended(run),
    }


@tenant_page
def run_status(request, job):
    """The htmx fragment polled while a "run now" is queued or running; it stops polling once the run ends."""
    try:
        get_job(job)
    except UnknownJob:
        raise Http404("no such job") from None
    asked_at = datetime_parse(request.GET.get("after", "")) or timezone.now()
    return _run_status_response(request, job, asked_at)


def _run_status_response(request, job, asked_at):
    context = _run_status_context(job, asked_at)
    response = render(request, "connector/_run_status.html", context)
    if context["finished"]:
        response["HX-Trigger"] = "run-finished"  # the page refreshes its other parts
    return response


@tenant_page
def orders(request):
    state = request.GET.get("state") or None
    channel = request.GET.get("channel") or None
    attention = request.GET.get("attention") == "1"
    return render(request, "connector/orders.html", {
        "orders": orders_recent(channel=channel, state=state if state in OrderLedger.State.values else None,
                                attention=attention, limit=200),
        "state": state, "states": OrderLedger.State.choices, "can_change": is_owner(request),
        "attention": attention, "attention_count": orders_attention_count(),
    })


@tenant_page
def order_detail(request, pk):
    order = get_object_or_404(OrderLedger.objects.all(), pk=pk)
    from .models import SyncEvent

    events = SyncEvent.objects.filter(object_id=order.external_id).order_by("-id")[:100]
    return render(request, "connector/order.html", {
        "order": order, "events": events, "can_change": is_owner(request), "view": order_view(order=order),
        "channel": channel_find(order.channel),
    })


@tenant_page
@require_POST
def order_retry_view(request, pk):
    order = get_object_or_404(OrderLedger.objects.all(), pk=pk)
    try:
        order_retry(order=order)
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
    except (UnknownJob, RunLocked) as exc:
        messages.error(request, f"Could not retry order {order.external_id}: {exc}")
    else:
        messages.success(request, f"Order {order.external_id}: retry queued. "
                                  f"Its state updates when the import has run.")
    return safe_next(request, "orders")


@tenant_page
@require_POST
def channel_switch_view(request, key):
    try:
        channel = channel_get(key)
    except UnknownChannel:
        raise Http404("no such channel") from None
    on = request.POST.get("on") == "1"
    try:
        channel_switch(tenant=request.tenant, channel=key, on=on)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{channel.title} stays off: {message}")
    else:
        messages.success(request, f"{channel.title} is {'on' if on else 'off'}.")
        if on and channel.shared_identity and (warning := channel.shared_identity(tenant=request.tenant)):
            messages.warning(request, warning)
    return redirect(channel.page_url_name)


@tenant_page
@require_POST
def channel_resume_view(request, key):
    try:
        channel = channel_get(key)
    except UnknownChannel:
        raise Http404("no such channel") from None
    if channel_resume(tenant=request.tenant, channel=key):
        messages.success(request, f"{channel.title} resumed: its jobs run again from now.")
    else:
        messages.info(request, f"{channel.title} was not paused.")
    return safe_next(request, channel.page_url_name)


@tenant_page
@require_POST
def channel_test_view(request, key):
    """"Test connection" with the settings form as typed (nothing is saved): a fragment for htmx, else a message."""
    try:
        channel = channel_get(key)
    except UnknownChannel:
        raise Http404("no such channel") from None
    if channel.test_connection is None:
        raise Http404("this channel has no connection test")
    problems = channel_test_connection(tenant=request.tenant, channel=key, data=request.POST)
    if request.headers.get("HX-Request"):
        return render(request, "connector/_test_result.html", {"channel": channel, "problems": problems})
    for problem in problems:
        messages.error(request, f"{channel.title} connection test: {problem}")
    if not problems:
        messages.success(request, f"{channel.title} accepted these credentials (not saved yet).")
    return redirect(channel.page_url_name)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon (no 404 on every page)."""
    return HttpResponsePermanentRedirect(static("connector/favicon.svg"))
