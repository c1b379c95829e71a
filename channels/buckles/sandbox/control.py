"""The sandbox's control surface under /sandbox/ (no token; the demo, tests and people use it), on
connector.sandbox_kit.ControlSurface: JSON for scripts, an HTML page for a browser.

GET  /sandbox/                    credentials (token, webhook_secret), webhook URL, counts
POST /sandbox/webhook             {"url"}                    where events are delivered
POST /sandbox/events/stock        {"sku", "quantity", "location", "mode"}
POST /sandbox/events/shipment     {"external_id", "source", "track_trace_no", "carrier", "mode"}
POST /sandbox/events/customer     {"email", "first_name", "last_name", "phone", "external_id", "mode"}
POST /sandbox/events/redeliver    {"id", "mode"}             the same event (same delivery id) again
POST /sandbox/events/release      deliver the held events (mode "hold"), newest first: out of order
POST /sandbox/products            {"sku", "barcode", "title"}   a product from another connection
GET  /sandbox/orders | products | stock | customers | checkouts | shipments | deliveries | writes | events
POST /sandbox/faults              {"kind", "method", "path_contains", "times"}   (DELETE clears)

`mode` of a delivery: normal, duplicate (sent twice), bad_signature, stale (timestamp an hour old), hold (kept
for /events/release), none (only in the events feed: the polling fallback must find it).
"""
from connector.sandbox_kit.control import ControlSurface, route
from connector.sandbox_kit.page import Field, Form, Table

from .core import DELIVERY_MODES


def _mode(fields):
    return fields.get("mode") or "normal"


def _int(value):
    return int(str(value).strip())


class BucklesControl(ControlSurface):
    title = "Buckles sandbox (provisional contract)"

    def __init__(self, sb):
        super().__init__(sb.faults, sb.request_log)
        self.sb = sb

    @route("GET", "/?")
    def summary(self, fields):
        sb = self.sb
        return {"account": sb.account, "token": sb.token, "webhook_secret": sb.webhook_secret,
                "webhook_url": sb.webhook_url, "orders": len(sb.orders), "products": len(sb.products),
                "customers": len(sb.customers), "events": len(sb.events), "deliveries": len(sb.deliveries),
                "faults": sb.faults.describe()}

    @route("POST", "/webhook")
    def set_webhook(self, fields):
        self.sb.webhook_url = fields["url"]
        return {"url": self.sb.webhook_url}

    @route("POST", "/events/stock")
    def emit_stock(self, fields):
        data = {"sku": fields["sku"], "quantity": _int(fields["quantity"]), "location": fields.get("location") or None,
                "mutation_id": self.sb.next_id("mut")}
        return self.sb.emit("stock.changed", data, mode=_mode(fields)), 201

    @route("POST", "/events/shipment")
    def emit_shipment(self, fields):
        data = {"order": {"source": fields.get("source") or "lightspeed", "external_id": str(fields["external_id"])},
                "shipment_id": self.sb.next_id("shp"), "carrier": fields.get("carrier") or "PostNL",
                "method": fields.get("method") or "standard", "track_trace_no": fields["track_trace_no"],
                "track_trace_url": fields.get("track_trace_url") or None, "shipped_at": None}
        kind = "shipment.updated" if fields.get("updated") else "shipment.created"
        return self.sb.emit(kind, data, mode=_mode(fields)), 201

    @route("POST", "/events/customer")
    def emit_customer(self, fields):
        data = {k: fields.get(k) or None for k in ("external_id", "email", "first_name", "last_name", "phone")}
        return self.sb.emit("customer.updated", data, mode=_mode(fields)), 201

    @route("POST", "/events/redeliver")
    def redeliver(self, fields):
        return {"status": self.sb.redeliver(fields["id"], mode=_mode(fields))}

    @route("POST", "/events/release")
    def release_held(self, fields):
        return {"statuses": self.sb.release_held()}

    @route("POST", "/products")
    def add_product(self, fields):
        return self.sb.product_add(sku=fields["sku"], barcode=fields.get("barcode") or None,
                                   title=fields.get("title") or fields["sku"]), 201

    @route("GET", "/orders")
    def orders(self, fields):
        return list(self.sb.orders.values())

    @route("GET", "/products")
    def products(self, fields):
        return list(self.sb.products.values())

    @route("GET", "/stock")
    def stock(self, fields):
        return [{"sku": sku, "location": location, "quantity": q} for (sku, location), q in self.sb.stock.items()]

    @route("GET", "/customers")
    def customers(self, fields):
        return list(self.sb.customers.values())

    @route("GET", "/checkouts")
    def checkouts(self, fields):
        return list(self.sb.checkouts.values())

    @route("GET", "/shipments")
    def shipments(self, fields):
        return self.sb.shipments

    @route("GET", "/deliveries")
    def deliveries(self, fields):
        return self.sb.deliveries

    @route("GET", "/events")
    def events(self, fields):
        return self.sb.events

    @route("GET", "/writes")
    def writes(self, fields):
        return [{"method": m, "path": p} for m, p in self.sb.writes]

    # --- the page ------------------------------------------------------------------------------------
    def page_facts(self):
        sb = self.sb
        return [("contract", "PROVISIONAL (docs/buckles.md): Buckles publishes no API"), ("account", sb.account),
                ("token", sb.token), ("webhook_secret", sb.webhook_secret),
                ("webhook_url", sb.webhook_url or "not set"), ("orders", len(sb.orders)),
                ("products", len(sb.products)), ("events", len(sb.events))]

    def page_forms(self):
        modes = list(DELIVERY_MODES)
        return [
            Form("Webhook URL", "/sandbox/webhook", [Field("url", "Connector endpoint", self.sb.webhook_url)], "Set"),
            Form("Emit stock.changed", "/sandbox/events/stock", [
                Field("sku", "SKU"), Field("quantity", "Quantity (absolute)", "5"), Field("location", "Location"),
                Field("mode", "Delivery", "normal", modes)], "Emit"),
            Form("Emit shipment.created", "/sandbox/events/shipment", [
                Field("external_id", "Lightspeed sale id"), Field("track_trace_no", "Track & Trace"),
                Field("carrier", "Carrier", "PostNL"), Field("mode", "Delivery", "normal", modes)], "Emit"),
            Form("Emit customer.updated", "/sandbox/events/customer", [
                Field("email", "Email"), Field("first_name", "First name"), Field("last_name", "Last name"),
                Field("phone", "Phone"), Field("mode", "Delivery", "normal", modes)], "Emit"),
            Form("Deliver held events (newest first)", "/sandbox/events/release", [], "Release",
                 f"{len(self.sb.held)} held"),
            Form("Redeliver an event", "/sandbox/events/redeliver", [
                Field("id", "Event id"), Field("mode", "Delivery", "normal", modes)], "Redeliver"),
            Form("Product from another connection", "/sandbox/products", [
                Field("sku", "SKU"), Field("barcode", "Barcode"), Field("title", "Title")], "Add"),
        ]

    def page_tables(self):
        sb = self.sb
        return [
            Table("Orders the connector sent", ["source", "external_id", "status", "payment", "version", "total"],
                  [[o["source"], o["external_id"], o.get("status"), o.get("payment_status"), o["version"],
                    (o.get("totals") or {}).get("total")] for o in sb.orders.values()]),
            Table("Deliveries (newest first)", ["id", "type", "mode", "status"],
                  [[d["id"], d["type"], d["mode"], d["status"]] for d in reversed(sb.deliveries[-25:])]),
            Table("Stock", ["sku", "location", "quantity"],
                  [[sku, loc or "default", q] for (sku, loc), q in sb.stock.items()]),
            Table("Writes (newest first)", ["method", "path"], [list(w) for w in reversed(sb.writes[-25:])]),
        ]
