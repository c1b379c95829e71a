"""Typed records for what the writes and the checkout/refund reads return (the envelope's quirks undone)."""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .records import nested, sale_record, to_bool, to_datetime, to_decimal, to_int


@dataclass
class PaymentTypeRecord:
    payment_type_id: int
    name: str
    type: str
    internal_reserved: bool
    archived: bool
    require_customer: bool


def payment_type_record(raw):
    return PaymentTypeRecord(payment_type_id=to_int(raw.get("paymentTypeID")), name=str(raw.get("name") or ""),
                             type=str(raw.get("type") or ""), internal_reserved=to_bool(raw.get("internalReserved")),
                             archived=to_bool(raw.get("archived")),
                             require_customer=to_bool(raw.get("requireCustomer")))


@dataclass
class ShipToRecord:
    ship_to_id: int
    sale_id: int
    shipped: bool
    ship_note: str
    first_name: str
    last_name: str
    company: str
    timestamp: datetime | None


def ship_to_record(raw):
    return ShipToRecord(ship_to_id=to_int(raw.get("shipToID")), sale_id=to_int(raw.get("saleID")),
                        shipped=to_bool(raw.get("shipped")), ship_note=str(raw.get("shipNote") or ""),
                        first_name=str(raw.get("firstName") or ""), last_name=str(raw.get("lastName") or ""),
                        company=str(raw.get("company") or ""), timestamp=to_datetime(raw.get("timeStamp")))


@dataclass
class QuoteRecord:
    quote_id: int
    sale_id: int
    employee_id: int
    notes: str
    archived: bool
    issue_date: datetime | None
    sale: object = None  # the SaleRecord holding the quote now, when read with it


def quote_record(raw):
    return QuoteRecord(quote_id=to_int(raw.get("quoteID")), sale_id=to_int(raw.get("saleID")),
                       employee_id=to_int(raw.get("employeeID")), notes=str(raw.get("notes") or ""),
                       archived=to_bool(raw.get("archived")), issue_date=to_datetime(raw.get("issueDate")))


@dataclass
class RefundLine:
    sale_line_id: int
    parent_sale_line_id: int  # the sold line this gives back (0 when the refund names none)
    item_id: int
    quantity: int  # negative
    unit_price: Decimal
    total: Decimal


@dataclass
class RefundRecord:
    sale: object  # the refund's SaleRecord
    lines: list = field(default_factory=list)  # RefundLine, only the negative lines

    @property
    def sale_id(self):
        return self.sale.sale_id


def refund_line(raw):
    return RefundLine(sale_line_id=to_int(raw.get("saleLineID")),
                      parent_sale_line_id=to_int(raw.get("parentSaleLineID")),
                      item_id=to_int(raw.get("itemID")), quantity=to_int(raw.get("unitQuantity")),
                      unit_price=to_decimal(raw.get("unitPrice")), total=to_decimal(raw.get("calcTotal")))


def refund_record(raw):
    """A RefundRecord when the sale has negative lines, else None."""
    lines = [refund_line(line) for line in nested(raw, "SaleLines", "SaleLine") if to_int(line.get("unitQuantity")) < 0]
    return RefundRecord(sale=sale_record(raw), lines=lines) if lines else None


@dataclass
class CustomerDetails:
    """A customer with its contact, as the two-way customer sync needs it."""
    customer_id: int
    first_name: str
    last_name: str
    company: str
    archived: bool
    emails: list  # addresses, primary first as Lightspeed lists them
    phones: list  # {"number", "useType"}
    addresses: list  # dicts with Lightspeed's field names (address1, city, zip, countryCode, …)
    timestamp: datetime | None

    @property
    def email(self):
        return self.emails[0] if self.emails else ""


def customer_details(raw):
    contact = raw.get("Contact") if isinstance(raw.get("Contact"), dict) else {}
    return CustomerDetails(
        customer_id=to_int(raw.get("customerID")), first_name=str(raw.get("firstName") or ""),
        last_name=str(raw.get("lastName") or ""), company=str(raw.get("company") or ""),
        archived=to_bool(raw.get("archived")),
        emails=[str(e.get("address") or "") for e in nested(contact, "Emails", "ContactEmail")],
        phones=[{"number": str(p.get("number") or ""), "useType": str(p.get("useType") or "")}
                for p in nested(contact, "Phones", "ContactPhone")],
        addresses=[{k: str(v) for k, v in a.items() if isinstance(v, str)}
                   for a in nested(contact, "Addresses", "ContactAddress")],
        timestamp=to_datetime(raw.get("timeStamp")))
