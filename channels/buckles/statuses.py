"""The Lightspeed sale states we tell apart and the Buckles standard statuses (PROVISIONAL slugs, docs/buckles.md).

R-Series sales have no order statuses: the state is derived from completed/voided/refund and the ShipTo.
The owner edits the state -> status table on the Buckles page; these are its defaults.
"""
OPEN = "open"
COMPLETED = "completed"
AWAITING_SHIPMENT = "completed_not_shipped"
SHIPPED = "shipped"
VOIDED = "voided"
REFUNDED = "refunded"

LIGHTSPEED_STATES = {
    OPEN: "Open (not completed)",
    COMPLETED: "Completed, nothing to ship",
    AWAITING_SHIPMENT: "Completed, with a ShipTo not shipped yet",
    SHIPPED: "Completed and shipped",
    VOIDED: "Voided",
    REFUNDED: "Refund (returned goods)",
}

BUCKLES_STATUSES = {
    "processing": "Processing", "completed": "Completed", "cancelled": "Cancelled", "refunded": "Refunded",
    "partially_shipped": "Partially shipped", "partially_refunded": "Partially refunded",
    "pending_payment": "Pending payment", "on_hold": "On hold", "failed": "Failed", "returned": "Returned",
    "partially_returned": "Partially returned",
}

# "An order only goes to Processing when it can actually be processed" (Buckles' rule): an open sale is
# not paid yet, a completed sale with goods still to ship is, a sale with nothing (left) to ship is done.
DEFAULT_STATUS_MAP = {
    OPEN: "pending_payment",
    COMPLETED: "completed",
    AWAITING_SHIPMENT: "processing",
    SHIPPED: "completed",
    VOIDED: "cancelled",
    REFUNDED: "refunded",
}


def status_table(overrides):
    """The table in force: defaults, with the owner's edits; a state the owner blanked maps to None."""
    table = dict(DEFAULT_STATUS_MAP)
    for state, status in (overrides or {}).items():
        table[state] = status or None
    return table


def status_for(state, overrides):
    """The Buckles status of a Lightspeed state, or None when the table maps it to nothing."""
    status = status_table(overrides).get(state)
    return status if status in BUCKLES_STATUSES else None
