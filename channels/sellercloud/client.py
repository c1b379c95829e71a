"""Sellercloud's REST API client (channels-deep.md §2.2-2.4), on connector.http.BaseApiClient.

    with sellercloud_client(tenant) as client:
        client.companies([163]); client.warehouses()
        order_id = client.order_create(body)            # never retried: a lost answer is found by lookup
        client.orders_by_source(["123"], company_id=163)

A token from `POST /api/token` is cached per (tenant, username) in this process, renewed `RENEW_BEFORE`
seconds before it expires, and renewed once more when a call is refused with 401.
"""
import threading
from datetime import datetime, timezone

from django.conf import settings

from connector.http import BaseApiClient, Invalid, Misconfigured, RateLimited, Unauthorized, json_object
from connector.redact import secret_register

RENEW_BEFORE = 300
PAGE_SIZE = 50  # Orders are capped at 50 a page whatever is asked
_tokens = {}
_tokens_lock = threading.Lock()


def tokens_forget(cache_key=None):
    with _tokens_lock:
        if cache_key is None:
            _tokens.clear()
        else:
            _tokens.pop(cache_key, None)


def api_base_url(server=""):
    """SELLERCLOUD_API_URL, with `{server}` filled in: a server id, or a full host for TF teams."""
    template = settings.SELLERCLOUD_API_URL
    if "{server}" not in template:
        return template
    server = (server or "").strip().lower()
    if "." in server:
        return f"https://{server}/rest"
    return template.format(server=server)


def reset_seconds(body, now):
    """Seconds until `RateLimitResetTime` of the documented 429 body."""
    text = str((body or {}).get("RateLimitResetTime") or "").rstrip("Z")[:26]
    try:
        reset = datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None
    return max(1.0, reset - now)


class SellercloudClient(BaseApiClient):
    name = "sellercloud"

    def __init__(self, *, username, password, server="", cache_key=None, clock=None, transport=None):
        super().__init__(base_url=api_base_url(server), transport=transport, clock=clock)
        self.username, self.password = username, password
        self.cache_key = cache_key or ("", username)
        secret_register(password)

    # --- token ---------------------------------------------------------------------------------
    def token(self):
        with _tokens_lock:
            cached = _tokens.get(self.cache_key)
        if cached and cached[1] - RENEW_BEFORE > self.clock.time():
            return cached[0]
        return self.login()

    def login(self):
        try:
            body = {"Username": self.username, "Password": self.password}
            response = self._send_once("POST", "/api/token", json=body)
        except (Unauthorized, Invalid) as exc:
            raise Misconfigured(f"Sellercloud refused the username and password: {exc}", status=exc.status) from None
        body = json_object(response, "sellercloud token")
        token = str(body.get("access_token") or "")
        if not token:
            raise Misconfigured("Sellercloud answered the login without a token", status=response.status_code)
        secret_register(token)
        expires_at = self.clock.time() + float(body.get("expires_in") or 3600)
        with _tokens_lock:
            _tokens[self.cache_key] = (token, expires_at)
        return token

    def authorize(self, request):
        if request.url.path.lower().endswith("/api/token"):
            return
        request.headers["Authorization"] = f"Bearer {self.token()}"

    def call(self, method, path, **kwargs):
        """One call; a 401 (token expired or revoked early) logs in again once and repeats it."""
        try:
            return self.request(method, path, **kwargs)
        except Unauthorized:
            tokens_forget(self.cache_key)
            self.login()
            return self.request(method, path, **kwargs)

    def error_message(self, response):
        try:
            body = response.json()
        except ValueError:
            return response.text[:500]
        if isinstance(body, dict):
            message = body.get("Message") or body.get("Error") or body
            state = body.get("ModelState")
            return f"{message} {state}"[:500] if state else str(message)[:500]
        return str(body)[:500]

    def error_for(self, request, response):
        error = super().error_for(request, response)
        if isinstance(error, RateLimited) and error.retry_after is None:
            try:
                error.retry_after = reset_seconds(response.json(), self.clock.time())
            except ValueError:
                pass
        return error

    @staticmethod
    def json(response, default=None):
        """The body; calls without a response schema may answer 200 with nothing."""
        if not response.content.strip():
            return default
        try:
            return response.json()
        except ValueError:
            return default

    def get(self, path, params=None):
        return self.json(self.call("GET", path, params=params))

    def paged(self, path, params=None, page_size=PAGE_SIZE):
        """Every item of a `{"Items", "TotalResults"}` list, page by page (1-based)."""
        number, seen = 1, 0
        while True:
            body = self.get(path, {**(params or {}), "model.pageNumber": number, "model.pageSize": page_size})
            items = (body or {}).get("Items") or []
            yield from items
            seen += len(items)
            if not items or seen >= int((body or {}).get("TotalResults") or 0):
                return
            number += 1

    # --- calls ---------------------------------------------------------------------------------
    def companies(self, ids=()):
        return list(self.paged("/api/Companies", {"model.companyID": list(ids)} if ids else {}))

    def warehouses(self):
        return list(self.paged("/api/Warehouses"))

    def orders_by_source(self, source_ids, *, company_id):
        params = {"model.orderSourceOrderIDList": [str(s) for s in source_ids], "model.companyID": [company_id]}
        return list(self.paged("/api/Orders", params))

    def order_get(self, order_id):
        return self.get(f"/api/Orders/{order_id}")

    def order_create(self, body):
        """The new order id. Not retried: a lost answer may have created it (look it up first)."""
        return int(self.json(self.call("POST", "/api/Orders", json=body, retry=False)))

    def order_ship(self, body):
        self.call("PUT", "/api/Orders/ShippingStatus", json=body)

    def payment_receive(self, order_id, body):
        """Not idempotent (each call adds a payment), so never resent blindly."""
        self.call("PUT", f"/api/Orders/{order_id}/ReceiveManualPayment", json=body, retry=False)

    def note_add(self, order_id, message, category=0):
        self.call("POST", f"/api/Orders/{order_id}/Notes", json={"Message": message, "Category": category}, retry=False)

    def inventory(self, params):
        return self.paged("/api/Inventory", params)

    def catalog(self, params):
        return self.paged("/api/Catalog", params)

    def warehouse_qty(self, sku, warehouse_id):
        rows = self.get("/api/Inventory/Warehouses", {"productID": sku, "warehouseID": warehouse_id}) or []
        return sum(int(r.get("PhysicalQty") or 0) for r in rows if int(r.get("WarehouseID") or 0) == warehouse_id)

    def stock_adjust(self, body):
        self.call("PUT", "/api/Inventory/AdjustPhysicalInventory", json=body, retry=False)


def sellercloud_client(tenant, *, clock=None, transport=None):
    """A client with the tenant's Sellercloud login. Raises Misconfigured when it is missing."""
    from .models import SellercloudSettings

    config = SellercloudSettings.objects.for_tenant(tenant).first()
    if config is None or not config.username or not config.password:
        raise Misconfigured("Sellercloud is not set up: enter the username and password", pause_tenant=False)
    return client_for(config, tenant_pk=tenant.pk, clock=clock, transport=transport)


def client_for(config, *, tenant_pk=None, clock=None, transport=None):
    return SellercloudClient(username=config.username, password=config.password, server=config.server,
                             cache_key=(tenant_pk, config.username, config.server), clock=clock, transport=transport)
