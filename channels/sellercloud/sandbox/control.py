"""The sandbox's control surface under /sandbox/ (no token; the demo, tests and people use it), on
connector.sandbox_kit.ControlSurface: JSON for scripts, an HTML page for a browser.

GET  /sandbox/                   the demo employee, company, warehouses and counts
POST /sandbox/products           {"sku", "name", "upc", "ean", "price", "cost", "lightspeed"}  add a product
POST /sandbox/stock              {"sku", "warehouse_id", "qty"}   set a product's physical qty in a warehouse
POST /sandbox/prices             {"sku", "price", "cost"}         change a product's price and/or cost
GET  /sandbox/products           every product with its per-warehouse stock
GET  /sandbox/orders             every order created, with items, payments, notes and shipping
GET  /sandbox/adjustments        every stock write, in order
POST /sandbox/tokens/expire      every issued token stops working now
POST /sandbox/faults             {"kind", "method", "path_contains", "times"}   (DELETE clears; GET /sandbox/requests)
"""
from connector.sandbox_kit.control import ControlSurface, route
from connector.sandbox_kit.page import Field, Form, Table

from .orders import grand_total


def _flag(value):
    return str(value).lower() in ("1", "true", "on", "yes")


class SellercloudControl(ControlSurface):
    title = "Sellercloud sandbox"

    def __init__(self, sb):
        super().__init__(sb.faults, sb.request_log)
        self.sb = sb

    @route("GET", "/?")
    def summary(self, fields):
        sb = self.sb
        return {"username": sb.username, "password": sb.password, "company_id": sb.company_id,
                "warehouses": list(sb.warehouses.values()), "products": len(sb.products), "orders": len(sb.orders),
                "token_ttl": sb.token_ttl, "faults": sb.faults.describe()}

    @route("POST", "/products")
    def add_product(self, fields):
        product = self.sb.product_add(fields["sku"], name=fields.get("name") or fields["sku"],
                                      upc=fields.get("upc") or "", ean=fields.get("ean") or "",
                                      manufacturer_sku=fields.get("manufacturer_sku") or "",
                                      price=fields.get("price") or "0", cost=fields.get("cost") or "0",
                                      lightspeed=_flag(fields.get("lightspeed", True)))
        return {"sku": product["ID"]}, 201

    @route("POST", "/stock")
    def set_stock(self, fields):
        self.sb.stock_set(fields["sku"], int(fields["warehouse_id"]), int(fields["qty"]), reason="control")
        return {"sku": fields["sku"], "warehouse_id": int(fields["warehouse_id"]), "qty": int(fields["qty"])}

    @route("POST", "/prices")
    def set_prices(self, fields):
        changes = {key: fields[name] for name, key in (("price", "SitePrice"), ("cost", "SiteCost"))
                   if fields.get(name) not in (None, "")}
        if not changes:
            raise ValueError("give a price or a cost")
        self.sb.product_update(fields["sku"], **changes)
        return {"sku": fields["sku"], **{k: str(v) for k, v in changes.items()}}

    @route("GET", "/products")
    def products(self, fields):
        return [{**{k: (str(v) if k in ("SitePrice", "SiteCost") else v) for k, v in p.items()},
                 "stock": {w: self.sb.stock.get((sku, w), 0) for w in self.sb.warehouses}}
                for sku, p in sorted(self.sb.products.items())]

    @route("GET", "/orders")
    def orders(self, fields):
        return [{**o, "GrandTotal": str(grand_total(o))} for o in self.sb.orders.values()]

    @route("GET", "/adjustments")
    def adjustments(self, fields):
        return self.sb.adjustments

    @route("POST", "/tokens/expire")
    def expire_tokens(self, fields):
        self.sb.tokens_expire()
        return {"expired": len(self.sb.tokens)}

    # The page.
    def page_facts(self):
        sb = self.sb
        return [("username", sb.username), ("password", sb.password), ("company_id", sb.company_id),
                *((f"Warehouse {w['ID']}", w["Name"]) for w in sb.warehouses.values()),
                ("Products", len(sb.products)), ("Orders", len(sb.orders)), ("Token lifetime", f"{sb.token_ttl} s"),
                ("JSON", "the same paths with Accept: application/json")]

    def page_forms(self):
        warehouses = [(w["ID"], w["Name"]) for w in self.sb.warehouses.values()]
        first = next(iter(sorted(self.sb.products)), "")
        return [
            Form("Set stock", "/sandbox/stock", [Field("sku", "SKU", first),
                                                 Field("warehouse_id", "Warehouse", "1", options=warehouses),
                                                 Field("qty", "Physical qty", "10")], "Set stock"),
            Form("Change price / cost", "/sandbox/prices", [Field("sku", "SKU", first), Field("price", "Site price"),
                                                            Field("cost", "Site cost")], "Change"),
            Form("Add a product", "/sandbox/products", [
                Field("sku", "SKU"), Field("name", "Name"), Field("upc", "UPC"), Field("ean", "EAN"),
                Field("price", "Site price", "10.00"), Field("cost", "Site cost", "4.00"),
                Field("lightspeed", "Lightspeed POS enabled", "true", options=["true", "false"])], "Add product"),
            Form("Expire tokens", "/sandbox/tokens/expire", [], "Expire",
                 "Every token stops working: clients must log in again."),
        ]

    def page_tables(self):
        sb = self.sb
        orders = [[o["ID"], o["OrderSourceOrderID"], o["StatusCode"], o["ShippingStatus"], o["PaymentStatus"],
                   len(o["Items"]), str(grand_total(o))] for o in list(sb.orders.values())[-15:][::-1]]
        stock = [[a["sku"], a["warehouse_id"], a["before"], a["after"], a["reason"]]
                 for a in sb.adjustments[-15:][::-1]]
        return [Table("Orders (newest first)", ["ID", "OrderSourceOrderID", "status", "shipping", "payment", "items",
                                                "total"], orders),
                Table("Stock changes (newest first)", ["SKU", "warehouse", "before", "after", "reason"], stock)]
