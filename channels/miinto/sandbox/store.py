"""The Order API's data: transfers (pending orders) and orders (accepted), in Miinto's shapes.

Rules the sandbox enforces (inferred where channel-apis.md §1.5 is silent):
- a transfer holds positions that are pending, accepted or declined; accepting positions creates the
  transfer's order (one per transfer; later accepts join it) and `newOrder.id` names it;
- accepting or declining a position again in the same way is a no-op (idempotent), flipping a decided
  position is a conflict (409);
- an order's positions carry `trackAndTrace` and `shippingProviderId`, written by PATCHing the order with
  `{"acceptedPositions": [{"id", "trackAndTrace", "shippingProviderId"}]}` (the inferred write shape).
"""
from datetime import datetime, timezone


class ApiProblem(Exception):
    """A request the Order API refuses: becomes a failure envelope with this HTTP status."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def iso(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat()


def position_new(position_id, spec):
    return {
        "id": position_id,
        "status": "pending",
        "quantity": spec.get("quantity", 1),
        "price": spec.get("price", 0),
        "item": {k: spec[k] for k in ("gtin", "name", "brand", "color", "size") if k in spec},
        "trackAndTrace": None,
        "shippingProviderId": None,
    }


def transfer_view(transfer):
    """A transfer as the API shows it: positions grouped by status."""
    positions = transfer.get("positions")
    if positions is None:  # a raw (possibly malformed) transfer injected by the control surface
        return transfer["raw"]
    view = {k: v for k, v in transfer.items() if k not in ("positions", "shopId", "orderId")}
    for status in ("pending", "accepted", "declined"):
        view[f"{status}Positions"] = [p for p in positions if p["status"] == status]
    view["status"] = transfer_status(transfer)
    return view


def transfer_status(transfer):
    positions = transfer.get("positions")
    if positions is None:
        return transfer["raw"].get("status", "pending")
    statuses = {p["status"] for p in positions}
    if "pending" in statuses:
        return "pending"
    return "accepted" if "accepted" in statuses else "declined"


def order_view(order, transfer):
    positions = [p for p in transfer["positions"] if p["id"] in order["positionIds"]]
    view = {k: v for k, v in order.items() if k not in ("positionIds", "shopId")}
    view["acceptedPositions"] = [p for p in positions if p["status"] == "accepted"]
    view["declinedPositions"] = [p for p in positions if p["status"] == "declined"]
    view["billingInformation"] = transfer.get("billingInformation")
    view["shippingInformation"] = transfer.get("shippingInformation")
    return view


def decision_ids(body, key):
    entries = body.get(key) or []
    if not isinstance(entries, list):
        raise ApiProblem(400, f"{key} must be a list")
    ids = []
    for entry in entries:
        value = entry.get("id") if isinstance(entry, dict) else entry
        if not isinstance(value, int) or isinstance(value, bool):
            raise ApiProblem(400, f"{key}: every position needs an integer id, got {entry!r}")
        ids.append(value)
    return ids


def decisions_parse(body):
    if not isinstance(body, dict):
        raise ApiProblem(400, "body must be a JSON object")
    accepted = decision_ids(body, "acceptedPositions")
    declined = decision_ids(body, "declinedPositions")
    if not accepted and not declined:
        raise ApiProblem(400, "give acceptedPositions or declinedPositions")
    if set(accepted) & set(declined):
        raise ApiProblem(400, "a position cannot be both accepted and declined")
    return accepted, declined


def positions_check(transfer, ids, status):
    by_id = {p["id"]: p for p in transfer["positions"]}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ApiProblem(404, f"positions {unknown} are not in transfer {transfer['id']}")
    for i in ids:
        current = by_id[i]["status"]
        if current not in ("pending", status):
            raise ApiProblem(409, f"position {i} is already {current}")


def positions_decide(transfer, ids, status):
    """Move pending positions to `status`; returns the ids that changed (checked first)."""
    by_id = {p["id"]: p for p in transfer["positions"]}
    changed = [i for i in ids if by_id[i]["status"] == "pending"]
    for i in changed:
        by_id[i]["status"] = status
    return changed
