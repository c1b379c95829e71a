"""The sandbox's HTTP control surface under /sandbox/ (unsigned; the demo and tests use it).

GET  /sandbox/                  demo channel (identifier, secret, shop ids) and counts
POST /sandbox/orders            {"shop_id", "positions": [{"gtin", "quantity", "price"}], "customer": {...}}
POST /sandbox/transfers/raw     {"shop_id", "transfer": {...}}   a transfer body exactly as given
GET  /sandbox/transfers         every transfer with its positions' statuses and tracking
GET  /sandbox/orders            every accepted order
GET  /sandbox/actions           what clients did: accept / decline / tracking, in order
POST /sandbox/faults            {"kind", "method", "path_contains", "times"}
POST /sandbox/channels/expire   every open channel expires now
"""
import json

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from .store import ApiProblem, order_view, transfer_view

RULES = [
    Rule("/sandbox/", methods=["GET"], endpoint="control_summary"),
    Rule("/sandbox/orders", methods=["POST"], endpoint="control_order_add"),
    Rule("/sandbox/orders", methods=["GET"], endpoint="control_orders"),
    Rule("/sandbox/transfers/raw", methods=["POST"], endpoint="control_transfer_raw"),
    Rule("/sandbox/transfers", methods=["GET"], endpoint="control_transfers"),
    Rule("/sandbox/actions", methods=["GET"], endpoint="control_actions"),
    Rule("/sandbox/faults", methods=["POST"], endpoint="control_fault"),
    Rule("/sandbox/channels/expire", methods=["POST"], endpoint="control_expire"),
]


def _json(data, status=200):
    return Response(json.dumps(data, indent=2, default=str), status=status, content_type="application/json")


def _body(request):
    try:
        body = json.loads(request.get_data() or b"{}")
    except ValueError:
        raise ApiProblem(400, "body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ApiProblem(400, "body must be a JSON object")
    return body


def control_summary(sb, request):
    return _json({"identifier": sb.identifier, "secret": sb.secret, "shop_ids": sb.shop_ids,
                  "shops": sb.shop_countries, "transfers": len(sb.transfers), "orders": len(sb.orders),
                  "actions": len(sb.actions), "faults": sb.faults})


def control_order_add(sb, request):
    body = _body(request)
    try:
        transfer_id = sb.add_pending_order(body.get("shop_id") or sb.shop_ids[0], body.get("positions") or [],
                                           body.get("customer"), shipping_type=body.get("shipping_type", "home"))
    except ValueError as exc:
        raise ApiProblem(400, str(exc)) from None
    return _json({"transfer_id": transfer_id}, status=201)


def control_transfer_raw(sb, request):
    body = _body(request)
    transfer_id = sb.add_raw_transfer(body.get("shop_id") or sb.shop_ids[0], body.get("transfer") or {})
    return _json({"transfer_id": transfer_id}, status=201)


def control_transfers(sb, request):
    return _json([{"shop_id": t["shopId"], **transfer_view(t)} for t in sb.transfers.values()])


def control_orders(sb, request):
    return _json([order_view(o, sb.transfers[o["parentOrder"]["id"]]) for o in sb.orders.values()])


def control_actions(sb, request):
    return _json(sb.actions)


def control_fault(sb, request):
    body = _body(request)
    try:
        sb.inject_fault(body.get("kind"), method=body.get("method"), path_contains=body.get("path_contains"),
                        times=int(body.get("times", 1)))
    except ValueError as exc:
        raise ApiProblem(400, str(exc)) from None
    return _json({"faults": sb.faults}, status=201)


def control_expire(sb, request):
    sb.channels_expire()
    return _json({"expired": len(sb.channels)})
