"""Customers both ways (PROVISIONAL contract, docs/buckles.md).

Out: a mirrored Lightspeed customer whose body changed since it was last sent is PUT to
/v1/customers/{source}/{customerID}. In: `customer.updated` finds the Lightspeed customer by email, then by
the stored link, and writes the names and phone that differ; the body we would send is then recorded as sent,
so the change is not echoed back. An event older than the change applied last is ignored.
"""
from lightspeed.models import Customer

from .client import buckles_client
from .lightspeed_side import ls_customer_update
from .mapping import body_hash, customer_put_body, parse_time
from .models import BucklesEvent, BucklesLink, BucklesSettings

State = BucklesEvent.State
Kind = BucklesLink.Kind
BATCH = 200
FIELDS = ("first_name", "last_name", "phone")


def customers_due(tenant, limit=BATCH):
    sent = dict(BucklesLink.objects.for_tenant(tenant).filter(kind=Kind.CUSTOMER).values_list("ls_id", "payload_hash"))
    due = []
    for customer in Customer.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id").iterator():
        body = customer_put_body(customer)
        if sent.get(customer.ls_id) != body_hash(body):
            due.append((customer, body))
            if len(due) >= limit:
                break
    return due


def customers_sync(*, ctx):
    settings = BucklesSettings.objects.for_tenant(ctx.tenant).first()
    if settings is None or not settings.sync_customers:
        return
    due = customers_due(ctx.tenant)
    if ctx.dry_run:
        ctx.count("customers_due", len(due))
        return
    with buckles_client(ctx.tenant, clock=ctx.clock) as client:
        for customer, body in due:
            with ctx.record("customer", customer.ls_id):
                answer = client.customer_put(settings.source, customer.ls_id, body)
                BucklesLink.objects.for_tenant(ctx.tenant).update_or_create(
                    tenant=ctx.tenant, kind=Kind.CUSTOMER, ls_id=customer.ls_id,
                    defaults={"buckles_id": str(answer.get("id") or ""), "key": customer.email,
                              "payload_hash": body_hash(body), "linked_existing": not answer.get("created", True)})
                ctx.count("customers_sent")
    if len(due) >= BATCH:
        ctx.run_again()


def _customer_for(tenant, data):
    customers = Customer.objects.for_tenant(tenant).filter(archived=False)
    email = (data.get("email") or "").strip()
    if email and (found := customers.filter(email__iexact=email).order_by("ls_id").first()):
        return found
    try:
        ls_id = int(str(data.get("external_id")))
    except (TypeError, ValueError):
        return None
    if BucklesLink.objects.for_tenant(tenant).filter(kind=Kind.CUSTOMER, ls_id=ls_id).exists():
        return customers.filter(ls_id=ls_id).first()
    return None


def customer_event_apply(ctx, event):
    data = event.payload
    customer = _customer_for(ctx.tenant, data)
    if customer is None:  # a customer only Buckles knows: Lightspeed customers are created in Lightspeed
        return State.IGNORED, "no Lightspeed customer has this email or link"
    link, _ = BucklesLink.objects.for_tenant(ctx.tenant).get_or_create(
        tenant=ctx.tenant, kind=Kind.CUSTOMER, ls_id=customer.ls_id, defaults={"key": customer.email})
    occurred_at = event.occurred_at or parse_time(data.get("occurred_at"))
    if link.buckles_at and occurred_at and occurred_at <= link.buckles_at:
        return State.IGNORED, "older than the customer change already applied"
    changes = {f: data[f] for f in FIELDS if data.get(f) is not None and data[f] != getattr(customer, f)}
    if changes:
        ls_customer_update(tenant=ctx.tenant, customer=customer, fields=changes, clock=ctx.clock)
        for name, value in changes.items():
            setattr(customer, name, value)
        ctx.count("customers_updated")
    link.buckles_at = occurred_at or link.buckles_at
    link.payload_hash = body_hash(customer_put_body(customer))  # what Buckles now has: not sent back
    link.save(update_fields=["buckles_at", "payload_hash", "updated_at"])
    return State.DONE, "" if changes else "Lightspeed already had these details"
