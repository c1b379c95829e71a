"""MiintoSandbox: the in-memory Miinto (auth service + Order API) with a control surface.

    sb = MiintoSandbox(clock=FakeClock(), seed=1)
    sb.identifier, sb.secret, sb.shop_ids          # the demo channel's credentials and shops
    tid = sb.add_pending_order(sb.shop_ids[0], positions=[{"gtin": "5701234567890", "quantity": 1, "price": 49900}],
                               customer={"name": "Jane Doe", "email": "jane@example.com", ...})
    sb.transfers[tid], sb.orders, sb.actions       # what the connector did
    sb.inject_fault("500", method="PATCH", path_contains="/transfers/", times=1)
"""
import hashlib
import itertools
import random
import threading

from connector.clock import system_clock
from connector.sandbox_kit import FaultInjector, SandboxTransport
from connector.sandbox_server import LoopbackFaults

from . import seeding
from .store import ApiProblem, decisions_parse, iso, position_new, positions_check, positions_decide

COUNTRY_CODES = {"DK": "045", "SE": "046", "NO": "047", "NL": "031", "PL": "048", "DE": "049", "FI": "358"}
CURRENCIES = {"DK": "DKK", "SE": "SEK", "NO": "NOK", "NL": "EUR", "PL": "PLN", "DE": "EUR", "FI": "EUR"}
SHIPPING_PROVIDERS = [{"id": 1, "name": "PostNord"}, {"id": 2, "name": "GLS"}, {"id": 3, "name": "DAO"}]
FAULT_KINDS = ("500", "503", "429", "timeout", "drop_after_commit", "bad_signature", "malformed_json")


class MiintoSandbox:
    def __init__(self, *, clock=None, seed=1, countries=("DK", "SE", "NO"), channel_ttl=3600,
                 timestamp_skew=300, pending_orders=0, gtins=None, timeout_seconds=60.0):
        self.clock = clock or system_clock
        self.seed = seed
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        self.identifier = f"demo-{seed}@miinto-sandbox"
        self.secret = "mnt-" + hashlib.sha256(f"miinto-sandbox-secret-{seed}".encode()).hexdigest()[:32]
        self.shop_ids = [f"1-m!i!s-{COUNTRY_CODES[c]}-{1000 + seed}" for c in countries]
        self.shop_countries = dict(zip(self.shop_ids, countries))
        self.accessor_id = 200000 + seed
        self.channel_ttl = channel_ttl
        self.timestamp_skew = timestamp_skew
        self.channels = {}  # channel id -> {"token", "expires_at"}
        self.transfers = {}  # transfer id -> transfer (internal shape, see store.py)
        self.orders = {}  # order id -> order
        self.actions = []  # what clients did: accept/decline/tracking, in order
        self.request_log = []
        self.faults = FaultInjector(FAULT_KINDS)
        self.timeout_seconds = timeout_seconds
        self.gtins = list(gtins or [])
        self.shipping_providers = list(SHIPPING_PROVIDERS)
        self._transfer_ids = itertools.count(700001)
        self._position_ids = itertools.count(900001)
        self._order_ids = itertools.count(500001)
        self._channel_seq = itertools.count(1)
        if pending_orders:
            self.seed_pending_orders(pending_orders, gtins=gtins)

    # --- WSGI, transport and control ----------------------------------------------------------
    @property
    def wsgi_app(self):
        from .app import SandboxApp
        from .control import MiintoControl

        if not hasattr(self, "_app"):
            self.control = MiintoControl(self)
            self._app = LoopbackFaults(SandboxApp(self), self.faults, hold_seconds=self.timeout_seconds,
                                       on_fault=self.log_network_fault)
        return self._app

    def transport(self):
        return SandboxTransport(self.wsgi_app, self.faults, on_fault=self.log_network_fault)

    def log_network_fault(self, method, path, query, kind, status):
        self.request_log.append({"method": method, "path": path, "query": query, "status": status, "fault": kind})

    # --- auth service ---------------------------------------------------------------------
    def channel_open(self, identifier, secret):
        if identifier != self.identifier or secret != self.secret:
            raise ApiProblem(401, "invalid identifier or secret")
        with self.lock:
            seq = next(self._channel_seq)
            channel_id = f"M!t!Ch!v1!{self.accessor_id:010d}-{self.rng.getrandbits(48):012x}-{seq}"
            token = f"{self.rng.getrandbits(160):040x}"
            self.channels[channel_id] = {"token": token, "expires_at": self.clock.time() + self.channel_ttl}
        return self.channel_view(channel_id)

    def channel_view(self, channel_id):
        countries = {}
        for shop_id, country in self.shop_countries.items():
            countries.setdefault(f"Platform-{country}", {"ShopAdmin": {}})["ShopAdmin"][shop_id] = ["read", "write"]
        return {
            "id": channel_id,
            "token": self.channels[channel_id]["token"],
            "data": {"accessorId": self.accessor_id},
            "privileges": {"__GLOBAL__": {"Store": {s: ["read", "write"] for s in self.shop_ids}}, **countries},
        }

    def channel_token(self, channel_id):
        """The token of a live channel, or None when unknown or expired."""
        channel = self.channels.get(channel_id)
        if channel is None or channel["expires_at"] <= self.clock.time():
            return None
        return channel["token"]

    def channels_expire(self):
        """Control: every open channel expires now (clients must re-open one)."""
        with self.lock:
            for channel in self.channels.values():
                channel["expires_at"] = self.clock.time()

    # --- control: orders -------------------------------------------------------------------
    def add_pending_order(self, shop_id, positions, customer=None, *, currency=None, shipping_type="home"):
        """A new pending transfer; `positions` are dicts with gtin, quantity, price (minor units)."""
        if shop_id not in self.shop_countries:
            raise ValueError(f"unknown shop {shop_id!r}; shops: {self.shop_ids}")
        country = self.shop_countries[shop_id]
        customer = seeding.customer_for(self.rng, country) if customer is None else customer
        with self.lock:
            transfer_id = next(self._transfer_ids)
            self.transfers[transfer_id] = {
                "id": transfer_id,
                "shopId": shop_id,
                "createdAt": iso(self.clock.time()),
                "currency": currency or CURRENCIES.get(country, "EUR"),
                "positions": [position_new(next(self._position_ids), p) for p in positions],
                "billingInformation": seeding.billing_information(customer),
                "shippingInformation": seeding.shipping_information(customer, shipping_type),
                "orderId": None,
            }
        return transfer_id

    def add_raw_transfer(self, shop_id, raw):
        """Control: a transfer body exactly as given (to test malformed input). Returns its id."""
        with self.lock:
            transfer_id = raw.get("id") if isinstance(raw.get("id"), int) else next(self._transfer_ids)
            self.transfers[transfer_id] = {"id": transfer_id, "shopId": shop_id, "raw": {"id": transfer_id, **raw},
                                           "createdAt": raw.get("createdAt", iso(self.clock.time()))}
        return transfer_id

    def seed_pending_orders(self, count, *, gtins=None):
        """Deterministic pending orders, one shop after the other; GTINs drawn from `gtins` when given."""
        ids = []
        for n in range(count):
            shop_id = self.shop_ids[n % len(self.shop_ids)]
            ids.append(self.add_pending_order(shop_id, seeding.positions_for(self.rng, gtins)))
        return ids

    # --- Order API operations (called by the app) ---------------------------------------------
    def transfer_decide(self, shop_id, transfer_id, body):
        accepted, declined = decisions_parse(body)
        with self.lock:
            transfer = self.transfer_find(shop_id, transfer_id)
            if transfer.get("positions") is None:
                raise ApiProblem(422, f"transfer {transfer_id} cannot be processed")
            positions_check(transfer, accepted, "accepted")
            positions_check(transfer, declined, "declined")
            newly_accepted = positions_decide(transfer, accepted, "accepted")
            newly_declined = positions_decide(transfer, declined, "declined")
            if accepted and transfer["orderId"] is None:
                transfer["orderId"] = self._order_create(transfer)
            if newly_accepted:
                order = self.orders[transfer["orderId"]]
                order["positionIds"] = sorted(set(order["positionIds"]) | set(newly_accepted))
            self._act("accept", shop_id, transfer_id, newly_accepted, order_id=transfer["orderId"])
            self._act("decline", shop_id, transfer_id, newly_declined)
            return transfer["orderId"]

    def order_update(self, shop_id, order_id, body):
        """Tracking (and late declines) on an accepted order."""
        if not isinstance(body, dict):
            raise ApiProblem(400, "body must be a JSON object")
        with self.lock:
            order = self.orders.get(order_id)
            if order is None or order["shopId"] != shop_id:
                raise ApiProblem(404, f"order {order_id} not found in shop {shop_id}")
            transfer = self.transfers[order["parentOrder"]["id"]]
            by_id = {p["id"]: p for p in transfer["positions"] if p["id"] in order["positionIds"]}
            accepted, declined = decisions_parse(body)
            for entry in body.get("acceptedPositions") or []:
                self._tracking_set(order_id, by_id, entry)
            for position_id in declined:
                if position_id not in by_id:
                    raise ApiProblem(404, f"position {position_id} is not in order {order_id}")
                by_id[position_id]["status"] = "declined"
            self._act("decline", shop_id, transfer["id"], declined, order_id=order_id)
            return order_id

    def _tracking_set(self, order_id, by_id, entry):
        position = by_id.get(entry["id"])
        if position is None or position["status"] != "accepted":
            raise ApiProblem(409, f"position {entry['id']} is not an accepted position of order {order_id}")
        provider = entry.get("shippingProviderId")
        if provider is not None and provider not in {p["id"] for p in self.shipping_providers}:
            raise ApiProblem(400, f"unknown shippingProviderId {provider}")
        if "trackAndTrace" in entry:
            position["trackAndTrace"] = entry["trackAndTrace"]
            position["shippingProviderId"] = provider
            self.actions.append({"action": "tracking", "order_id": order_id, "position_id": position["id"],
                                 "trackAndTrace": entry["trackAndTrace"], "shippingProviderId": provider})

    def _order_create(self, transfer):
        order_id = next(self._order_ids)
        self.orders[order_id] = {
            "id": order_id, "shopId": transfer["shopId"], "status": "accepted",
            "createdAt": iso(self.clock.time()), "currency": transfer["currency"],
            "parentOrder": {"id": transfer["id"], "createdAt": transfer["createdAt"]}, "positionIds": [],
        }
        return order_id

    def transfer_find(self, shop_id, transfer_id):
        transfer = self.transfers.get(transfer_id)
        if transfer is None or transfer["shopId"] != shop_id:
            raise ApiProblem(404, f"transfer {transfer_id} not found in shop {shop_id}")
        return transfer

    def _act(self, action, shop_id, transfer_id, position_ids, order_id=None):
        if position_ids:
            self.actions.append({"action": action, "shop_id": shop_id, "transfer_id": transfer_id,
                                 "position_ids": list(position_ids), "order_id": order_id})

    # --- control: what the connector did ----------------------------------------------------------
    def positions_by_status(self, transfer_id):
        result = {"pending": [], "accepted": [], "declined": []}
        for p in self.transfers[transfer_id].get("positions") or []:
            result[p["status"]].append(p["id"])
        return result

    def tracking_of(self, transfer_id):
        return {p["id"]: p["trackAndTrace"] for p in self.transfers[transfer_id].get("positions") or []
                if p["trackAndTrace"]}

    # --- faults ---------------------------------------------------------------------------------
    def inject_fault(self, kind, method=None, path_contains=None, times=1):
        self.faults.inject(kind, method=method, path_contains=path_contains, times=times)
