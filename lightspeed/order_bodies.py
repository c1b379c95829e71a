"""Pure functions: a ChannelOrder -> the Lightspeed customer and sale bodies (LSRA §4.8–4.9), and its money."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
REQUIRED_ADDRESS = {"address1", "city", "zip", "country", "countryCode"}


def cents(amount):
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def sale_total(order):
    """What Lightspeed will total: the lines that become sale lines, less the discount, plus shipping and the
    channel's tax."""
    return order.matched_subtotal - order.discount + order.shipping + (order.tax or 0)


def discounts_spread(order):
    """The order's discount as each matched line's discountAmount, pro rata to the line totals in cents; the
    rounding remainder goes to the largest line, so they add up to the discount exactly."""
    lines = order.matched_lines
    totals = [line.unit_price * line.quantity for line in lines]
    whole = order.matched_subtotal
    if not order.discount or not whole:
        return [Decimal(0)] * len(lines)
    shares = [cents(order.discount * total / whole) for total in totals]
    largest = max(range(len(lines)), key=lambda i: totals[i])
    shares[largest] += cents(order.discount) - sum(shares, Decimal(0))
    return shares


def customer_body(customer):
    first, last = customer.first_name, customer.last_name
    address = customer.address
    if not (first or last) and address is not None:
        first, last = name_parts(address)
    body = {"firstName": first, "lastName": last,
            "Contact": contact_body(address, customer.phone or (address.phone if address else ""), customer.email)}
    if customer.company:
        body["company"] = customer.company
    return body


def name_parts(address):
    if address.first_name or address.last_name:
        return address.first_name, address.last_name
    parts = address.name.split()
    if len(parts) < 2:
        return (parts[0] if parts else ""), ""
    return " ".join(parts[:-1]), parts[-1]


def contact_body(address, phone="", email=""):
    contact = {}
    if address is not None:
        fields = {"address1": address.line1, "address2": address.line2, "city": address.city,
                  "state": address.state, "zip": address.zip, "country": address.country_name or address.country,
                  "countryCode": address.country}
        contact["Addresses"] = {"ContactAddress": {k: v for k, v in fields.items() if v or k in REQUIRED_ADDRESS}}
    if phone:
        contact["Phones"] = {"ContactPhone": {"number": str(phone), "useType": "Home"}}
    if email:
        contact["Emails"] = {"ContactEmail": {"address": str(email), "useType": "Primary"}}
        contact["noEmail"] = False
    return contact


def sale_body(order, *, customer_id=None, payment_type_ids=None, shipping_item_id=None, tax_item_id=None):
    lines = []
    for line, discount in zip(order.matched_lines, discounts_spread(order)):
        body = {"itemID": int(line.item_ls_id), "unitQuantity": int(line.quantity), "unitPrice": str(line.unit_price)}
        if discount:
            body["discountAmount"] = str(discount)
        if order.tax is not None:
            body["tax"] = False  # the channel's tax is its own line
        lines.append(body)
    if order.shipping and shipping_item_id:
        lines.append({"itemID": int(shipping_item_id), "unitQuantity": 1, "unitPrice": str(cents(order.shipping)),
                      "tax": False})
    if order.tax and tax_item_id:
        lines.append({"itemID": int(tax_item_id), "unitQuantity": 1, "unitPrice": str(cents(order.tax)), "tax": False})
    body = {"shopID": int(order.shop_ls_id), "registerID": int(order.register_ls_id),
            "employeeID": int(order.employee_ls_id), "completed": bool(order.completed),
            "referenceNumber": order.reference, "referenceNumberSource": order.reference_source,
            "SaleLines": {"SaleLine": lines}}
    if customer_id:
        body["customerID"] = int(customer_id)
    if order.ship_to is not None:
        first, last = name_parts(order.ship_to)
        body["ShipTo"] = {"firstName": first, "lastName": last, "company": order.ship_to.company, "shipped": False,
                          "Contact": contact_body(order.ship_to, order.ship_to.phone)}
    if order.note:
        body["SaleNotes"] = {"InternalNote": {"note": order.note}}
    if order.completed:
        body["SalePayments"] = {"SalePayment": [
            {"amount": str(cents(p.amount)), "paymentTypeID": payment_type_ids[p.method]} for p in order.payments]}
    return body
