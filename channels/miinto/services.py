"""Writes other packages call (admin, the owner's pages)."""
from connector.runs import run_enqueue

from .ledger import State, ledger_details_update, ledger_move

IMPORT_JOB = "miinto.orders_import"
STATUS_JOB = "miinto.status_sync"


def miinto_order_retry(*, ledger=None, order=None):
    """"Retry this order": clear its error, put it back where it stopped, and queue the job that continues it.

    Safe to press twice: the jobs find the sale by referenceNumber and the customer by email before writing.
    Returns the job queued. `order=` is the same ledger row (the name connector.services.order_retry uses).
    """
    ledger = ledger or order
    details = ledger.details or {}
    if details.get("ls_outcome") and ledger.state in (State.FAILED, State.SALE_CREATED, State.ACCEPTED):
        state = State.ACCEPTED if details.get("miinto_order_id") else State.SALE_CREATED
        ledger_move(ledger, state, attempts=ledger.attempts + 1)
        ledger_details_update(ledger, sync_due=True, push_attempts=0)
        job = STATUS_JOB
    else:
        if ledger.state in (State.FAILED, State.SKIPPED):
            state = State.SALE_PENDING if ledger.reference else State.RECEIVED
            ledger_move(ledger, state, attempts=ledger.attempts + 1)
        job = IMPORT_JOB
    run_enqueue(tenant_id=ledger.tenant_id, job=job, trigger="retry", params={"transfer_id": ledger.external_id})
    return job
