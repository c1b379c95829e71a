"""SellercloudSandbox: one in-memory Sellercloud account (a company, warehouses incl. a returns warehouse,
products with per-warehouse stock, orders) behind the REST API of channels-deep.md §2.4/§2.6.

    sb = SellercloudSandbox(clock=FakeClock(), seed=1)
    sb.username, sb.password, sb.company_id                   # the demo employee and company
    sb.product_add("SKU-1", name="Tee", upc="712345678901", price="19.99", cost="7.50", lightspeed=True)
    sb.stock_set("SKU-1", sb.warehouse_ids["Main"], 12)
    sb.orders                                                 # what clients created
    sb.inject_fault("500", method="POST", path_contains="/api/Orders")
"""
import hashlib
import itertools
import secrets
import threading
from decimal import Decimal

from connector.clock import system_clock
from connector.sandbox_kit import FaultInjector, SandboxTransport
from connector.sandbox_server import LoopbackFaults

from .wire import ApiProblem

FAULT_KINDS = ("500", "502", "503", "504", "429", "401", "timeout", "drop_after_commit")
RATE_LIMIT_PER_HOUR = 10_800
WAREHOUSES = (("Main Warehouse", 0, True, True), ("Store Backroom", 0, False, True), ("Returns", 0, False, False))
UNKNOWN_SKU = "UNKNOWN"


class SellercloudSandbox:
    def __init__(self, *, clock=None, seed=1, token_ttl=3600, rate_limit=RATE_LIMIT_PER_HOUR, orders_page_cap=50,
                 products=0, lightspeed_seed=None, lightspeed_items=200, timeout_seconds=60.0):
        self.clock = clock or system_clock
        self.lock = threading.RLock()
        self.seed = seed
        self.username = f"lightspeed{seed}@sandbox.sellercloud"
        self.password = "sc-" + hashlib.sha256(f"sellercloud-sandbox-{seed}".encode()).hexdigest()[:24]
        self.company_id = 160 + seed
        self.team = f"sandbox{seed}"
        self.companies = {self.company_id: {"CompanyName": "Sandbox Retail", "IsDefaultCompany": True,
                                            "IsDisabled": False, "EnabledOnChannels": [0, 6],
                                            "Address": {"Business": "Sandbox Retail", "Address": "1 Main St",
                                                        "City": "Brooklyn", "State": "NY", "ZipCode": "11201",
                                                        "Country": "US", "Phone": "+1 718 555 0100"}},
                          self.company_id + 1: {"CompanyName": "Other Company", "IsDefaultCompany": False,
                                                "IsDisabled": False, "EnabledOnChannels": [6], "Address": {}}}
        self.warehouses = {}
        for n, (name, kind, default, sellable) in enumerate(WAREHOUSES, 1):
            self.warehouses[n] = {"ID": n, "Name": name, "WarehouseType": kind, "IsDefault": default,
                                  "IsSellAble": sellable, "CreatedOn": self.clock.time()}
        self.warehouse_ids = {w["Name"].split()[0]: w["ID"] for w in self.warehouses.values()}
        self.token_ttl = token_ttl
        self.rate_limit = rate_limit
        self.orders_page_cap = orders_page_cap
        self.tokens = {}  # token -> expires_at
        self.windows = {}  # client ip -> [window start, requests]
        self.products = {}  # sku -> product dict
        self.stock = {}  # (sku, warehouse id) -> physical qty
        self.adjustments = []  # every stock write, in order
        self.orders = {}
        self._order_ids = itertools.count(5_000_001)
        self._item_ids = itertools.count(9_000_001)
        self._payment_ids = itertools.count(700_001)
        self.request_log = []
        self.faults = FaultInjector(FAULT_KINDS)
        self.timeout_seconds = timeout_seconds
        self.product_add(UNKNOWN_SKU, name="Unknown Lightspeed item", price="0", cost="0")
        if lightspeed_seed is not None:
            self.seed_from_lightspeed(lightspeed_seed, lightspeed_items, products or 30)
        elif products:
            for n in range(1, products + 1):
                self.product_add(f"SC-{n:05d}", name=f"Sandbox product {n}", upc=f"8{n:011d}",
                                 price=f"{10 + n % 50}.99", cost=f"{4 + n % 20}.25", lightspeed=True)

    # --- WSGI, transport ---------------------------------------------------------------------
    @property
    def wsgi_app(self):
        from .app import SandboxApp
        from .control import SellercloudControl

        if not hasattr(self, "_app"):
            self.control = SellercloudControl(self)
            self._app = LoopbackFaults(SandboxApp(self), self.faults, hold_seconds=self.timeout_seconds,
                                       on_fault=self.log_network_fault)
        return self._app

    def transport(self):
        return SandboxTransport(self.wsgi_app, self.faults, on_fault=self.log_network_fault)

    def log_network_fault(self, method, path, query, kind, status):
        self.request_log.append({"method": method, "path": path, "query": query, "status": status, "fault": kind})

    def inject_fault(self, kind, method=None, path_contains=None, times=1):
        self.faults.inject(kind, method=method, path_contains=path_contains, times=times)

    # --- auth and limits ---------------------------------------------------------------------
    def token_issue(self, username, password):
        if username is None or password is None:
            raise ApiProblem(400, "The request is invalid.", {
                "model.Username" if username is None else "model.Password": ["The field is required."]})
        if username.lower() != self.username.lower() or password != self.password:
            raise ApiProblem(400, "Sorry, invalid username or password")
        token = "eyJ" + secrets.token_urlsafe(48)
        now = self.clock.time()
        with self.lock:
            self.tokens[token] = now + self.token_ttl
        return token, now

    def token_valid(self, token):
        expires = self.tokens.get(token)
        return expires is not None and self.clock.time() < expires

    def tokens_expire(self):
        """Control (and the `401` fault): every issued token stops working now."""
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = self.clock.time()

    def rate_check(self, client):
        """10,800 requests an hour per client IP; None, or the window's reset time when over."""
        now = self.clock.time()
        with self.lock:
            window = self.windows.get(client)
            if window is None or now >= window[0] + 3600:
                window = self.windows[client] = [now, 0]
            window[1] += 1
            return window[0] + 3600 if window[1] > self.rate_limit else None

    # --- catalog and stock ---------------------------------------------------------------------
    def product_add(self, sku, *, name, upc="", ean="", manufacturer_sku="", price="0", cost="0", lightspeed=False,
                    active=True, company_id=None):
        if not sku:
            raise ValueError("a product needs a SKU")
        now = self.clock.time()
        with self.lock:
            self.products[sku] = {"ID": sku, "ProductName": name, "UPC": upc, "EAN": ean,
                                  "ManufacturerSKU": manufacturer_sku, "SitePrice": Decimal(str(price)),
                                  "SiteCost": Decimal(str(cost)), "LightspeedPOSEnabled": bool(lightspeed),
                                  "IsActive": active, "CompanyID": company_id or self.company_id,
                                  "DateCreated": now, "LastModifiedDate": now, "CustomColumns": {}}
        return self.products[sku]

    def product_get(self, sku):
        product = self.products.get(sku)
        if product is None:
            raise ApiProblem(404, f"Product '{sku}' was not found.")
        return product

    def product_update(self, sku, **fields):
        with self.lock:
            product = self.product_get(sku)
            for key, value in fields.items():
                product[key] = Decimal(str(value)) if key in ("SitePrice", "SiteCost") else value
            product["LastModifiedDate"] = self.clock.time()
        return product

    def warehouse_get(self, warehouse_id):
        if warehouse_id not in self.warehouses:
            raise ApiProblem(404, f"Warehouse {warehouse_id} was not found.")
        return self.warehouses[warehouse_id]

    def stock_set(self, sku, warehouse_id, qty, *, reason="set"):
        with self.lock:
            self.product_get(sku)
            self.warehouse_get(warehouse_id)
            before = self.stock.get((sku, warehouse_id), 0)
            self.stock[(sku, warehouse_id)] = int(qty)
            self.products[sku]["LastModifiedDate"] = self.clock.time()
            self.adjustments.append({"sku": sku, "warehouse_id": warehouse_id, "before": before, "after": int(qty),
                                     "reason": reason})

    def stock_adjust(self, sku, warehouse_id, qty, add, reason):
        current = self.stock.get((sku, warehouse_id), 0)
        self.stock_set(sku, warehouse_id, current + qty if add else current - qty, reason=reason)

    def physical(self, sku, warehouse_ids=None):
        ids = warehouse_ids or self.warehouses
        return sum(self.stock.get((sku, w), 0) for w in ids)

    def seed_from_lightspeed(self, seed, items, count):
        """Products sharing UPCs/EANs with the Lightspeed sandbox's catalog, so the demo links them."""
        from lightspeed.sandbox import LightspeedSandbox

        catalog = [i for i in LightspeedSandbox(items=items, seed=seed).state.items.values()
                   if (i.upc or i.ean) and not i.archived][:count]
        for n, item in enumerate(catalog, 1):
            sku = f"SC-{n:05d}"
            self.product_add(sku, name=item.description, upc=item.upc, ean=item.ean,
                             price=f"{item.prices[0] / 100:.2f}", cost=f"{item.default_cost / 100:.2f}",
                             lightspeed=True)
            self.stock[(sku, 1)], self.stock[(sku, 2)] = 5 + n % 7, n % 4
        self.product_add("SC-NEW-1", name="Sellercloud-only product", upc="899999000017", price="24.00",
                         cost="9.00", lightspeed=True)
        self.stock[("SC-NEW-1", 1)] = 3

    # --- orders ---------------------------------------------------------------------------------
    def order_create(self, body):
        from .orders import order_from_body

        with self.lock:
            order_id = next(self._order_ids)
            self.orders[order_id] = order_from_body(self, order_id, body, item_ids=self._item_ids)
        return order_id

    def order_get(self, order_id):
        order = self.orders.get(order_id)
        if order is None:
            raise ApiProblem(404, f"Order {order_id} was not found.")
        return order

    def payment_receive(self, order_id, method, amount, notes, reference):
        from .orders import payment_status

        with self.lock:
            order = self.order_get(order_id)
            order["Payments"].append({"ID": next(self._payment_ids), "TransactionReferenceNumber": reference or "",
                                      "PaidAmount": amount, "PaymentDate": self.clock.time(), "PaymentType": 2,
                                      "PaymentMethod": method, "PaymentStatus": 0, "Notes": notes or ""})
            order["PaymentStatus"] = payment_status(order)
            order["LastUpdated"] = self.clock.time()
