"""Miinto's API client: opens a channel with identifier/secret, signs every call, speaks the Order API.

    with miinto_client(tenant) as client:
        for transfer in client.transfers_pending(shop_id): ...
        order_id = client.transfer_decide(shop_id, transfer_id, accepted=[1, 2], declined=[3])
        client.ship(shop_id, order_id, position_ids=[1, 2], tracking_code="TT123", provider_id=1)

Channels are cached per (tenant, identifier) in this process and re-opened once when a call is refused
with 401 or a `failure` envelope (channels expire).
"""
import itertools
import json
import threading
from dataclasses import dataclass

from django.conf import settings

from connector.http import BaseApiClient, Invalid, Misconfigured, Transient, Unauthorized
from connector.redact import secret_register

from .selectors import CREDENTIALS_REFUSED
from .signing import signed_headers

PAGE_SIZE = 50
_channels = {}
_channels_lock = threading.Lock()
_seeds = itertools.count(1)


@dataclass(frozen=True)
class Channel:
    id: str
    token: str
    shop_ids: tuple


def shop_ids_from_privileges(privileges):
    """Shop ids: keys of privileges.__GLOBAL__.Store (Setono), else ShopAdmin keys per Platform-XX (lupawlik)."""
    if not isinstance(privileges, dict):
        return ()
    store = (privileges.get("__GLOBAL__") or {}).get("Store") or {}
    if store:
        return tuple(store)
    shops = []
    for key, value in privileges.items():
        if key.startswith("Platform-") and isinstance(value, dict):
            shops.extend(value.get("ShopAdmin") or {})
    return tuple(shops)


def channels_forget(cache_key=None):
    with _channels_lock:
        if cache_key is None:
            _channels.clear()
        else:
            _channels.pop(cache_key, None)


class MiintoClient(BaseApiClient):
    name = "miinto"

    def __init__(self, *, identifier, secret, cache_key=None, auth_url=None, order_url=None, clock=None,
                 transport=None):
        super().__init__(base_url=order_url or settings.MIINTO_ORDER_URL, transport=transport, clock=clock)
        self.auth_url = (auth_url or settings.MIINTO_AUTH_URL).rstrip("/")
        self.identifier = identifier
        self.secret = secret
        self.cache_key = cache_key or ("", identifier)
        secret_register(secret)

    # --- channel --------------------------------------------------------------------------------
    @property
    def channel(self):
        with _channels_lock:
            channel = _channels.get(self.cache_key)
        return channel or self.channel_open()

    def channel_open(self):
        try:
            response = self._send_once("POST", f"{self.auth_url}/channels",
                                       json={"identifier": self.identifier, "secret": self.secret})
        except (Unauthorized, Invalid) as exc:
            raise Misconfigured(f"{CREDENTIALS_REFUSED}: {exc}", status=exc.status) from None
        data = self.data(response)
        channel = Channel(id=data["id"], token=data["token"], shop_ids=shop_ids_from_privileges(data.get("privileges")))
        secret_register(channel.token)
        with _channels_lock:
            _channels[self.cache_key] = channel
        return channel

    def authorize(self, request):
        if request.method == "POST" and request.url.path.endswith("/channels"):
            return  # opening a channel is the one unsigned call
        channel = self.channel
        raw_path = request.url.raw_path.decode().split("?", 1)[0]
        request.headers.update(signed_headers(
            method=request.method, host=request.url.host, path=raw_path, query=request.url.query.decode(),
            body=request.content, channel_id=channel.id, token=channel.token,
            timestamp=int(self.clock.time()), seed=f"{next(_seeds)}",
        ))
        request.headers["Content-Type"] = "application/json"

    def call(self, method, path, **kwargs):
        """One Order API call returning `data`; a refused channel is re-opened once and the call repeated."""
        try:
            return self.data(self.request(method, path, **kwargs))
        except Unauthorized:
            channels_forget(self.cache_key)
            self.channel_open()
            return self.data(self.request(method, path, **kwargs))

    def data(self, response):
        try:
            body = response.json()
        except ValueError:
            raise Transient(f"miinto {response.request.method} {response.request.url.path}: the answer is not "
                            f"JSON: {response.text[:200]!r}", status=response.status_code) from None
        meta = body.get("meta") if isinstance(body, dict) else None
        if not isinstance(meta, dict) or meta.get("status") != "success":
            raise Unauthorized(f"miinto: failure envelope: {meta!r}", status=response.status_code)
        return body.get("data")

    def error_message(self, response):
        try:
            meta = response.json().get("meta") or {}
            return str(meta.get("message") or meta)[:500]
        except (ValueError, AttributeError):
            return response.text[:500]

    # --- Order API --------------------------------------------------------------------------------
    def status(self):
        return self.data(self._send_once("GET", f"{self.auth_url}/status"))

    def shop_get(self, shop_id):
        return self.call("GET", f"/shops/{shop_id}")

    def paged(self, path, params):
        offset = 0
        while True:
            response = self.request("GET", path, params={**params, "limit": PAGE_SIZE, "offset": offset})
            rows = self.data(response) or []
            yield from rows
            offset += len(rows)
            if not rows or offset >= response.json()["meta"].get("totalItemCount", 0):
                return

    def _paged_all(self, path, params):
        try:
            return list(self.paged(path, params))
        except Unauthorized:
            channels_forget(self.cache_key)
            self.channel_open()
            return list(self.paged(path, params))

    def transfers_pending(self, shop_id):
        return self._paged_all(f"/shops/{shop_id}/transfers", {"status[]": "pending", "sort": "+createdAt"})

    def transfer_get(self, shop_id, transfer_id):
        return self.call("GET", f"/shops/{shop_id}/transfers/{transfer_id}")

    def transfer_decide(self, shop_id, transfer_id, *, accepted=(), declined=()):
        """Accept/decline positions; returns the resulting order id (None when nothing was accepted).

        Deciding a position again the same way is a no-op on Miinto, so the PATCH is retried like a PUT.
        """
        body = self.decision_body(accepted, declined)
        data = self.call("PATCH", f"/shops/{shop_id}/transfers/{transfer_id}", content=json.dumps(body), retry=True)
        return ((data or {}).get("newOrder") or {}).get("id")

    def orders(self, shop_id, status=None):
        params = {"sort": "+createdAt", **({"status[]": status} if status else {})}
        return self._paged_all(f"/shops/{shop_id}/orders", params)

    def order_get(self, shop_id, order_id):
        return self.call("GET", f"/shops/{shop_id}/orders/{order_id}")

    def order_decide(self, shop_id, order_id, *, accepted=(), declined=()):
        body = self.decision_body(accepted, declined)
        return self.call("PATCH", f"/shops/{shop_id}/orders/{order_id}", content=json.dumps(body), retry=True)

    def shipping_providers(self, shop_id, order_id):
        return self.call("GET", f"/shops/{shop_id}/shipping-providers/orders/{order_id}")

    def ship(self, shop_id, order_id, *, position_ids, tracking_code, provider_id=None):
        """Tracking on an accepted order's positions. Inferred write shape (channel-apis.md §1.5):
        PATCH the order with acceptedPositions carrying trackAndTrace and shippingProviderId."""
        positions = [{"id": pid, "trackAndTrace": tracking_code, "shippingProviderId": provider_id}
                     for pid in position_ids]
        body = {"acceptedPositions": positions}
        return self.call("PATCH", f"/shops/{shop_id}/orders/{order_id}", content=json.dumps(body), retry=True)

    @staticmethod
    def decision_body(accepted, declined):
        if not accepted and not declined:
            raise ValueError("accept or decline at least one position")
        body = {}
        if accepted:
            body["acceptedPositions"] = [{"id": pid} for pid in accepted]
        if declined:
            body["declinedPositions"] = [{"id": pid} for pid in declined]
        return body


def miinto_client(tenant, *, clock=None, transport=None):
    """A client with the tenant's Miinto credentials. Raises Misconfigured when they are missing."""
    from .models import MiintoSettings

    config = MiintoSettings.objects.for_tenant(tenant).first()
    if config is None or not config.identifier or not config.secret:
        raise Misconfigured("Miinto is not set up: enter the channel identifier and secret", pause_tenant=False)
    return MiintoClient(identifier=config.identifier, secret=config.secret, cache_key=(tenant.pk, config.identifier),
                        clock=clock, transport=transport)
