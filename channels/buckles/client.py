"""The Buckles adapter: the one place that knows the PROVISIONAL contract's HTTP shape (docs/buckles.md).

Buckles publishes no API; this contract is ours, modelled on ChannelEngine's and Channable's merchant APIs
(shared/docs/channels-deep.md §4.4). When Buckles gives us a real spec, this module (and the sandbox) change.

    with buckles_client(tenant) as client:
        client.order_put("lightspeed", "1234", body)          # upsert by natural key: a resend never duplicates
        client.stock_put([{"sku": "A1", "location": None, "quantity": 3}])
        page = client.events(after=cursor)                      # {"items": [...], "next_cursor": ...}

Every call: `Authorization: Bearer <connection token>`; POSTs carry an `Idempotency-Key`.
"""
import json

from django.conf import settings

from connector.http import BaseApiClient, Misconfigured, Unauthorized, json_object
from connector.redact import secret_register

STOCK_BATCH = 100
API = "/v1"


class BucklesClient(BaseApiClient):
    name = "buckles"

    def __init__(self, *, token, base_url=None, clock=None, transport=None):
        super().__init__(base_url=base_url or settings.BUCKLES_API_URL, transport=transport, clock=clock)
        self.token = token
        secret_register(token)

    def authorize(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        request.headers["Accept"] = "application/json"

    def error_message(self, response):
        try:
            error = response.json().get("error") or {}
            return f"{error.get('code')}: {error.get('message')} {error.get('fields') or ''}".strip()[:500]
        except (ValueError, AttributeError):
            return response.text[:500]

    def call(self, method, path, *, body=None, params=None, idempotency_key=None):
        headers = {"Content-Type": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        content = json.dumps(body) if body is not None else None
        try:
            # a POST with an Idempotency-Key is safe to resend: Buckles answers a repeat with the first response
            response = self.request(method, f"{API}{path}", content=content, params=params, headers=headers,
                                    retry=True if idempotency_key else None)
        except Unauthorized as exc:
            raise Misconfigured(f"Buckles refused the connection token: {exc}", status=exc.status) from None
        return json_object(response, f"buckles {method} {path}") if response.content else {}

    # --- reads ------------------------------------------------------------------------------------
    def account(self):
        return self.call("GET", "/account")

    def events(self, *, after=None, limit=100):
        params = {"limit": limit, **({"after": after} if after else {})}
        return self.call("GET", "/events", params=params)

    # --- writes (all idempotent by natural key or Idempotency-Key) ----------------------------------
    def order_put(self, source, external_id, body):
        return self.call("PUT", f"/orders/{source}/{external_id}", body=body)

    def shipment_create(self, source, external_id, body, *, key):
        return self.call("POST", f"/orders/{source}/{external_id}/shipments", body=body, idempotency_key=key)

    def product_put(self, sku, body):
        return self.call("PUT", f"/products/{sku}", body=body)

    def customer_put(self, source, external_id, body):
        return self.call("PUT", f"/customers/{source}/{external_id}", body=body)

    def checkouts_batch(self, checkouts, *, key):
        return self.call("POST", "/checkouts:batch", body={"checkouts": checkouts}, idempotency_key=key)

    def stock_put(self, lines):
        """Absolute quantities, in batches of STOCK_BATCH; returns the lines Buckles rejected, as
        [{"index" (into `lines`), "sku", "message"}]."""
        rejected = []
        for start in range(0, len(lines), STOCK_BATCH):
            answer = self.call("PUT", "/stock", body={"items": lines[start:start + STOCK_BATCH]})
            for row in answer.get("rejected") or []:
                if isinstance(row, dict) and isinstance(row.get("index"), int):
                    rejected.append({**row, "index": start + row["index"]})
        return rejected

    def webhook_put(self, url, events):
        return self.call("PUT", "/webhook", body={"url": url, "events": list(events)})


def buckles_client(tenant, *, clock=None, transport=None):
    """A client with the tenant's Buckles token. Raises Misconfigured when it is missing."""
    from .models import BucklesSettings

    config = BucklesSettings.objects.for_tenant(tenant).first()
    if config is None or not config.api_token:
        raise Misconfigured("Buckles is not set up: enter the connection token", pause_tenant=False)
    return BucklesClient(token=config.api_token, clock=clock, transport=transport)
