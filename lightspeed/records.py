"""The envelope's quirks, undone: every scalar is a string, "0" means no link, a one-row
list comes back as a bare object (top level and nested), an empty relation is "".

Parsers turn raw dicts into typed records (Decimal money, aware UTC datetimes, ints).
"""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation


def as_list(value):
    """A relation or result as a list: [] for ""/None/missing, [x] for a bare object."""
    if value in (None, "", {}):
        return []
    if isinstance(value, list):
        return value
    return [value]


def nested(record, container, key):
    """`record["ItemShops"]["ItemShop"]` as a list, whatever shape it came in."""
    holder = record.get(container)
    if not isinstance(holder, dict):
        return []
    return as_list(holder.get(key))


def to_int(value, default=0):
    if value in (None, ""):
        return default
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return default


def to_decimal(value, default=Decimal("0")):
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return default


def to_bool(value):
    return str(value).lower() in ("true", "1")


def to_datetime(value):
    """`2021-03-30T19:38:07+00:00` → aware UTC datetime; "" or missing → None."""
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_datetime(value):
    """The filter format Lightspeed documents (UTC, offset spelled out)."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


@dataclass
class ItemShopRecord:
    item_shop_id: int
    item_id: int
    shop_id: int
    qoh: int
    timestamp: datetime | None
    backorder: int = 0  # quantity on order (open purchase orders)
    reorder_point: int = 0
    reorder_level: int = 0  # the maximum stock level


@dataclass
class ItemRecord:
    item_id: int
    system_sku: str
    custom_sku: str
    manufacturer_sku: str
    ean: str
    upc: str
    description: str
    archived: bool
    timestamp: datetime | None
    category_id: int
    manufacturer_id: int
    item_matrix_id: int
    note: str = ""
    attribute_set_id: int = 0
    attributes: tuple = ("", "", "")
    prices: dict = field(default_factory=dict)  # price level id -> Decimal
    shops: list = field(default_factory=list)  # ItemShopRecord
    default_cost: Decimal = Decimal("0")


def item_shop_record(raw):
    return ItemShopRecord(
        item_shop_id=to_int(raw.get("itemShopID")),
        item_id=to_int(raw.get("itemID")),
        shop_id=to_int(raw.get("shopID")),
        qoh=to_int(raw.get("qoh")),
        timestamp=to_datetime(raw.get("timeStamp")),
        backorder=to_int(raw.get("backorder")),
        reorder_point=to_int(raw.get("reorderPoint")),
        reorder_level=to_int(raw.get("reorderLevel")),
    )


def item_record(raw):
    attributes = raw.get("ItemAttributes") if isinstance(raw.get("ItemAttributes"), dict) else {}
    note = raw.get("Note") if isinstance(raw.get("Note"), dict) else {}
    return ItemRecord(
        item_id=to_int(raw.get("itemID")),
        system_sku=str(raw.get("systemSku") or ""),
        custom_sku=str(raw.get("customSku") or ""),
        manufacturer_sku=str(raw.get("manufacturerSku") or ""),
        ean=str(raw.get("ean") or ""),
        upc=str(raw.get("upc") or ""),
        description=str(raw.get("description") or ""),
        archived=to_bool(raw.get("archived")),
        timestamp=to_datetime(raw.get("timeStamp")),
        category_id=to_int(raw.get("categoryID")),
        manufacturer_id=to_int(raw.get("manufacturerID")),
        item_matrix_id=to_int(raw.get("itemMatrixID")),
        note=str(note.get("note") or ""),
        attribute_set_id=to_int(attributes.get("itemAttributeSetID")),
        attributes=tuple(str(attributes.get(f"attribute{n}") or "") for n in (1, 2, 3)),
        prices={to_int(p.get("useTypeID")): to_decimal(p.get("amount")) for p in nested(raw, "Prices", "ItemPrice")},
        shops=[item_shop_record(s) for s in nested(raw, "ItemShops", "ItemShop")],
        default_cost=to_decimal(raw.get("defaultCost")),
    )


@dataclass
class SaleRecord:
    sale_id: int
    reference_number: str
    reference_number_source: str
    completed: bool
    voided: bool
    archived: bool
    total: Decimal
    balance: Decimal
    ticket_number: str
    shop_id: int
    register_id: int
    customer_id: int
    timestamp: datetime | None
    complete_time: datetime | None
    update_time: datetime | None
    lines: list = field(default_factory=list)  # dicts: sale_line_id, item_id, quantity, unit_price, total
    payments: list = field(default_factory=list)  # dicts: payment_type_id, amount
    raw: dict = field(default_factory=dict, repr=False)


def sale_record(raw):
    return SaleRecord(
        sale_id=to_int(raw.get("saleID")),
        reference_number=str(raw.get("referenceNumber") or ""),
        reference_number_source=str(raw.get("referenceNumberSource") or ""),
        completed=to_bool(raw.get("completed")),
        voided=to_bool(raw.get("voided")),
        archived=to_bool(raw.get("archived")),
        total=to_decimal(raw.get("total", raw.get("calcTotal"))),
        balance=to_decimal(raw.get("balance")),
        ticket_number=str(raw.get("ticketNumber") or ""),
        shop_id=to_int(raw.get("shopID")),
        register_id=to_int(raw.get("registerID")),
        customer_id=to_int(raw.get("customerID")),
        timestamp=to_datetime(raw.get("timeStamp")),
        complete_time=to_datetime(raw.get("completeTime")),
        update_time=to_datetime(raw.get("updatetime") or raw.get("updateTime")),
        lines=[
            {
                "sale_line_id": to_int(line.get("saleLineID")),
                "item_id": to_int(line.get("itemID")),
                "quantity": to_int(line.get("unitQuantity")),
                "unit_price": to_decimal(line.get("unitPrice")),
                "total": to_decimal(line.get("calcTotal")),
            }
            for line in nested(raw, "SaleLines", "SaleLine")
        ],
        payments=[
            {"payment_type_id": to_int(p.get("paymentTypeID")), "amount": to_decimal(p.get("amount"))}
            for p in nested(raw, "SalePayments", "SalePayment")
        ],
        raw=raw,
    )


@dataclass
class CustomerRecord:
    customer_id: int
    first_name: str
    last_name: str
    emails: list
    timestamp: datetime | None


def customer_record(raw):
    contact = raw.get("Contact") if isinstance(raw.get("Contact"), dict) else {}
    return CustomerRecord(
        customer_id=to_int(raw.get("customerID")),
        first_name=str(raw.get("firstName") or ""),
        last_name=str(raw.get("lastName") or ""),
        emails=[str(e.get("address") or "") for e in nested(contact, "Emails", "ContactEmail")],
        timestamp=to_datetime(raw.get("timeStamp")),
    )
