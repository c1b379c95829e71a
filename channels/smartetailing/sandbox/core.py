"""SmartEtailingSandbox: one merchant's XML order service (feeds.cfc) and POS FTP, in memory.

    sb = SmartEtailingSandbox(clock=FakeClock(), seed=1)
    sb.merchant, sb.url_key, sb.ftp_user, sb.ftp_password     # the demo merchant's credentials
    oid = sb.add_order(items=[{"gtin1": "012345678905", "quantity": 1, "unit_price": "39.99"}])
    sb.orders[oid]["confirmed"], sb.orders[oid]["status"]       # what the connector did
    sb.inject_fault("503", path_contains="feeds.cfc")
    port = sb.ftp_start(0)                                      # a real FTP server on 127.0.0.1
    sb.uploads_last["Newport, KY"]                              # the last file per location, parsed

Orders: `Orders` lists every order not yet confirmed (`UpdateOrder`), paid or not: the connector decides
what is balanced. `UpdateOrder` confirms (idempotent) and then applies the merchant's "status after
export" (default "Being Processed", as Workstand's export settings do).
"""
import hashlib
import itertools
import random
import threading
import time as _time
from decimal import Decimal

from connector.clock import system_clock
from connector.sandbox_kit import FaultInjector
from connector.sandbox_server import LoopbackFaults

from . import seeding
from .uploads import UploadStore

FAULT_KINDS = ("500", "503", "timeout", "drop_after_commit", "drop_update_order", "malformed_xml", "bad_url_key")
CENT = Decimal("0.01")


def money(value):
    return str(Decimal(str(value or 0)).quantize(CENT))


class SmartEtailingSandbox:
    def __init__(self, *, clock=None, seed=1, locations=seeding.LOCATIONS, catalog=None, orders=0,
                 status_after_export="Being Processed", timeout_seconds=60.0):
        self.clock = clock or system_clock
        self.seed = seed
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        self.merchant = str(4400 + seed)
        self.url_key = hashlib.sha256(f"smartetailing-sandbox-urlkey-{seed}".encode()).hexdigest()[:24].upper()
        self.ftp_user = f"{1000 + seed:04d}"
        self.ftp_password = "ftp-" + hashlib.sha256(f"smartetailing-sandbox-ftp-{seed}".encode()).hexdigest()[:16]
        self.locations = list(locations)
        self.status_after_export = status_after_export
        self.catalog = list(catalog or seeding.DEMO_CATALOG)  # the website's items: gtin1, gtin2, mpn, ...
        self.orders = {}  # OrderId -> order (see add_order)
        self.actions = []  # what clients did: confirm / status, in order
        self.request_log = []
        self.faults = FaultInjector(FAULT_KINDS)
        self.timeout_seconds = timeout_seconds
        self.uploads = UploadStore(self.locations, self.catalog)
        self._customer_ids = itertools.count(2658757)
        self._order_seq = itertools.count(526)
        self._site_item_ids = itertools.count(362778)
        self.ftp = None
        for _ in range(orders):
            self.add_order()

    # --- WSGI, transport --------------------------------------------------------------------------
    @property
    def wsgi_app(self):
        from .app import SandboxApp
        from .control import SmartEtailingControl

        if not hasattr(self, "_app"):
            self.control = SmartEtailingControl(self)
            self._app = LoopbackFaults(SandboxApp(self), self.faults, hold_seconds=self.timeout_seconds,
                                       on_fault=self.log_network_fault)
        return self._app

    def transport(self):
        from .app import DroppingTransport

        return DroppingTransport(self.wsgi_app, self.faults, on_fault=self.log_network_fault)

    def log_network_fault(self, method, path, query, kind, status):
        self.request_log.append({"method": method, "path": path, "query": query, "status": status, "fault": kind})

    # --- the POS FTP ------------------------------------------------------------------------------
    def ftp_start(self, port=0, host="127.0.0.1"):
        """Serve the POS FTP on a thread (port 0: any free port); returns the port."""
        from .ftp import FtpServer

        if self.ftp is None:
            self.ftp = FtpServer(self, host=host, port=port)
            self.ftp.start()
        return self.ftp.port

    def ftp_stop(self):
        if self.ftp is not None:
            self.ftp.stop()
            self.ftp = None

    close = ftp_stop

    @property
    def uploads_last(self):
        return self.uploads.last

    # --- orders -----------------------------------------------------------------------------------
    def order_time(self):
        return _time.strftime("%a %b %d %H:%M:%S %Y", _time.gmtime(self.clock.time()))

    def next_order_id(self):
        stamp = _time.strftime("%m%d%y-%H%M%S", _time.gmtime(self.clock.time()))
        return f"{stamp}-{next(self._order_seq)}"

    def add_order(self, *, items=None, customer=None, paid=True, captured=None, offline=None, fulfilled=None,
                  shipping="0.00", tax="0.00", discount="0.00", method="Stripe", status="Received",
                  pickup_location="", order_id=None, bill_to_empty=False):
        """A new web order. `paid`: captured = total (unless `captured` names the amount); `offline`: an extra
        amount captured offline (a second payment, "Manual"); `fulfilled`: True/False for every item, or a
        list per item (None: the feed says nothing about fulfilment)."""
        items = [self._item(spec) for spec in (items or seeding.items_for(self.rng, self.catalog))]
        if fulfilled is not None:
            flags = fulfilled if isinstance(fulfilled, (list, tuple)) else [fulfilled] * len(items)
            for it, flag in zip(items, flags):
                it["fulfilled"] = bool(flag)
        subtotal = sum(Decimal(it["unit_price"]) * int(it["quantity"]) for it in items)
        total = subtotal - Decimal(discount) + Decimal(shipping) + Decimal(tax)
        customer = customer or seeding.customer_for(self.rng)
        offline_amount = Decimal(str(offline or 0))
        if captured is None:
            captured = (total - offline_amount) if paid else Decimal("0")
        payments = [{"method": method, "type": method, "amount": money(captured),
                     "trans_id": f"tx{self.rng.getrandbits(32):08x}"}]
        if offline_amount:
            payments.append({"method": "Manual", "type": "", "amount": money(offline_amount), "expiration": "/"})
        with self.lock:
            order_id = order_id or self.next_order_id()
            when = _time.strftime("%m/%d/%Y %H:%M:%S", _time.gmtime(self.clock.time()))
            self.orders[order_id] = {
                "order_id": order_id, "currency": "USD", "time": self.order_time(),
                "customer_id": next(self._customer_ids), "customer_ip": "",
                "ship_to": seeding.address(customer), "bill_to": {} if bill_to_empty else seeding.address(customer),
                "shipping": {"method": "Ground" if not pickup_location else "Curbside Pickup - FREE",
                             "classification": "In-Store Pickup" if pickup_location else "Ship",
                             "pickup_location": pickup_location},
                "payments": payments, "status": status, "comments": "", "items": items,
                "totals": {"Subtotal": money(subtotal), "Discount": money(discount), "Shipping": money(shipping),
                           "Tax": money(tax), "Total": money(total)},
                "web_comment": f"SmartEtailing Order on {when} by {customer.get('full', '')}, "
                               f"{'Curbside Pickup - FREE' if pickup_location else 'Ground'}",
                "confirmed": False, "raw": None,
            }
        return order_id

    def add_raw_order(self, xml, order_id=None):
        """A `<WebOrder>` exactly as given (to test malformed input); listed until confirmed."""
        with self.lock:
            order_id = order_id or self.next_order_id()
            self.orders[order_id] = {"order_id": order_id, "raw": xml, "confirmed": False, "status": "Received"}
        return order_id

    def _item(self, spec):
        return {"id": spec.get("id") or next(self._site_item_ids), "code": spec.get("code", ""),
                "mpn": spec.get("mpn", ""), "gtin1": spec.get("gtin1", ""), "gtin2": spec.get("gtin2", ""),
                "quantity": spec.get("quantity", 1), "unit_price": money(spec.get("unit_price", "10.00")),
                "weight": spec.get("weight", "1.00"), "description": spec.get("description", "Sandbox item"),
                "category": spec.get("category", "Catalog > Accessories"),
                "url": spec.get("url", "http://www.example-bikes.com/itemdetails.cfm"), "taxable": "Yes",
                "model_year": spec.get("model_year", ""), "options": spec.get("options", []),
                "supplier_fulfilled": "No", **({"fulfilled": spec["fulfilled"]} if "fulfilled" in spec else {})}

    def orders_open(self):
        return [o for o in self.orders.values() if not o["confirmed"]]

    def order_confirm(self, order_id):
        with self.lock:
            order = self.orders[order_id]
            if not order["confirmed"]:
                order["confirmed"] = True
                if self.status_after_export:
                    order["status"] = self.status_after_export
            self.actions.append({"action": "confirm", "order_id": order_id})

    def order_status_set(self, order_id, status):
        with self.lock:
            self.orders[order_id]["status"] = status
            self.actions.append({"action": "status", "order_id": order_id, "status": status})

    def order_fulfil(self, order_id):
        with self.lock:
            for it in self.orders[order_id].get("items") or ():
                it["fulfilled"] = True

    def order_capture(self, order_id, amount=None):
        """Capture the balance (or `amount`) on the order's first payment."""
        with self.lock:
            order = self.orders[order_id]
            paid = sum(Decimal(p["amount"]) for p in order["payments"])
            due = Decimal(order["totals"]["Total"]) - paid
            first = order["payments"][0]
            first["amount"] = money(Decimal(first["amount"]) + (Decimal(str(amount)) if amount is not None else due))

    def inject_fault(self, kind, method=None, path_contains=None, times=1):
        self.faults.inject(kind, method=method, path_contains=path_contains, times=times)
