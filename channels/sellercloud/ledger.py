"""The Sellercloud side of connector.OrderLedger: one row per Lightspeed sale, written before any create;
the per-sale claim is connector.orders.ledger_claim."""
from django.db import IntegrityError, transaction

from connector.models import OrderLedger

from .selectors import CHANNEL

State = OrderLedger.State


def ledger_get_or_create(*, tenant, sale_id, payload):
    rows = OrderLedger.objects.for_tenant(tenant)
    try:
        with transaction.atomic():
            return rows.get_or_create(tenant=tenant, channel=CHANNEL, external_id=str(sale_id),
                                      defaults={"payload": payload, "sale_id": str(sale_id)})[0]
    except IntegrityError:  # a concurrent run created it between our read and insert
        return rows.get(channel=CHANNEL, external_id=str(sale_id))


def ledger_save(ledger, *, state=None, error=None, **details):
    """Save at once (a crash resumes from here): the state, the error, and details merged in."""
    if state is not None:
        ledger.state = state
    if error is not None:
        ledger.last_error = error[:2000]
    if details:
        ledger.details = {**ledger.details, **details}
    ledger.save()
    return ledger
