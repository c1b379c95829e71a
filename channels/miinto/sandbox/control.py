"""The sandbox's control surface under /sandbox/ (unsigned; the demo, tests and people use it), on
connector.sandbox_kit.ControlSurface: JSON for scripts, an HTML page for a browser.

GET  /sandbox/                  demo channel (identifier, secret, shop ids) and counts
POST /sandbox/orders            {"shop_id", "positions": [{"gtin", "quantity", "price"}], "customer": {...}}
                                (the page's form sends one position as gtin, quantity, price fields)
POST /sandbox/transfers/raw     {"shop_id", "transfer": {...}}   a transfer body exactly as given
GET  /sandbox/transfers         every transfer with its positions' statuses and tracking
GET  /sandbox/orders            every accepted order
GET  /sandbox/actions           what clients did: accept / decline / tracking, in order
POST /sandbox/faults            {"kind", "method", "path_contains", "times"}   (DELETE clears; GET /sandbox/requests)
POST /sandbox/channels/expire   every open channel expires now
"""
from connector.sandbox_kit.control import ControlSurface, route
from connector.sandbox_kit.page import Field, Form, Table

from .store import order_view, transfer_status, transfer_view


class MiintoControl(ControlSurface):
    title = "Miinto sandbox"

    def __init__(self, sb):
        super().__init__(sb.faults, sb.request_log)
        self.sb = sb

    @route("GET", "/?")
    def summary(self, fields):
        sb = self.sb
        return {"identifier": sb.identifier, "secret": sb.secret, "shop_ids": sb.shop_ids,
                "shops": sb.shop_countries, "transfers": len(sb.transfers), "orders": len(sb.orders),
                "actions": len(sb.actions), "faults": sb.faults.describe()}

    @route("POST", "/orders")
    def add_order(self, fields):
        positions = fields.get("positions") or _form_position(fields)
        transfer_id = self.sb.add_pending_order(fields.get("shop_id") or self.sb.shop_ids[0], positions,
                                                fields.get("customer") or _form_customer(fields),
                                                shipping_type=fields.get("shipping_type") or "home")
        return {"transfer_id": transfer_id}, 201

    @route("POST", "/transfers/raw")
    def add_raw_transfer(self, fields):
        transfer_id = self.sb.add_raw_transfer(fields.get("shop_id") or self.sb.shop_ids[0],
                                               fields.get("transfer") or {})
        return {"transfer_id": transfer_id}, 201

    @route("GET", "/transfers")
    def transfers(self, fields):
        return [{"shop_id": t["shopId"], **transfer_view(t)} for t in self.sb.transfers.values()]

    @route("GET", "/orders")
    def orders(self, fields):
        return [order_view(o, self.sb.transfers[o["parentOrder"]["id"]]) for o in self.sb.orders.values()]

    @route("GET", "/actions")
    def actions(self, fields):
        return self.sb.actions

    @route("POST", "/channels/expire")
    def expire_channels(self, fields):
        self.sb.channels_expire()
        return {"expired": len(self.sb.channels)}

    # The page.
    def page_facts(self):
        sb = self.sb
        return [("Identifier", sb.identifier), ("Secret", sb.secret),
                *((f"Shop {country}", shop_id) for shop_id, country in sb.shop_countries.items()),
                ("Transfers", len(sb.transfers)), ("Orders", len(sb.orders)),
                ("JSON", "the same paths with Accept: application/json")]

    def page_forms(self):
        shops = [(shop_id, f"{country} {shop_id}") for shop_id, country in self.sb.shop_countries.items()]
        return [
            Form("Add an order", "/sandbox/orders", [
                Field("shop_id", "Shop", options=shops), Field("gtin", "EAN / GTIN of a Lightspeed item",
                                                                   (self.sb.gtins or [""])[0]),
                Field("quantity", "Quantity", "1"), Field("price", "Unit price in minor units (cents)", "49900"),
                Field("name", "Customer name", "Jane Doe"), Field("email", "Customer email", "jane@example.com")],
                 "Add pending order", "A new pending transfer; the connector imports it on its next run."),
            Form("Expire channels", "/sandbox/channels/expire", [], "Expire",
                 "Every open channel token expires now: clients must log in again."),
        ]

    def page_tables(self):
        rows = [[t["id"], t["shopId"], transfer_status(t), len(t.get("positions") or []), t["createdAt"]]
                for t in list(self.sb.transfers.values())[-15:][::-1]]
        actions = [[a["action"], a.get("transfer_id", ""), a.get("order_id") or "",
                    a.get("position_ids") or a.get("trackAndTrace", "")] for a in self.sb.actions[-15:][::-1]]
        return [Table("Transfers (newest first)", ["id", "shop", "status", "positions", "createdAt"], rows),
                Table("What the connector did (newest first)", ["action", "transfer", "order", "positions / T&T"],
                      actions, "nothing yet")]


def _form_position(fields):
    if not fields.get("gtin"):
        raise ValueError("an order needs positions (or a gtin)")
    return [{"gtin": fields["gtin"], "quantity": int(fields.get("quantity") or 1),
             "price": int(fields.get("price") or 0)}]


def _form_customer(fields):
    if not fields.get("name"):
        return None
    return {"name": fields["name"], "email": fields.get("email") or ""}
