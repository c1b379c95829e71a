"""The sandbox's control surface under /sandbox/ (on connector.sandbox_kit.ControlSurface): JSON for
scripts and tests, an HTML page for a browser.

GET  /sandbox/                   the merchant (merchant, url_key, FTP account) and counts
POST /sandbox/orders             {"kind": paid|unpaid|partly_fulfilled|fulfilled|unknown_item|offline_payment,
                                  "items": [{"gtin1", "gtin2", "mpn", "quantity", "unit_price"}], "shipping",
                                  "tax", "method", "email"}   (every field optional)
POST /sandbox/orders/raw         {"xml": "<WebOrder>…</WebOrder>"}   listed as given (malformed input)
GET  /sandbox/orders             every order with its status, confirmed flag and payments
POST /sandbox/orders/<id>/fulfil | /capture     fulfil every item | capture the balance due
GET  /sandbox/actions            what clients did: confirm / status, in order
GET  /sandbox/uploads            the last inventory file per location: rows, mapping states, missing SKUs
POST /sandbox/mappings/accept    map every pending row (the merchant's "Map" checkbox)
POST /sandbox/faults             {"kind", "method", "path_contains", "times"}   (DELETE clears; GET /sandbox/requests)
"""
from decimal import Decimal

from connector.sandbox_kit.control import ControlSurface, route
from connector.sandbox_kit.page import Field, Form, Table

KINDS = ("paid", "unpaid", "partly_fulfilled", "fulfilled", "unknown_item", "offline_payment")


class SmartEtailingControl(ControlSurface):
    title = "SmartEtailing sandbox"

    def __init__(self, sb):
        super().__init__(sb.faults, sb.request_log)
        self.sb = sb

    @route("GET", "/?")
    def summary(self, fields):
        sb = self.sb
        return {"merchant": sb.merchant, "url_key": sb.url_key, "ftp_user": sb.ftp_user,
                "ftp_password": sb.ftp_password, "ftp_port": sb.ftp.port if sb.ftp else None,
                "locations": sb.locations, "orders": len(sb.orders), "open_orders": len(sb.orders_open()),
                "actions": len(sb.actions), "faults": sb.faults.describe()}

    @route("POST", "/orders")
    def add_order(self, fields):
        order_id = self.sb.add_order(**order_kwargs(self.sb, fields))
        return {"order_id": order_id}, 201

    @route("POST", "/orders/raw")
    def add_raw_order(self, fields):
        return {"order_id": self.sb.add_raw_order(fields["xml"], fields.get("order_id") or None)}, 201

    @route("GET", "/orders")
    def orders(self, fields):
        return [order_view(o) for o in self.sb.orders.values()]

    @route("POST", r"/orders/(?P<order_id>[\w-]+)/fulfil")
    def fulfil(self, fields, order_id):
        self.sb.order_fulfil(order_id)
        return order_view(self.sb.orders[order_id])

    @route("POST", r"/orders/(?P<order_id>[\w-]+)/capture")
    def capture(self, fields, order_id):
        self.sb.order_capture(order_id, fields.get("amount") or None)
        return order_view(self.sb.orders[order_id])

    @route("GET", "/actions")
    def actions(self, fields):
        return self.sb.actions

    @route("GET", "/uploads")
    def uploads(self, fields):
        return {"last": self.sb.uploads.last, "received": self.sb.uploads.received}

    @route("POST", "/mappings/accept")
    def accept_mappings(self, fields):
        return {"mapped": self.sb.uploads.accept_pending()}

    # The page.
    def page_facts(self):
        sb = self.sb
        return [("merchant", sb.merchant), ("URLkey", sb.url_key), ("FTP account", sb.ftp_user),
                ("FTP password", sb.ftp_password), ("FTP port", sb.ftp.port if sb.ftp else "not started"),
                ("Locations", ", ".join(sb.locations)),
                ("Orders (open)", f"{len(sb.orders)} ({len(sb.orders_open())})"),
                ("Order service", "/webservices/xml/feeds.cfc?method=Orders&ver=2.00&merchant=…&URLkey=…")]

    def page_forms(self):
        first = (self.sb.catalog or [{}])[0]
        return [
            Form("Add an order", "/sandbox/orders", [
                Field("kind", "Kind", "paid", options=list(KINDS)),
                Field("gtin1", "UPC (Gtin1) of an item", first.get("gtin1", "")),
                Field("gtin2", "EAN (Gtin2)", first.get("gtin2", "")), Field("quantity", "Quantity", "1"),
                Field("unit_price", "Unit price", first.get("price", "10.00")), Field("shipping", "Shipping", "5.00"),
                Field("method", "Payment method", "Stripe"), Field("email", "Customer email", "")],
                 "Add order", "A new web order, listed by method=Orders until the connector confirms it."),
            Form("Map pending items", "/sandbox/mappings/accept", [], "Map all pending",
                 "Tick Map on every pending GTIN/MPN match of the uploaded files."),
        ]

    def page_tables(self):
        orders = [[o["order_id"], o.get("status"), "yes" if o["confirmed"] else "no",
                   o.get("totals", {}).get("Total", "raw"), " + ".join(p["amount"] for p in o.get("payments", []))]
                  for o in list(self.sb.orders.values())[-15:][::-1]]
        uploads = [[loc, u["file"], len(u["rows"]), _state_counts(u["states"]), len(u["missing_skus"])]
                   for loc, u in self.sb.uploads.last.items()]
        actions = [[a["action"], a["order_id"], a.get("status", "")] for a in self.sb.actions[-15:][::-1]]
        return [Table("Orders (newest first)", ["OrderId", "status", "confirmed", "total", "captured"], orders),
                Table("Last inventory file per location", ["location", "file", "rows", "states", "missing SKUs"],
                      uploads),
                Table("What the connector did (newest first)", ["action", "order", "status"], actions)]


def _state_counts(states):
    counts = {}
    for state in states.values():
        counts[state] = counts.get(state, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def order_view(order):
    keys = ("order_id", "status", "confirmed", "totals", "payments", "items")
    return {k: order.get(k) for k in keys if k in order}


def order_kwargs(sb, fields):
    kind = fields.get("kind") or "paid"
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    items = fields.get("items")
    if items is None and (fields.get("gtin1") or fields.get("gtin2")):
        items = [{k: fields[k] for k in ("gtin1", "gtin2", "mpn", "quantity", "unit_price") if fields.get(k)}]
    if kind == "unknown_item":
        items = (items or []) + [{"gtin1": "000000000000", "description": "An item the POS does not have",
                                  "unit_price": "12.00"}]
    kwargs = {"items": items, "shipping": fields.get("shipping") or "0.00", "tax": fields.get("tax") or "0.00",
              "method": fields.get("method") or "Stripe", "paid": kind != "unpaid"}
    if fields.get("email"):
        kwargs["customer"] = {"first": "Web", "last": "Customer", "full": "Web Customer", "email": fields["email"]}
    if kind == "partly_fulfilled":
        kwargs["fulfilled"] = [False] + [True] * 10
    if kind == "fulfilled":
        kwargs["fulfilled"] = True
    if kind == "offline_payment":
        kwargs["offline"] = Decimal(fields.get("offline") or "5.00")
    return kwargs
