"""The sandbox's WSGI app: auth service and Order API on one host, same paths as Miinto's.

Auth service: POST /channels (unsigned; JSON or form), GET /channels/{id} (signed), GET /status.
Order API (all signed): /shops/{shopId}[/transfers[/{id}]|/orders[/{id}]|/shipping-providers/orders/{id}].
Control surface (unsigned, sandbox only): /sandbox/...
"""
import json
from urllib.parse import quote

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ..signing import AUTH_TYPE, signature_compute
from .store import ApiProblem, order_view, transfer_status, transfer_view

URLS = Map([
    Rule("/channels", methods=["POST"], endpoint="channel_open"),
    Rule("/channels/<channel_id>", methods=["GET"], endpoint="channel_get"),
    Rule("/status", methods=["GET"], endpoint="status"),
    Rule("/shops/<shop_id>", methods=["GET"], endpoint="shop_get"),
    Rule("/shops/<shop_id>/transfers", methods=["GET"], endpoint="transfers_list"),
    Rule("/shops/<shop_id>/transfers/<int:transfer_id>", methods=["GET"], endpoint="transfer_get"),
    Rule("/shops/<shop_id>/transfers/<int:transfer_id>", methods=["PATCH"], endpoint="transfer_patch"),
    Rule("/shops/<shop_id>/orders", methods=["GET"], endpoint="orders_list"),
    Rule("/shops/<shop_id>/orders/<int:order_id>", methods=["GET"], endpoint="order_get"),
    Rule("/shops/<shop_id>/orders/<int:order_id>", methods=["PATCH"], endpoint="order_patch"),
    Rule("/shops/<shop_id>/shipping-providers/orders/<int:order_id>", methods=["GET"], endpoint="providers"),
], strict_slashes=False)  # clients written against the real API send `/shops/{id}/`
UNSIGNED = {"channel_open", "status"}
SORT_KEYS = {"createdAt": lambda r: (r.get("createdAt") or "", r["id"]), "id": lambda r: (r["id"],)}


def envelope(data, status=200, **meta):
    body = {"meta": {"status": "success", "version": "1.0", **meta}, "data": data}
    return Response(json.dumps(body), status=status, content_type="application/json")


def failure(status, message):
    body = {"meta": {"status": "failure", "version": "1.0", "code": status, "message": message}, "data": None}
    return Response(json.dumps(body), status=status, content_type="application/json")


def wire_path(environ):
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return raw.split("?", 1)[0]
    return quote(environ.get("PATH_INFO", ""), safe="/!$&'()*+,;=:@-._~")


class SandboxApp:
    def __init__(self, sandbox):
        self.sb = sandbox

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/" and request.method == "GET":  # a person at the banner's address: the control page
            return Response(status=302, headers={"Location": "/sandbox/"})(environ, start_response)
        if request.path.startswith("/sandbox"):
            with self.sb.lock:
                return self.sb.control(request)(environ, start_response)
        response = self.dispatch(request)
        self.sb.request_log.append({"method": request.method, "path": request.path,
                                    "query": request.query_string.decode(), "status": response.status_code,
                                    "fault": None})
        return response(environ, start_response)

    def dispatch(self, request):
        fault = self.sb.faults.take(request.method, request.path, {"500", "503", "429", "malformed_json"})
        if fault == "malformed_json":
            return Response('{"meta": {"status": "succ', status=200, content_type="application/json")
        if fault:
            headers = {"Retry-After": "1"} if fault == "429" else {}
            return Response(f"sandbox fault {fault}", status=int(fault), headers=headers)
        try:
            endpoint, args = URLS.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return failure(exc.code, exc.description or exc.name)
        try:
            if endpoint not in UNSIGNED:
                self.verify(request)
            return getattr(self, endpoint)(request, **args)
        except ApiProblem as exc:
            return failure(exc.status, exc.message)

    # --- signature -----------------------------------------------------------------------------
    def verify(self, request):
        headers = request.headers
        channel_id = headers.get("Miinto-Api-Auth-ID", "")
        if headers.get("Miinto-Api-Auth-Type") != AUTH_TYPE:
            raise ApiProblem(401, f"Miinto-Api-Auth-Type must be {AUTH_TYPE}")
        token = self.sb.channel_token(channel_id)
        if token is None:
            raise ApiProblem(401, "unknown or expired channel")
        timestamp = headers.get("Miinto-Api-Auth-Timestamp", "")
        if not timestamp.isdigit() or abs(int(timestamp) - self.sb.clock.time()) > self.sb.timestamp_skew:
            raise ApiProblem(401, "timestamp missing or too far from now")
        expected = signature_compute(
            method=request.method, host=request.host.rsplit(":", 1)[0], path=wire_path(request.environ),
            query=request.query_string.decode(), body=request.get_data(cache=True), channel_id=channel_id,
            token=token, timestamp=timestamp, seed=headers.get("Miinto-Api-Auth-Seed", ""),
        )
        forced_bad = self.sb.faults.take(request.method, request.path, {"bad_signature"})
        if forced_bad or headers.get("Miinto-Api-Auth-Signature") != expected:
            raise ApiProblem(401, "signature mismatch")

    def json_body(self, request):
        try:
            return json.loads(request.get_data(cache=True) or b"null")
        except ValueError:
            raise ApiProblem(400, "body is not valid JSON") from None

    def shop_check(self, shop_id):
        if shop_id not in self.sb.shop_countries:
            raise ApiProblem(404, f"shop {shop_id} not found")

    # --- auth service --------------------------------------------------------------------------
    def channel_open(self, request):
        if request.mimetype == "application/json":
            body = self.json_body(request) or {}
        else:
            body = request.form
        if not isinstance(body, dict) or not body.get("identifier") or not body.get("secret"):
            raise ApiProblem(400, "identifier and secret are required")
        return envelope(self.sb.channel_open(body["identifier"], body["secret"]))

    def channel_get(self, request, channel_id):
        if request.headers.get("Miinto-Api-Auth-ID") != channel_id:
            raise ApiProblem(403, "a channel can only read itself")
        return envelope(self.sb.channel_view(channel_id))

    def status(self, request):
        return envelope({"status": "ok"})

    # --- Order API -----------------------------------------------------------------------------
    def shop_get(self, request, shop_id):
        self.shop_check(shop_id)
        country = self.sb.shop_countries[shop_id]
        return envelope({"id": shop_id, "name": f"Sandbox shop {country}", "countryCode": country})

    def transfers_list(self, request, shop_id):
        self.shop_check(shop_id)
        rows = [t for t in self.sb.transfers.values() if t["shopId"] == shop_id]
        statuses = request.args.getlist("status[]")
        if statuses:
            rows = [t for t in rows if transfer_status(t) in statuses]
        return self.page(request, rows, transfer_view)

    def transfer_get(self, request, shop_id, transfer_id):
        self.shop_check(shop_id)
        return envelope(transfer_view(self.sb.transfer_find(shop_id, transfer_id)))

    def transfer_patch(self, request, shop_id, transfer_id):
        self.shop_check(shop_id)
        order_id = self.sb.transfer_decide(shop_id, transfer_id, self.json_body(request))
        transfer = self.sb.transfers[transfer_id]
        data = {**transfer_view(transfer), "newOrder": {"id": order_id} if order_id else None}
        return envelope(data)

    def orders_list(self, request, shop_id):
        self.shop_check(shop_id)
        rows = [o for o in self.sb.orders.values() if o["shopId"] == shop_id]
        statuses = request.args.getlist("status[]")
        if statuses:
            rows = [o for o in rows if o["status"] in statuses]
        return self.page(request, rows, self.order_full)

    def order_get(self, request, shop_id, order_id):
        self.shop_check(shop_id)
        order = self.sb.orders.get(order_id)
        if order is None or order["shopId"] != shop_id:
            raise ApiProblem(404, f"order {order_id} not found in shop {shop_id}")
        return envelope(self.order_full(order))

    def order_patch(self, request, shop_id, order_id):
        self.shop_check(shop_id)
        self.sb.order_update(shop_id, order_id, self.json_body(request))
        return envelope(self.order_full(self.sb.orders[order_id]))

    def providers(self, request, shop_id, order_id):
        self.shop_check(shop_id)
        if order_id not in self.sb.orders:
            raise ApiProblem(404, f"order {order_id} not found")
        return envelope(self.sb.shipping_providers)

    def order_full(self, order):
        return order_view(order, self.sb.transfers[order["parentOrder"]["id"]])

    def page(self, request, rows, view):
        sort = request.args.get("sort", "+createdAt")
        key = SORT_KEYS.get(sort.strip().lstrip("+-"))  # "+" may arrive decoded as a space
        if key is None:
            raise ApiProblem(400, f"cannot sort by {sort}")
        rows = sorted(rows, key=key, reverse=sort.startswith("-"))
        try:
            limit = int(request.args.get("limit", 50))
            offset = int(request.args.get("offset", 0))
        except ValueError:
            raise ApiProblem(400, "limit and offset must be integers") from None
        if not 1 <= limit <= 100 or offset < 0:
            raise ApiProblem(400, "limit must be 1..100 and offset >= 0")
        data = [view(r) for r in rows[offset:offset + limit]]
        return envelope(data, totalItemCount=len(rows), limit=limit, offset=offset)
