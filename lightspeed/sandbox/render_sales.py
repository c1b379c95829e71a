"""Render customers, contacts and sales (with lines, payments, ship-to and notes)."""
from decimal import Decimal

from . import quotes, render
from .envelope import fmt_time, relation
from .records import to_cents

ZERO = Decimal("0")


def contact(state, rec, rels=frozenset()):
    out = {"contactID": rec.contact_id, "custom": rec.custom, "noEmail": rec.no_email, "noPhone": rec.no_phone,
           "noMail": rec.no_mail}
    out.update(relation("Addresses", "ContactAddress", [dict(a) for a in rec.addresses]))
    out.update(relation("Phones", "ContactPhone", [dict(p) for p in rec.phones]))
    out.update(relation("Emails", "ContactEmail", [dict(e) for e in rec.emails]))
    out.update(relation("Websites", "ContactWebsite", [dict(w) for w in rec.websites]))
    out["timeStamp"] = fmt_time(rec.time_stamp)
    return out


def customer(state, rec, rels=frozenset()):
    out = {"customerID": rec.customer_id, "firstName": rec.first_name, "lastName": rec.last_name,
           "dob": rec.dob, "archived": rec.archived, "title": rec.title, "company": rec.company,
           "companyRegistrationNumber": "", "vatNumber": rec.vat_number, "createTime": fmt_time(rec.create_time),
           "timeStamp": fmt_time(rec.time_stamp), "contactID": rec.contact.contact_id, "creditAccountID": 0,
           "customerTypeID": rec.customer_type_id, "discountID": 0, "employeeID": 0, "noteID": 0,
           "taxCategoryID": 0}
    if "Contact" in rels:
        out["Contact"] = contact(state, rec.contact)
    _customer_relations(rec, rels, out)
    return out


def _customer_relations(rec, rels, out):
    """The seeded customers have no note, credit account or tags: the relations render empty."""
    if "Note" in rels:
        out["Note"] = {"noteID": 0, "note": "", "isPublic": False, "timeStamp": fmt_time(rec.time_stamp)}
    if "CreditAccount" in rels:
        out["CreditAccount"] = ""
    if "Tags" in rels:
        out["Tags"] = ""
    for name in ("CustomerType", "Discount", "TaxCategory", "CustomFieldValues"):
        if name in rels:
            out[name] = ""


def sale_line(state, rec, rels=frozenset(), prefix=""):
    subtotal, tax1 = rec.subtotal(), rec.tax1()
    out = {"saleLineID": rec.sale_line_id, "createTime": fmt_time(rec.create_time),
           "timeStamp": fmt_time(rec.time_stamp), "unitQuantity": rec.unit_quantity, "unitPrice": rec.unit_price,
           "normalUnitPrice": rec.normal_unit_price, "discountAmount": rec.discount_amount, "discountPercent": ZERO,
           "avgCost": rec.unit_cost, "fifoCost": rec.unit_cost, "tax": rec.tax, "tax1Rate": rec.tax1_rate,
           "tax2Rate": ZERO,
           "isLayaway": False, "isWorkorder": False, "isSpecialOrder": False, "displayableSubtotal": subtotal,
           "displayableUnitPrice": rec.unit_price, "lineType": "", "calcLineDiscount": rec.discount_amount,
           "calcTransactionDiscount": ZERO, "calcTotal": subtotal + tax1, "calcSubtotal": subtotal,
           "calcTax1": tax1, "calcTax2": ZERO, "taxClassID": 1, "customerID": rec.customer_id, "discountID": 0,
           "employeeID": rec.employee_id, "itemID": rec.item_id, "noteID": 0,
           "parentSaleLineID": rec.parent_sale_line_id,
           "shopID": rec.shop_id, "taxCategoryID": 0, "saleID": rec.sale_id, "itemFeeID": 0}
    if prefix + "Item" in rels and rec.item_id in state.items:
        out["Item"] = render.item(state, state.items[rec.item_id])
    if prefix + "Note" in rels and rec.note:
        out["Note"] = {"note": rec.note, "isPublic": False, "timeStamp": fmt_time(rec.time_stamp)}
    return out


def sale_payment(state, rec, rels=frozenset(), prefix=""):
    out = {"salePaymentID": rec.sale_payment_id, "amount": rec.amount, "tipAmount": ZERO,
           "createTime": fmt_time(rec.create_time), "archived": rec.archived, "remoteReference": rec.remote_reference,
           "paymentID": "", "saleID": rec.sale_id, "paymentTypeID": rec.payment_type_id, "ccChargeID": 0,
           "refPaymentID": 0, "registerID": rec.register_id, "employeeID": rec.employee_id, "creditAccountID": 0}
    if prefix + "PaymentType" in rels and rec.payment_type_id in state.payment_types:
        out["PaymentType"] = render.payment_type(state, state.payment_types[rec.payment_type_id])
    return out


def ship_to(state, rec, rels=frozenset(), prefix=""):
    out = {"shipToID": rec.ship_to_id, "shipped": rec.shipped, "timeStamp": fmt_time(rec.time_stamp),
           "shipNote": rec.ship_note, "firstName": rec.first_name, "lastName": rec.last_name,
           "company": rec.company, "customerID": rec.customer_id, "contactID": rec.contact.contact_id,
           "saleID": rec.sale_id}
    if prefix + "Contact" in rels:
        out["Contact"] = contact(state, rec.contact)
    return out


def sale_notes(rec):
    notes = {}
    for key, text in (("InternalNote", rec.internal_note), ("PrintedNote", rec.printed_note)):
        if text:
            notes[key] = {"note": text, "isPublic": key == "PrintedNote"}
    return notes or ""


def sale(state, rec, rels=frozenset()):
    subtotal, tax1 = rec.subtotal(), rec.tax_total()
    total = subtotal + tax1
    paid = rec.paid()
    out = {"saleID": rec.sale_id, "timeStamp": fmt_time(rec.time_stamp), "discountPercent": ZERO,
           "completed": rec.completed, "archived": rec.archived, "voided": rec.voided, "enablePromotions": False,
           "isTaxInclusive": False, "createTime": fmt_time(rec.create_time), "updatetime": fmt_time(rec.update_time)}
    if rec.complete_time is not None:
        out["completeTime"] = fmt_time(rec.complete_time)
    out.update({
        "referenceNumber": rec.reference_number, "referenceNumberSource": rec.reference_number_source,
        "tax1Rate": rec.tax1_rate, "tax2Rate": ZERO, "change": rec.change, "tipEnabled": False,
        "receiptPreference": "printed", "displayableSubtotal": subtotal, "ticketNumber": f"22{rec.sale_id:010d}",
        "calcDiscount": ZERO, "calcTotal": total, "calcSubtotal": subtotal,
        "calcTaxable": to_cents(sum((l.subtotal() for l in rec.lines if l.tax), ZERO)),
        "calcNonTaxable": to_cents(sum((l.subtotal() for l in rec.lines if not l.tax), ZERO)),
        "calcAvgCost": rec.cost(), "calcFIFOCost": rec.cost(), "calcTax1": tax1, "calcTax2": ZERO, "calcPayments": paid,
        "calcTips": ZERO, "total": total, "totalDue": total, "displayableTotal": total, "balance": total - paid,
        "customerID": rec.customer_id, "discountID": 0, "employeeID": rec.employee_id, "tipEmployeeID": 0,
        "quoteID": rec.quote_id, "registerID": rec.register_id,
        "shipToID": rec.ship_to.ship_to_id if rec.ship_to else 0,
        "shopID": rec.shop_id, "taxCategoryID": rec.tax_category_id, "taxTotal": tax1,
    })
    _sale_relations(state, rec, rels, out)
    return out


def _sale_relations(state, rec, rels, out):
    if "SaleLines" in rels:
        out.update(relation("SaleLines", "SaleLine", [sale_line(state, l, rels, "SaleLines.") for l in rec.lines]))
    if "SalePayments" in rels:
        rows = [sale_payment(state, p, rels, "SalePayments.") for p in rec.payments]
        out.update(relation("SalePayments", "SalePayment", rows))
    if "SaleNotes" in rels:
        out["SaleNotes"] = sale_notes(rec)
    if "ShipTo" in rels and rec.ship_to:
        out["ShipTo"] = ship_to(state, rec.ship_to, rels, "ShipTo.")
    if "Customer" in rels and rec.customer_id in state.customers:
        sub = {"Contact"} if "Customer.Contact" in rels else set()
        out["Customer"] = customer(state, state.customers[rec.customer_id], sub)
    if "Shop" in rels and rec.shop_id in state.shops:
        out["Shop"] = render.shop(state, state.shops[rec.shop_id])
    if "Register" in rels and rec.register_id in state.registers:
        out["Register"] = render.register(state, state.registers[rec.register_id])
    if "Employee" in rels and rec.employee_id in state.employees:
        out["Employee"] = render.employee(state, state.employees[rec.employee_id])
    if "TaxCategory" in rels:
        out["TaxCategory"] = render.tax_category_or_empty(state, rec.tax_category_id)
    if "Quote" in rels and rec.quote_id in state.quotes:
        out["Quote"] = quotes.quote(state, state.quotes[rec.quote_id])
