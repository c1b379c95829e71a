"""Orders in the sandbox: OrderBaseModel validated as the swagger requires, stored, and shown as
MultipleOrderDataDto (lists) and SingleOrderDataDto (one order). Enums are integers on the wire."""
from decimal import Decimal, InvalidOperation

from .wire import ApiProblem, ci, net_time, parse_date

REQUIRED = {"customerdetails": "CustomerDetails", "orderdetails": "OrderDetails",
            "shippingaddress": "ShippingAddress", "billingaddress": "BillingAddress"}
CUSTOMER_REQUIRED = {"email": "Email", "firstname": "FirstName", "lastname": "LastName"}
ADDRESS_KEYS = ("Business", "FirstName", "MiddleName", "LastName", "Country", "City", "State", "Region", "ZipCode",
                "Address", "Address2", "Phone", "Fax")
NO_PAYMENT, CHARGED, PARTIAL = 10, 30, 70


def _invalid(field, message):
    return ApiProblem(400, "The request is invalid.", {f"model.{field}": [message]})


def _money(value, field):
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise _invalid(field, f"The value '{value}' is not valid for {field}.") from None


def _int(value, field, default=0):
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _invalid(field, f"The value '{value}' is not valid for {field}.") from None


def _validate(body):
    if not isinstance(body, dict):
        raise _invalid("model", "The model field is required.")
    b = ci(body)
    errors = {f"model.{name}": [f"The {name} field is required."] for key, name in REQUIRED.items()
              if not isinstance(b.get(key), dict)}
    customer = b.get("customerdetails") if isinstance(b.get("customerdetails"), dict) else {}
    errors.update({f"model.CustomerDetails.{name}": [f"The {name} field is required."]
                   for key, name in CUSTOMER_REQUIRED.items() if "customerdetails" in b and not customer.get(key)})
    details = b.get("orderdetails") if isinstance(b.get("orderdetails"), dict) else {}
    if "orderdetails" in b and details.get("companyid") in (None, "", 0):
        errors["model.OrderDetails.CompanyID"] = ["The CompanyID field is required."]
    if errors:
        raise ApiProblem(400, "The request is invalid.", errors)
    return b


def _address(raw):
    return {key: str(raw.get(key.lower()) or "") for key in ADDRESS_KEYS}


def _items(sb, products, item_ids, order_id):
    items = []
    for n, raw in enumerate(products or []):
        sku = str(raw.get("productid") or "")
        if sku not in sb.products:
            raise ApiProblem(400, f"Product '{sku}' does not exist.")
        price = _money(raw.get("siteprice"), f"Products[{n}].SitePrice")
        qty = _int(raw.get("qty"), f"Products[{n}].Qty", 1)
        discount = _money(raw.get("discountvalue"), f"Products[{n}].DiscountValue")
        items.append({"ID": next(item_ids), "OrderID": order_id, "ProductID": sku, "Qty": qty,
                      "DisplayName": str(raw.get("productname") or sb.products[sku]["ProductName"]),
                      "SitePrice": price, "DiscountValue": discount, "DiscountType": _int(raw.get("discounttype"), "x"),
                      "LineTaxTotal": _money(raw.get("linetaxtotal"), f"Products[{n}].LineTaxTotal"),
                      "ReferenceID": str(raw.get("referenceid") or ""), "Notes": str(raw.get("notes") or ""),
                      "QtyReturned": 0, "QtyShipped": 0})
    return items


def order_from_body(sb, order_id, body, *, item_ids):
    b = _validate(body)
    details = b["orderdetails"]
    company_id = _int(details.get("companyid"), "OrderDetails.CompanyID")
    if company_id not in sb.companies:
        raise ApiProblem(400, f"Company {company_id} does not exist.")
    if "channel" not in details:
        raise _invalid("OrderDetails.Channel", "The Channel field is required.")
    now = sb.clock.time()
    order_date = parse_date(details["orderdate"], "model.OrderDetails.OrderDate") if details.get("orderdate") else now
    shipping = b.get("shippingmethoddetails") or {}
    customer = b["customerdetails"]
    return {
        "ID": order_id, "CompanyID": company_id, "OrderSource": _int(details.get("channel"), "OrderDetails.Channel"),
        "OrderSourceOrderID": str(details.get("ordersourceorderid") or ""), "TimeOfOrder": order_date,
        "CreatedOn": now, "LastUpdated": now, "StatusCode": 2, "ShippingStatus": 1, "PaymentStatus": NO_PAYMENT,
        "DisableInventoryCount": bool(details.get("disableinventorycount")),
        "Customer": {"Email": str(customer.get("email")), "FirstName": str(customer.get("firstname")),
                     "LastName": str(customer.get("lastname")), "Business": str(customer.get("business") or "")},
        "ShippingAddress": _address(b["shippingaddress"]), "BillingAddress": _address(b["billingaddress"]),
        "Items": _items(sb, b.get("products"), item_ids, order_id),
        "ShippingFee": _money(shipping.get("shippingfee"), "ShippingMethodDetails.ShippingFee"),
        "Carrier": str(shipping.get("carrier") or ""), "Service": str(shipping.get("shippingmethod") or ""),
        "ShipFromWarehouseID": 0, "ShipDate": None, "TrackingNumber": "",
        "Notes": [{"Note": str(n.get("note") or n.get("message") or ""), "Category": _int(n.get("category"), "x")}
                  for n in (b.get("notes") or []) if isinstance(n, dict)],
        "Payments": [],
    }


def grand_total(order):
    lines = sum(i["SitePrice"] * i["Qty"] - _line_discount(i) + i["LineTaxTotal"] for i in order["Items"])
    return lines + order["ShippingFee"]


def _line_discount(item):
    if item["DiscountType"] == 1:
        return item["SitePrice"] * item["Qty"] * item["DiscountValue"] / 100
    return item["DiscountValue"]


def payment_status(order):
    paid = sum(p["PaidAmount"] for p in order["Payments"])
    if paid <= 0 and order["Payments"] == []:
        return NO_PAYMENT
    return CHARGED if paid >= grand_total(order) else PARTIAL


def order_ship(sb, body):
    b = ci(body if isinstance(body, dict) else {})
    missing = {f"model.{n}": [f"The {n} field is required."] for k, n in
               (("shippingcarrier", "ShippingCarrier"), ("shippingservice", "ShippingService")) if not b.get(k)}
    if missing:
        raise ApiProblem(400, "The request is invalid.", missing)
    order = sb.order_get(_int(b.get("orderid"), "OrderID"))
    warehouse_id = _int(b.get("shipfromwarehouseid"), "ShipFromWarehouseID")
    if warehouse_id:
        sb.warehouse_get(warehouse_id)
    if order["ShippingStatus"] != 3 and not order["DisableInventoryCount"]:
        deduct_from = warehouse_id or next(w for w, v in sb.warehouses.items() if v["IsDefault"])
        for item in order["Items"]:
            if item["ProductID"] != "UNKNOWN" and item["Qty"] > 0:
                sb.stock_adjust(item["ProductID"], deduct_from, item["Qty"], False, f"order {order['ID']} shipped")
            item["QtyShipped"] = item["Qty"]
    order.update({"ShippingStatus": 3, "Carrier": str(b["shippingcarrier"]), "Service": str(b["shippingservice"]),
                  "ShipFromWarehouseID": warehouse_id, "TrackingNumber": str(b.get("trackingnumber") or ""),
                  "ShipDate": parse_date(b["shipdate"], "model.ShipDate") if b.get("shipdate") else sb.clock.time(),
                  "LastUpdated": sb.clock.time()})


def _time(value):
    return net_time(value) if value else None


def _money_out(value):
    return float(value)


def _payments_view(order):
    return [{"ID": p["ID"], "TransactionReferenceNumber": p["TransactionReferenceNumber"],
             "PaidAmount": _money_out(p["PaidAmount"]), "PaymentDate": _time(p["PaymentDate"]),
             "PaymentType": p["PaymentType"], "PaymentMethod": p["PaymentMethod"], "PaymentStatus": 0}
            for p in order["Payments"]]


def _address_view(a):
    return {"FirstName": a["FirstName"], "LastName": a["LastName"], "CompanyName": a["Business"],
            "StreetLine1": a["Address"], "StreetLine2": a["Address2"], "City": a["City"], "StateName": a["State"],
            "StateCode": a["State"], "PostalCode": a["ZipCode"], "CountryName": a["Country"],
            "CountryCode": a["Country"], "PhoneNumber": a["Phone"], "FaxNumber": a["Fax"]}


def order_list_view(sb, order):
    """MultipleOrderDataDto."""
    return {
        "ID": order["ID"], "OrderSourceOrderID": order["OrderSourceOrderID"], "OrderSource": order["OrderSource"],
        "OrderSubType": 0, "ShippingStatus": order["ShippingStatus"], "PaymentStatus": order["PaymentStatus"],
        "StatusCode": order["StatusCode"], "FirstName": order["Customer"]["FirstName"],
        "LastName": order["Customer"]["LastName"], "CustomerEmail": order["Customer"]["Email"],
        "TimeOfOrder": _time(order["TimeOfOrder"]), "CreatedOn": _time(order["CreatedOn"]),
        "LastUpdated": _time(order["LastUpdated"]), "ShipDate": _time(order["ShipDate"]),
        "GrandTotal": _money_out(grand_total(order)), "CompanyID": order["CompanyID"],
        "CompanyName": sb.companies[order["CompanyID"]]["CompanyName"],
        "ShippingAddress": _address_view(order["ShippingAddress"]),
        "BillingAddress": _address_view(order["BillingAddress"]), "Payments": _payments_view(order),
        "Items": [{"ID": i["ID"], "OrderID": i["OrderID"], "ProductID": i["ProductID"], "Qty": i["Qty"],
                   "DisplayName": i["DisplayName"], "SitePrice": _money_out(i["SitePrice"]),
                   "QtyReturned": i["QtyReturned"], "QtyShipped": i["QtyShipped"],
                   "LineTotal": _money_out(i["SitePrice"] * i["Qty"] - _line_discount(i)),
                   "LineTaxTotal": _money_out(i["LineTaxTotal"]), "ReferenceID": i["ReferenceID"],
                   "DiscountType": i["DiscountType"], "DiscountAmount": _money_out(i["DiscountValue"]),
                   "Notes": i["Notes"], "ShipFromWareHouseID": order["ShipFromWarehouseID"]}
                  for i in order["Items"]],
        "ShippingCarrier": order["Carrier"], "ShippingService": order["Service"],
        "TrackingNumber": order["TrackingNumber"], "ShippingTotal": _money_out(order["ShippingFee"]),
    }


def order_single_view(sb, order):
    """SingleOrderDataDto (the parts the swagger lists that the sandbox keeps)."""
    total = grand_total(order)
    received = sum(p["PaidAmount"] for p in order["Payments"])
    return {
        "OrderID": order["ID"],
        "OrderDetails": {"CompanyId": order["CompanyID"], "OrderSource": order["OrderSource"],
                         "OrderSourceOrderId": order["OrderSourceOrderID"], "CustomerEmail": order["Customer"]["Email"],
                         "OrderDate": _time(order["TimeOfOrder"]), "CreatedOn": _time(order["CreatedOn"]),
                         "OrderSubType": 0},
        "Statuses": {"OrderStatus": order["StatusCode"], "ShippingStatus": order["ShippingStatus"],
                     "PaymentStatus": order["PaymentStatus"], "InventoryDisabled": order["DisableInventoryCount"]},
        "OrderItems": [{"ID": i["ID"], "OrderID": i["OrderID"], "ProductID": i["ProductID"],
                        "DisplayName": i["DisplayName"], "Qty": i["Qty"], "SitePrice": _money_out(i["SitePrice"]),
                        "DiscountValue": _money_out(i["DiscountValue"]), "DiscountType": i["DiscountType"],
                        "LineTaxTotal": _money_out(i["LineTaxTotal"]), "QtyReturned": i["QtyReturned"],
                        "Notes": i["Notes"], "WarehouseID": order["ShipFromWarehouseID"]} for i in order["Items"]],
        "TotalInfo": {"SubTotal": _money_out(sum(i["SitePrice"] * i["Qty"] for i in order["Items"])),
                      "Shipping": _money_out(order["ShippingFee"]), "GrandTotal": _money_out(total)},
        "PaymentOptions": {"Total": _money_out(total), "Received": _money_out(received),
                           "RemainingDues": _money_out(max(total - received, Decimal(0)))},
        "ShippingDetails": {"ShippingStatus": order["ShippingStatus"], "Carrier": order["Carrier"],
                            "Service": order["Service"], "ShipDate": _time(order["ShipDate"])},
        "OrderPackages": [], "Payments": _payments_view(order), "LastUpdated": _time(order["LastUpdated"]),
        "ShippingAddress": _address_view(order["ShippingAddress"]),
        "BillingAddress": _address_view(order["BillingAddress"]),
    }
