"""Inbound Buckles events: the webhook's checks and storage, the polling fallback, and applying each event.

    webhook_receive(token=, headers=, body=, now=)   -> Answer(status, body): verify, store, enqueue on commit
    events_poll(ctx)                                  GET /v1/events?after=<cursor>: store what webhooks missed
    events_apply(ctx)                                 apply stored events in occurred_at order, once each

An event is stored (deduplicated by its delivery id) before anything is done with it; applying it is a Celery
run queued on commit. Out of order: each change carries `occurred_at`; an older one than the change already
applied to the same record is ignored. All of this is the PROVISIONAL contract of docs/buckles.md.
"""
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from connector.dispatch import run_enqueue
from connector.errors import ConfigError, TransientError, Yield

from .mapping import parse_time
from .models import BucklesEvent
from .selectors import buckles_settings_by_token
from .signing import BadSignature, signature_verify

log = logging.getLogger(__name__)

APPLY_JOB = "buckles.events_apply"
APPLY_BATCH = 500
RETRY_FOR = timedelta(hours=24)  # a shipment waiting for its order is retried this long, then needs attention
QUEUED_FOR = 60  # seconds a "run queued" mark lives, should its task be lost (the 30 s poll catches up anyway)


@dataclass
class Answer:
    status: int
    body: dict = field(default_factory=dict)


def webhook_receive(*, token, headers, body, now):
    """Check one delivery and store it; 401 changes nothing. Returns at once: the work is queued."""
    settings = buckles_settings_by_token(token)
    if settings is None:
        return Answer(401, {"error": "unknown webhook endpoint"})
    try:
        signature_verify(secret=settings.webhook_secret, timestamp=headers.get("X-Buckles-Timestamp"),
                         signature=headers.get("X-Buckles-Signature"), body=body, now=now)
    except BadSignature as exc:
        log.warning("buckles webhook for tenant %s refused: %s", settings.tenant_id, exc)
        return Answer(401, {"error": "invalid signature"})
    event = _parse(body, headers)
    if event is None:
        return Answer(400, {"error": "the body must be an event: {id, type, occurred_at, data}"})
    created = event_store(tenant=settings.tenant, event=event, via="webhook")
    if created and settings.enabled:
        apply_enqueue(settings.tenant)
    return Answer(200, {"received": event["id"], "duplicate": not created})


def _parse(body, headers):
    try:
        event = json.loads(body)
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("data"), dict) or not event.get("type"):
        return None
    if str(event.get("id")) != headers.get("X-Buckles-Delivery") or event["type"] != headers.get("X-Buckles-Event"):
        return None
    return event


def event_store(*, tenant, event, via):
    """Store one event unless its id is known; True when it is new."""
    _, created = BucklesEvent.objects.for_tenant(tenant).get_or_create(
        tenant=tenant, delivery_id=str(event["id"])[:100],
        defaults={"event_type": str(event["type"])[:60], "payload": event["data"], "via": via,
                  "occurred_at": parse_time(event["data"].get("occurred_at")) or parse_time(event.get("occurred_at"))})
    return created


def _queued_key(tenant):
    return f"buckles:apply_queued:{tenant.pk}"


def apply_enqueue(tenant):
    """Queue one apply run, unless one is queued and not started yet: a flood of deliveries is one run."""
    try:
        first = cache.add(_queued_key(tenant), 1, QUEUED_FOR)
    except Exception:  # noqa: BLE001  without the cache, queue every time (the run lock serialises them)
        first = True
    if first:
        run_enqueue(tenant_id=tenant.pk, job=APPLY_JOB, params={"from": "webhook"})


# --- the polling fallback ---------------------------------------------------------------------------

def events_poll(ctx, client, settings, *, max_pages=10):
    """Store the feed's events after our cursor (webhooks we missed); the cursor moves only once they are stored."""
    cursor = settings.events_cursor or None
    for _ in range(max_pages):
        page = client.events(after=cursor)
        items = page.get("items") or []
        new = 0
        for event in items:
            if isinstance(event, dict) and event.get("id") and isinstance(event.get("data"), dict):
                new += 0 if ctx.dry_run else event_store(tenant=ctx.tenant, event=event, via="poll")
        ctx.count("events_polled", len(items))
        if new:
            ctx.count("events_recovered", new)
        cursor = page.get("next_cursor") or cursor
        if not ctx.dry_run and cursor and cursor != settings.events_cursor:
            settings.events_cursor = cursor
            settings.save(update_fields=["events_cursor", "updated_at"])
        if not page.get("next_cursor") or len(items) < 100:
            return
    ctx.run_again()  # a backlog longer than max_pages: the next run goes on from the cursor


# --- applying ---------------------------------------------------------------------------------------

class RetryLater(Exception):
    """The event cannot be applied yet (e.g. its order is not in the mirror): kept and retried."""


def events_due(tenant, limit=APPLY_BATCH):
    states = (BucklesEvent.State.PENDING, BucklesEvent.State.RETRY)
    return list(BucklesEvent.objects.for_tenant(tenant).filter(state__in=states)
                .order_by("occurred_at", "received_at", "id")[:limit])


def events_apply(ctx, handlers):
    """Apply every waiting event once, oldest first; one failing event never stops the others."""
    due = events_due(ctx.tenant)
    for event in due:
        if ctx.dry_run:
            ctx.count("events_due")
            continue
        with ctx.record("buckles_event", event.delivery_id):
            _apply_one(ctx, event, handlers)
    if len(due) == APPLY_BATCH:
        ctx.run_again()


def _apply_one(ctx, event, handlers):
    handler = handlers.get(event.event_type)
    event.attempts += 1
    if handler is None:
        _finish(event, BucklesEvent.State.IGNORED, f"event type {event.event_type} is not one we handle")
        ctx.warning(f"Buckles sent an event we do not handle: {event.event_type}", object_type="buckles_event",
                    object_id=event.delivery_id)
        return
    try:
        with transaction.atomic():
            state, note = handler(ctx, event)
            _finish(event, state, note)
    except RetryLater as exc:
        gave_up = timezone.now() - event.received_at > RETRY_FOR
        _finish(event, BucklesEvent.State.FAILED if gave_up else BucklesEvent.State.RETRY, str(exc))
        ctx.count("events_waiting")
        if gave_up:
            ctx.error(f"gave up after {RETRY_FOR}: {exc}", object_type="buckles_event", object_id=event.delivery_id)
    except (TransientError, ConfigError, Yield):
        raise  # Lightspeed or Buckles is down, or the setup is wrong: the event stays waiting for the next run
    except Exception as exc:  # noqa: BLE001  this event needs attention; the others go on
        _finish(event, BucklesEvent.State.FAILED, f"{type(exc).__name__}: {exc}"[:2000])
        ctx.record_failed("buckles_event", event.delivery_id, f"{event.event_type}: {exc}")
        return
    ctx.count(f"events_{event.state}")


def _finish(event, state, note=""):
    event.state, event.last_error = state, note or ""
    event.processed_at = timezone.now()
    BucklesEvent.unscoped.filter(pk=event.pk).update(state=state, last_error=event.last_error,
                                                     processed_at=event.processed_at, attempts=event.attempts)


# --- the job --------------------------------------------------------------------------------------------

def events_sync(*, ctx):
    """Poll the feed (unless a webhook queued this run), then apply what waits."""
    from .client import buckles_client
    from .customers import customer_event_apply
    from .selectors import buckles_settings_get
    from .shipments import shipment_event_apply
    from .stock import stock_event_apply

    try:
        cache.delete(_queued_key(ctx.tenant))  # deliveries from now on queue the next run
    except Exception:  # noqa: BLE001  the mark then expires by itself
        pass
    settings = buckles_settings_get(ctx.tenant)
    if settings is None:
        return
    if ctx.params.get("from") != "webhook":
        with buckles_client(ctx.tenant, clock=ctx.clock) as client:
            events_poll(ctx, client, settings)
    events_apply(ctx, {"stock.changed": stock_event_apply, "shipment.created": shipment_event_apply,
                       "shipment.updated": shipment_event_apply, "customer.updated": customer_event_apply})
