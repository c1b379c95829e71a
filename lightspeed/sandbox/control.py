"""HTTP control surface under /sandbox/ (demo, browser tests, scripts): JSON, and an HTML page for people
(connector.sandbox_kit.ControlSurface). Never part of the real API."""
import html
import json

from connector.sandbox_kit.control import ControlSurface, route
from connector.sandbox_kit.page import Field, Form, Table


class LightspeedControl(ControlSurface):
    title = "Lightspeed R-Series sandbox"

    def __init__(self, sb):
        super().__init__(sb.faults, sb.request_log)
        self.sb = sb

    @route("GET", "/?")
    def status(self, fields):
        sb = self.sb
        return {"account_id": sb.account_id, "client_id": sb.client_id, "redirect_uri": sb.redirect_uri,
                "items": len(sb.state.items), "shops": len(sb.state.shops), "registers": len(sb.state.registers),
                "sales": len(sb.state.sales), "customers": len(sb.state.customers), "time_scale": sb.time_scale,
                "now": sb.now(), "faults": sb.faults.describe()}

    @route("POST", "/oauth/code")
    def oauth_code(self, fields):
        code = self.sb.issue_code(scope=fields.get("scope", "employee:all"),
                                  employee_id=int(fields.get("employee_id", 1)),
                                  client_id=fields.get("client_id") or None,
                                  code_challenge=fields.get("code_challenge"),
                                  code_challenge_method=fields.get("code_challenge_method"))
        return {"code": code, "expires_in": 60}

    @route("POST", "/stock")
    def change_stock(self, fields):
        self.sb.set_stock(int(fields["item_id"]), int(fields["shop_id"]), int(fields["qoh"]))
        return {"ok": True}

    @route("POST", r"/sales/(?P<sale_id>\d+)/complete")
    def complete_sale(self, fields, sale_id):
        payments = fields.get("payments")
        if isinstance(payments, str):
            payments = json.loads(payments) if payments.strip() else None
        rendered = self.sb.complete_sale(sale_id, payments)
        return {"saleID": str(sale_id), "completed": True, "total": str(rendered["total"]),
                "calcPayments": str(rendered["calcPayments"])}

    @route("POST", r"/sales/(?P<sale_id>\d+)/void")
    def void_sale(self, fields, sale_id):
        self.sb.void_sale(sale_id)
        return {"saleID": str(sale_id), "voided": True}

    @route("POST", r"/sales/(?P<sale_id>\d+)/refund")
    def refund_sale(self, fields, sale_id):
        rendered = self.sb.refund_sale(sale_id, int(fields.get("payment_type_id") or 1))
        return {"saleID": str(rendered["saleID"]), "refunds": str(sale_id), "total": str(rendered["total"])}

    @route("POST", "/sales/complete")
    def complete_sale_form(self, fields):
        return self.complete_sale(fields, int(fields["sale_id"]))

    @route("POST", "/sales/void")
    def void_sale_form(self, fields):
        return self.void_sale(fields, int(fields["sale_id"]))

    @route("GET", "/sales")
    def sales(self, fields):
        return {"sales": self.sb.sales()}

    @route("GET", "/customers")
    def customers(self, fields):
        return {"customers": self.sb.customers()}

    @route("POST", "/bucket/reset")
    def reset_bucket(self, fields):
        self.sb.reset_bucket()
        return {"ok": True}

    @route("GET", "/bucket")
    def bucket(self, fields):
        client_id = fields.get("client_id") or self.sb.client_id
        return {"client_id": client_id, "level": self.sb.bucket_level(client_id)}

    # The page.
    def page_facts(self):
        sb = self.sb
        return [("Account", f"{sb.account_id} ({sb.state.account.name})"), ("OAuth client", sb.client_id),
                ("Redirect URI", sb.redirect_uri), ("Catalog", f"{len(sb.state.items)} items, "
                                                              f"{len(sb.state.shops)} shops"),
                ("Sales", len(sb.state.sales)), ("Bucket level", f"{self.sb.bucket_level():.1f}"),
                ("JSON", "the same paths with Accept: application/json")]

    def page_forms(self):
        open_sales = [(s.sale_id, f"{s.sale_id} {s.reference_number or '(no reference)'} {s.total()}")
                      for s in self.sb.state.sales.values() if not (s.completed or s.voided or s.archived)]
        live_sales = [(s.sale_id, f"{s.sale_id} {s.reference_number or '(no reference)'}")
                      for s in self.sb.state.sales.values() if not s.voided]
        shops = [(shop_id, shop.name) for shop_id, shop in self.sb.state.shops.items()]
        return [
            Form("Complete a sale", "/sandbox/sales/complete", [Field("sale_id", "Open sale", options=open_sales or
                                                                       [("", "no open sale")])],
                 "Complete", "Pays the balance in cash, as a shop assistant would at the register."),
            Form("Void a sale", "/sandbox/sales/void", [Field("sale_id", "Sale", options=live_sales or
                                                              [("", "no sale")])], "Void",
                 "A completed sale gives its stock back."),
            Form("Change stock", "/sandbox/stock", [Field("item_id", "Item ID", "1"),
                                                    Field("shop_id", "Shop", options=shops),
                                                    Field("qoh", "Quantity on hand", "10")], "Set stock"),
        ]

    def page_tables(self):
        rows = [[s["saleID"], s["referenceNumber"], s["total"], s["completed"], s["voided"], s["timeStamp"]]
                for s in self.sb.sales()[-15:][::-1]]
        return [Table("Sales (newest first)", ["saleID", "reference", "total", "completed", "voided", "timeStamp"],
                      rows, "no sales yet: the connector creates them from channel orders")]


def index_page(sb):
    e = html.escape
    return (f"<!doctype html><html><head><title>Lightspeed R-Series sandbox</title></head><body>"
            f"<h1>Lightspeed R-Series sandbox</h1><p>Account <b>{sb.account_id}</b>: {len(sb.state.items)} items, "
            f"{len(sb.state.shops)} shops, {len(sb.state.registers)} registers.</p>"
            f"<p>OAuth client <code>{e(sb.client_id)}</code>, redirect URI <code>{e(sb.redirect_uri)}</code></p>"
            f"<ul><li>Authorize: <code>/auth/oauth/authorize</code></li><li>Token: <code>/auth/oauth/token</code>"
            f"</li><li>API: <code>/API/V3/Account.json</code></li><li>Control: <a href=\"/sandbox/\">/sandbox/</a>"
            f"</li></ul></body></html>")
