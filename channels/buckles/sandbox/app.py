"""The sandbox's WSGI app: the PROVISIONAL Buckles API under /v1 (Bearer token), control under /sandbox/.

Rules it enforces (docs/buckles.md): every call needs the connection token (else 401); JSON bodies; money as
decimal strings; every POST needs an Idempotency-Key (a repeat with the same body gets the first answer, with
another body a 409); orders, products and customers are upserts by natural key; a leaky-bucket rate limit
answers 429 with Retry-After; errors are {"error": {"code", "message", "fields"}}.
"""
import hashlib
import hmac
import json
from decimal import Decimal, InvalidOperation

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .core import ApiProblem

ORDER_STATUSES = {"processing", "completed", "cancelled", "refunded", "partially_shipped", "partially_refunded",
                  "pending_payment", "on_hold", "failed", "returned", "partially_returned"}
PAYMENT_STATUSES = {"paid", "partially_paid", "unpaid", "refunded"}
EVENT_TYPES = {"stock.changed", "shipment.created", "shipment.updated", "customer.updated"}

URLS = Map([
    Rule("/v1/account", methods=["GET"], endpoint="account"),
    Rule("/v1/events", methods=["GET"], endpoint="events"),
    Rule("/v1/orders/<source>/<external_id>", methods=["PUT"], endpoint="order_put"),
    Rule("/v1/orders/<source>/<external_id>", methods=["GET"], endpoint="order_get"),
    Rule("/v1/orders/<source>/<external_id>/shipments", methods=["POST"], endpoint="shipment_post"),
    Rule("/v1/products/<sku>", methods=["PUT"], endpoint="product_put"),
    Rule("/v1/customers/<source>/<external_id>", methods=["PUT"], endpoint="customer_put"),
    Rule("/v1/checkouts:batch", methods=["POST"], endpoint="checkouts_post"),
    Rule("/v1/stock", methods=["PUT"], endpoint="stock_put"),
    Rule("/v1/webhook", methods=["PUT"], endpoint="webhook_put"),
])


def problem_response(exc):
    body = {"error": {"code": exc.code, "message": exc.message, **({"fields": exc.fields} if exc.fields else {})}}
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}
    return Response(json.dumps(body), status=exc.status, headers=headers, content_type="application/json")


def ok(body, status=200):
    return Response(json.dumps(body), status=status, content_type="application/json")


def invalid(fields):
    return ApiProblem(422, "validation_error", "the request has invalid fields", fields=fields)


def check_money(fields, name, value, *, required=True):
    if value is None and not required:
        return
    try:
        if not isinstance(value, str) or Decimal(value).as_tuple().exponent < -2:
            raise InvalidOperation
    except InvalidOperation:
        fields[name] = ["must be a decimal string with at most 2 decimals, e.g. \"12.34\""]


class SandboxApp:
    def __init__(self, sandbox):
        self.sb = sandbox

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith("/sandbox"):
            with self.sb.lock:
                return self.sb.control(request)(environ, start_response)
        response = self.dispatch(request)
        self.sb.request_log.append({"method": request.method, "path": request.path,
                                    "query": request.query_string.decode(), "status": response.status_code,
                                    "fault": None})
        return response(environ, start_response)

    def dispatch(self, request):
        fault = self.sb.faults.take(request.method, request.path, {"500", "503", "429", "422", "malformed_json"})
        if fault == "malformed_json":
            return Response('{"items": [', status=200, content_type="application/json")
        if fault == "422":
            return problem_response(invalid({"lines[0].sku": ["unknown sku (sandbox fault)"]}))
        if fault:
            problem = ApiProblem(int(fault), "rate_limited" if fault == "429" else "server_error",
                                 f"sandbox fault {fault}", retry_after=1 if fault == "429" else None)
            return problem_response(problem)
        try:
            endpoint, args = URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return problem_response(ApiProblem(exc.code, "not_found" if exc.code == 404 else "bad_request",
                                               exc.description or exc.name))
        try:
            self.authenticate(request)
            with self.sb.lock:
                self.sb.bucket_take()
                if request.method == "POST":
                    return self.idempotent(request, lambda: getattr(self, endpoint)(request, **args))
                return getattr(self, endpoint)(request, **args)
        except ApiProblem as exc:
            return problem_response(exc)

    def authenticate(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not hmac.compare_digest(token.encode(), self.sb.token.encode()):
            raise ApiProblem(401, "unauthorized", "a valid connection token is required (Authorization: Bearer …)")

    def idempotent(self, request, handler):
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            raise ApiProblem(400, "idempotency_key_required", "every POST needs an Idempotency-Key header")
        digest = hashlib.sha256(request.get_data(cache=True)).hexdigest()
        if key in self.sb.idempotency:
            seen, status, body = self.sb.idempotency[key]
            if seen != digest:
                raise ApiProblem(409, "idempotency_conflict", "this Idempotency-Key was used with another body")
            return Response(body, status=status, content_type="application/json")
        response = handler()
        if response.status_code < 500:
            self.sb.idempotency[key] = (digest, response.status_code, response.get_data())
        return response

    def json_body(self, request):
        try:
            body = json.loads(request.get_data(cache=True) or b"null")
        except ValueError:
            raise ApiProblem(400, "bad_request", "body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ApiProblem(400, "bad_request", "body must be a JSON object")
        return body

    def wrote(self, request):
        self.sb.writes.append((request.method, request.path))

    # --- endpoints ----------------------------------------------------------------------------------
    def account(self, request):
        return ok({"account": self.sb.account, "name": f"Sandbox account {self.sb.account}"})

    def events(self, request):
        try:
            limit = int(request.args.get("limit", 100))
            items, cursor = self.sb.events_after(request.args.get("after"), min(max(limit, 1), 100))
        except ValueError:
            raise ApiProblem(400, "bad_request", "after must be a cursor from this feed, limit 1..100") from None
        return ok({"items": items, "next_cursor": cursor})

    def order_put(self, request, source, external_id):
        body = self.json_body(request)
        fields = {}
        if body.get("status") not in ORDER_STATUSES:
            fields["status"] = [f"must be one of {', '.join(sorted(ORDER_STATUSES))}"]
        if body.get("payment_status") not in PAYMENT_STATUSES:
            fields["payment_status"] = [f"must be one of {', '.join(sorted(PAYMENT_STATUSES))}"]
        lines = body.get("lines")
        if not isinstance(lines, list):
            fields["lines"] = ["must be a list"]
        for n, line in enumerate(lines or []):
            if not isinstance(line, dict) or not line.get("sku"):
                fields[f"lines[{n}].sku"] = ["required"]
                continue
            if not isinstance(line.get("quantity"), int):
                fields[f"lines[{n}].quantity"] = ["must be an integer"]
            check_money(fields, f"lines[{n}].unit_price", line.get("unit_price"))
        check_money(fields, "totals.total", (body.get("totals") or {}).get("total"))
        if fields:
            raise invalid(fields)
        key = (source, external_id)
        current = self.sb.orders.get(key)
        created = current is None
        order = current or {"id": self.sb.next_id("ord"), "source": source, "external_id": external_id,
                            "version": 0, "timeline": [], "shipments": []}
        order.update({k: v for k, v in body.items() if k not in ("id", "timeline", "shipments", "version")})
        order["version"] += 1
        order["timeline"].append({"at": self.sb.clock.time(), "status": body["status"]})
        self.sb.orders[key] = order
        self.wrote(request)
        return ok({"id": order["id"], "created": created, "version": order["version"]}, 201 if created else 200)

    def order_get(self, request, source, external_id):
        order = self.sb.orders.get((source, external_id))
        if order is None:
            raise ApiProblem(404, "not_found", f"no order {source}/{external_id}")
        return ok(order)

    def shipment_post(self, request, source, external_id):
        order = self.sb.orders.get((source, external_id))
        if order is None:
            raise ApiProblem(404, "not_found", f"no order {source}/{external_id}")
        body = self.json_body(request)
        if not body.get("shipped_at"):
            raise invalid({"shipped_at": ["required"]})
        shipment = {"id": self.sb.next_id("shp"), "source": source, "external_id": external_id, **body}
        order["shipments"].append(shipment)
        self.sb.shipments.append(shipment)
        self.wrote(request)
        return ok({"id": shipment["id"]}, 201)

    def product_put(self, request, sku):
        body = self.json_body(request)
        fields = {}
        if body.get("sku") not in (None, sku):
            fields["sku"] = ["must match the SKU in the path"]
        if not body.get("title"):
            fields["title"] = ["required"]
        check_money(fields, "price", body.get("price"), required=False)
        if fields:
            raise invalid(fields)
        match = self.sb.product_match(sku, body.get("barcode"))
        linked = match is not None and match.get("origin") != "lightspeed"
        product = match or {"id": self.sb.next_id("prd"), "origin": "lightspeed"}
        product.update({"sku": match["sku"] if match else sku, "barcode": body.get("barcode") or product.get("barcode"),
                        "title": body["title"], "price": body.get("price"), "linked": product.get("linked") or linked})
        self.sb.products[product["sku"]] = product
        self.wrote(request)
        return ok({"id": product["id"], "sku": product["sku"], "linked": linked})

    def customer_put(self, request, source, external_id):
        body = self.json_body(request)
        email = body.get("email")
        if email is not None and (not isinstance(email, str) or "@" not in email):
            raise invalid({"email": ["must be an email address"]})
        key = (source, external_id)
        current = self.sb.customers.get(key) or next(
            (c for c in self.sb.customers.values() if email and c.get("email") == email), None)
        customer = current or {"id": self.sb.next_id("cus")}
        customer.update({**body, "source": source, "external_id": external_id})
        self.sb.customers[key] = customer
        self.wrote(request)
        return ok({"id": customer["id"], "created": current is None})

    def checkouts_post(self, request):
        body = self.json_body(request)
        checkouts = body.get("checkouts")
        if not isinstance(checkouts, list) or not all(isinstance(c, dict) and c.get("external_id") for c in checkouts):
            raise invalid({"checkouts": ["a list of checkouts, each with an external_id"]})
        for checkout in checkouts:
            self.sb.checkouts[str(checkout["external_id"])] = checkout
        self.wrote(request)
        return ok({"accepted": len(checkouts)})

    def stock_put(self, request):
        body = self.json_body(request)
        items = body.get("items")
        if not isinstance(items, list) or len(items) > 100:
            raise invalid({"items": ["a list of at most 100 {sku, location, quantity}"]})
        rejected = []
        for n, line in enumerate(items):
            sku = line.get("sku") if isinstance(line, dict) else None
            if sku not in self.sb.products:
                rejected.append({"index": n, "sku": sku, "message": "unknown sku"})
            elif not isinstance(line.get("quantity"), int):
                rejected.append({"index": n, "sku": sku, "message": "quantity must be an integer"})
            else:
                self.sb.stock[(sku, line.get("location") or "")] = line["quantity"]
        self.wrote(request)
        return ok({"updated": len(items) - len(rejected), "rejected": rejected})

    def webhook_put(self, request):
        body = self.json_body(request)
        events = body.get("events") or sorted(EVENT_TYPES)
        if not str(body.get("url", "")).startswith(("http://", "https://")) or set(events) - EVENT_TYPES:
            raise invalid({"url": ["an http(s) URL"], "events": [f"a subset of {sorted(EVENT_TYPES)}"]})
        self.sb.webhook_url, self.sb.webhook_events = body["url"], events
        self.wrote(request)
        return ok({"url": body["url"], "events": events})
