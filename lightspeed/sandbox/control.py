"""HTTP control surface under /sandbox/ (demo, browser tests, scripts). Never part of the real API."""
import html
import json
import re

from .envelope import json_response

ROUTES = []


def route(method, pattern):
    def register(func):
        ROUTES.append((method, re.compile(f"^{pattern}$"), func))
        return func
    return register


def handle(sb, request):
    for method, pattern, func in ROUTES:
        match = pattern.match(request.path)
        if match and request.method == method:
            try:
                return func(sb, _fields(request), **{k: int(v) for k, v in match.groupdict().items()})
            except (KeyError, ValueError, TypeError) as exc:
                return json_response({"error": str(exc)}, 400)
    return json_response({"error": f"no control route {request.method} {request.path}"}, 404)


def _fields(request):
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}
    fields = request.form.to_dict()
    fields.update(request.args.to_dict())
    return fields


@route("GET", "/sandbox/?")
def status(sb, fields):
    return json_response({
        "account_id": sb.account_id, "client_id": sb.client_id, "redirect_uri": sb.redirect_uri,
        "items": len(sb.state.items), "shops": len(sb.state.shops), "registers": len(sb.state.registers),
        "sales": len(sb.state.sales), "customers": len(sb.state.customers), "time_scale": sb.time_scale,
        "now": sb.now(), "faults": sb.faults.describe()})


@route("POST", "/sandbox/oauth/code")
def oauth_code(sb, fields):
    code = sb.issue_code(scope=fields.get("scope", "employee:all"), employee_id=int(fields.get("employee_id", 1)),
                         client_id=fields.get("client_id") or None, code_challenge=fields.get("code_challenge"),
                         code_challenge_method=fields.get("code_challenge_method"))
    return json_response({"code": code, "expires_in": 60})


@route("POST", "/sandbox/stock")
def stock(sb, fields):
    sb.set_stock(int(fields["item_id"]), int(fields["shop_id"]), int(fields["qoh"]))
    return json_response({"ok": True})


@route("POST", r"/sandbox/sales/(?P<sale_id>\d+)/complete")
def sale_complete(sb, fields, sale_id):
    payments = fields.get("payments")
    if isinstance(payments, str):
        payments = json.loads(payments)
    return json_response({"saleID": str(sale_id), "completed": True} | _totals(sb.complete_sale(sale_id, payments)))


@route("POST", r"/sandbox/sales/(?P<sale_id>\d+)/void")
def sale_void(sb, fields, sale_id):
    sb.void_sale(sale_id)
    return json_response({"saleID": str(sale_id), "voided": True})


@route("GET", "/sandbox/sales")
def sales(sb, fields):
    return json_response({"sales": sb.sales()})


@route("GET", "/sandbox/customers")
def customers(sb, fields):
    return json_response({"customers": sb.customers()})


@route("POST", "/sandbox/faults")
def inject_fault(sb, fields):
    sb.inject_fault(fields["kind"], method=fields.get("method") or None,
                    path_contains=fields.get("path_contains") or None, times=int(fields.get("times", 1)))
    return json_response({"faults": sb.faults.describe()})


@route("DELETE", "/sandbox/faults")
def clear_faults(sb, fields):
    sb.faults.clear()
    return json_response({"faults": []})


@route("GET", "/sandbox/requests")
def request_log(sb, fields):
    limit = int(fields.get("limit", 100))
    return json_response({"requests": sb.request_log[-limit:], "total": len(sb.request_log)})


@route("DELETE", "/sandbox/requests")
def clear_request_log(sb, fields):
    sb.request_log.clear()
    return json_response({"requests": []})


@route("POST", "/sandbox/bucket/reset")
def reset_bucket(sb, fields):
    sb.reset_bucket()
    return json_response({"ok": True})


@route("GET", "/sandbox/bucket")
def bucket(sb, fields):
    client_id = fields.get("client_id") or sb.client_id
    return json_response({"client_id": client_id, "level": sb.bucket_level(client_id)})


def _totals(rendered):
    return {"total": str(rendered["total"]), "calcPayments": str(rendered["calcPayments"])}


def index_page(sb):
    e = html.escape
    return (f"<!doctype html><html><head><title>Lightspeed R-Series sandbox</title></head><body>"
            f"<h1>Lightspeed R-Series sandbox</h1><p>Account <b>{sb.account_id}</b>: {len(sb.state.items)} items, "
            f"{len(sb.state.shops)} shops, {len(sb.state.registers)} registers.</p>"
            f"<p>OAuth client <code>{e(sb.client_id)}</code>, redirect URI <code>{e(sb.redirect_uri)}</code></p>"
            f"<ul><li>Authorize: <code>/auth/oauth/authorize</code></li><li>Token: <code>/auth/oauth/token</code>"
            f"</li><li>API: <code>/API/V3/Account.json</code></li><li>Control: <a href=\"/sandbox/\">/sandbox/</a>"
            f"</li></ul></body></html>")
