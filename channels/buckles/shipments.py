"""Buckles shipments -> the Lightspeed sale's ShipTo: shipped, with the Track & Trace code in its shipNote
(R-Series has no tracking field). PROVISIONAL contract, docs/buckles.md.

A shipment for a sale not in the mirror yet is retried (events.RetryLater), not lost; an older shipment event
than the one applied is ignored; the sale is flagged so the shipment is not sent back to Buckles (no echo).
"""
from lightspeed.models import Sale, ShipTo

from .events import RetryLater
from .lightspeed_side import ls_ship_to_shipped
from .mapping import parse_time, ship_note
from .models import BucklesEvent, BucklesOrder
from .selectors import buckles_settings_get

State = BucklesEvent.State


def _sale_id(order):
    try:
        return int(str(order.get("external_id")))
    except (TypeError, ValueError):
        return None


def shipment_event_apply(ctx, event):
    data = event.payload
    order = data.get("order") if isinstance(data.get("order"), dict) else {}
    settings = buckles_settings_get(ctx.tenant)
    if order.get("source") not in (None, settings.source):
        return State.IGNORED, f"an order of source {order.get('source')!r}, not ours"
    sale_id = _sale_id(order)
    if sale_id is None or not data.get("track_trace_no"):
        return State.FAILED, "a shipment needs order.external_id (a Lightspeed sale id) and track_trace_no"
    sale = Sale.objects.for_tenant(ctx.tenant).filter(ls_id=sale_id).first()
    ship_to = ShipTo.objects.for_tenant(ctx.tenant).select_related("sale").filter(sale=sale).first() if sale else None
    if ship_to is None:
        raise RetryLater(f"sale {sale_id} (or its ShipTo) is not in the Lightspeed data yet; retried")
    row, _ = BucklesOrder.objects.for_tenant(ctx.tenant).get_or_create(tenant=ctx.tenant, sale_ls_id=sale_id)
    row = BucklesOrder.objects.for_tenant(ctx.tenant).select_for_update().get(pk=row.pk)
    occurred_at = event.occurred_at or parse_time(data.get("occurred_at"))
    if row.shipment_event_at and occurred_at and occurred_at <= row.shipment_event_at:
        return State.IGNORED, "older than the shipment already applied"
    note = ship_note(track_trace_no=data["track_trace_no"], carrier=data.get("carrier"),
                     url=data.get("track_trace_url"))
    if not (ship_to.shipped and ship_to.ship_note == note):
        ls_ship_to_shipped(tenant=ctx.tenant, ship_to=ship_to, note=note, clock=ctx.clock)
        ctx.count("shipments_set")
    row.shipment_sent, row.shipment_event_at = True, occurred_at or row.shipment_event_at
    row.save(update_fields=["shipment_sent", "shipment_event_at", "updated_at"])
    return State.DONE, ""
