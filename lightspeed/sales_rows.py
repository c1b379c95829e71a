"""A Lightspeed Sale (with its relations) → mirror rows, and the batch upsert.

Parsing is strict where a wrong value would mislead a channel (times, money, quantities): a value
that does not parse raises RecordError, so the sale is logged and skipped instead of mirrored wrong.
"""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from django.db import transaction

from connector.errors import RecordError

from .mirror import EPOCH, MIRROR_FIELDS, upsert
from .models import Customer, Sale, SaleLine, SalePayment, ShipTo
from .records import nested, to_bool

ADDRESS_KEYS = ("address1", "address2", "city", "state", "stateCode", "zip", "country", "countryCode")
PHONE_ORDER = ("Mobile", "Home", "Work", "Pager", "Fax")
SALE_FIELDS = ["shop_ls_id", "register_ls_id", "employee_ls_id", "customer_ls_id", "completed", "voided", "is_refund",
               "reference_number", "reference_number_source", "ticket_number", "total", "subtotal", "discount", "tax",
               "balance", "complete_time", "create_time", "update_time"]
LINE_FIELDS = ["sale", "item_ls_id", "quantity", "unit_price", "discount", "subtotal", "tax", "total",
               "parent_line_ls_id", "create_time"]
PAYMENT_FIELDS = ["sale", "payment_type_ls_id", "payment_type_name", "amount"]
SHIP_TO_FIELDS = ["ls_id", "shipped", "ship_note", "first_name", "last_name", "company", "address", "phone",
                  "ls_timestamp"]
CUSTOMER_FIELDS = ["first_name", "last_name", "company", "email", "phone"]
MAX_QUANTITY = 2 ** 31 - 1


# -- strict scalars ------------------------------------------------------------------------------------

def _int(raw, key, *, limit=2 ** 63 - 1):
    value = raw.get(key)
    if value in (None, ""):
        return 0
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RecordError(f"{key} is not a number: {str(value)[:40]!r}") from None
    if number != number.to_integral_value() or abs(number) > limit:
        raise RecordError(f"{key} is not a whole number in range: {str(value)[:40]!r}")
    return int(number)


def _money(raw, key):
    value = raw.get(key)
    if value in (None, ""):
        return Decimal("0")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise RecordError(f"{key} is not an amount: {str(value)[:40]!r}") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        raise RecordError(f"{key} is not a plausible amount: {str(value)[:40]!r}")
    return amount.quantize(Decimal("0.0001"))


def _time(raw, key):
    value = raw.get(key)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(f"{key} is not a date and time: {str(value)[:40]!r}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _text(raw, key, length):
    value = str(raw.get(key) or "")
    if "\x00" in value:
        raise RecordError(f"{key} contains a NUL character")
    return value[:length]


def _one(raw, key):
    value = raw.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


# -- one sale ------------------------------------------------------------------------------------------

@dataclass
class SaleRows:
    sale: Sale
    lines: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    ship_to: ShipTo | None = None
    customer: Customer | None = None


def sale_id_of(raw):
    return _int(raw, "saleID")


def sale_rows(tenant, raw):
    """The mirror rows of one raw Sale; RecordError when a value cannot be trusted."""
    lines = [_line(tenant, r) for r in nested(raw, "SaleLines", "SaleLine")]
    sale = Sale(
        tenant=tenant, ls_id=sale_id_of(raw), archived=to_bool(raw.get("archived")),
        ls_timestamp=_time(raw, "timeStamp"),
        shop_ls_id=_int(raw, "shopID"), register_ls_id=_int(raw, "registerID"), employee_ls_id=_int(raw, "employeeID"),
        customer_ls_id=_int(raw, "customerID"), completed=to_bool(raw.get("completed")),
        voided=to_bool(raw.get("voided")), is_refund=any(line.quantity < 0 for line in lines),
        reference_number=_text(raw, "referenceNumber", 120),
        reference_number_source=_text(raw, "referenceNumberSource", 120),
        ticket_number=_text(raw, "ticketNumber", 60), total=_money(raw, "total"),
        subtotal=_money(raw, "calcSubtotal"), discount=_money(raw, "calcDiscount"),
        tax=_money(raw, "calcTax1") + _money(raw, "calcTax2"), balance=_money(raw, "balance"),
        complete_time=_time(raw, "completeTime"), create_time=_time(raw, "createTime"),
        update_time=_time(raw, "updatetime") or _time(raw, "updateTime"),
    )
    if not sale.ls_id:
        raise RecordError("the sale has no saleID")
    payments = [_payment(tenant, r) for r in nested(raw, "SalePayments", "SalePayment")]
    return SaleRows(sale, lines, payments, _ship_to(tenant, raw), _customer(tenant, raw))


def _line(tenant, raw):
    return SaleLine(
        tenant=tenant, ls_id=_int(raw, "saleLineID"), item_ls_id=_int(raw, "itemID"),
        quantity=_int(raw, "unitQuantity", limit=MAX_QUANTITY), unit_price=_money(raw, "unitPrice"),
        discount=_money(raw, "calcLineDiscount"), subtotal=_money(raw, "calcSubtotal"),
        tax=_money(raw, "calcTax1") + _money(raw, "calcTax2"), total=_money(raw, "calcTotal"),
        parent_line_ls_id=_int(raw, "parentSaleLineID"), create_time=_time(raw, "createTime"),
    )


def _payment(tenant, raw):
    payment_type = _one(raw, "PaymentType") or {}
    return SalePayment(tenant=tenant, ls_id=_int(raw, "salePaymentID"), payment_type_ls_id=_int(raw, "paymentTypeID"),
                       payment_type_name=_text(payment_type, "name", 200), amount=_money(raw, "amount"))


def _contact_parts(contact):
    contact = contact or {}
    address = next(iter(nested(contact, "Addresses", "ContactAddress")), {})
    phones = {p.get("useType"): str(p.get("number") or "") for p in nested(contact, "Phones", "ContactPhone")}
    phone = next((phones[kind] for kind in PHONE_ORDER if phones.get(kind)), "")
    emails = nested(contact, "Emails", "ContactEmail")
    primary = [e for e in emails if e.get("useType") == "Primary"] or emails
    email = str(primary[0].get("address") or "") if primary else ""
    address = {k: str(address.get(k) or "") for k in ADDRESS_KEYS if address.get(k)}
    return address, phone[:60], email[:254]


def _ship_to(tenant, raw):
    data = _one(raw, "ShipTo")
    if data is None or not _int(data, "shipToID"):
        return None
    address, phone, _ = _contact_parts(_one(data, "Contact"))
    return ShipTo(tenant=tenant, ls_id=_int(data, "shipToID"), shipped=to_bool(data.get("shipped")),
                  ship_note=_text(data, "shipNote", 10_000), first_name=_text(data, "firstName", 100),
                  last_name=_text(data, "lastName", 100), company=_text(data, "company", 200), address=address,
                  phone=phone, ls_timestamp=_time(data, "timeStamp"))


def _customer(tenant, raw):
    data = _one(raw, "Customer")
    if data is None or not _int(data, "customerID"):
        return None
    _, phone, email = _contact_parts(_one(data, "Contact"))
    return Customer(tenant=tenant, ls_id=_int(data, "customerID"), archived=to_bool(data.get("archived")),
                    ls_timestamp=_time(data, "timeStamp"), first_name=_text(data, "firstName", 100),
                    last_name=_text(data, "lastName", 100), company=_text(data, "company", 200), email=email,
                    phone=phone)


# -- the batch -----------------------------------------------------------------------------------------

def _newest(rows, key):
    latest = {}
    for row in rows:
        old = latest.get(key(row))
        if old is None or (row.ls_timestamp or EPOCH) >= (old.ls_timestamp or EPOCH):
            latest[key(row)] = row
    return list(latest.values())


def sales_upsert(*, tenant, batch):
    """Write a batch of SaleRows in one transaction (bulk statements); lines, payments and the ship-to a
    sale no longer has are removed. Idempotent: the same batch twice leaves the same rows."""
    with transaction.atomic():
        customers = _newest([rows.customer for rows in batch if rows.customer], lambda c: c.ls_id)
        upsert(Customer, customers, ["tenant", "ls_id"], MIRROR_FIELDS + CUSTOMER_FIELDS)
        sales = {rows.sale.ls_id: rows for rows in batch}  # the later copy of a sale wins
        upsert(Sale, [rows.sale for rows in sales.values()], ["tenant", "ls_id"], MIRROR_FIELDS + SALE_FIELDS)
        pk_of = dict(Sale.unscoped.filter(tenant=tenant, ls_id__in=list(sales)).values_list("ls_id", "pk"))
        lines, payments, ship_tos = [], [], []
        for ls_id, rows in sales.items():
            for row in (*rows.lines, *rows.payments, *([rows.ship_to] if rows.ship_to else [])):
                row.sale_id = pk_of[ls_id]
            lines += rows.lines
            payments += rows.payments
            ship_tos += [rows.ship_to] if rows.ship_to else []
        pks = list(pk_of.values())
        SaleLine.unscoped.filter(tenant=tenant, sale_id__in=pks).exclude(ls_id__in=[r.ls_id for r in lines]).delete()
        upsert(SaleLine, lines, ["tenant", "ls_id"], LINE_FIELDS)
        SalePayment.unscoped.filter(tenant=tenant, sale_id__in=pks).exclude(
            ls_id__in=[r.ls_id for r in payments]).delete()
        upsert(SalePayment, payments, ["tenant", "ls_id"], PAYMENT_FIELDS)
        ShipTo.unscoped.filter(tenant=tenant, sale_id__in=pks).exclude(
            sale_id__in=[r.sale_id for r in ship_tos]).delete()
        upsert(ShipTo, ship_tos, ["sale"], SHIP_TO_FIELDS)
    return {"sales": len(sales), "lines": len(lines), "payments": len(payments), "ship_tos": len(ship_tos),
            "customers": len(customers)}


def known_sale_stamps(tenant, ls_ids):
    return dict(Sale.unscoped.filter(tenant=tenant, ls_id__in=ls_ids).values_list("ls_id", "ls_timestamp"))
