"""Slotted record types of the sandbox's in-memory data (snake_case attributes; times are epoch seconds)."""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
LINE_PLACES = Decimal("0.0001")


def to_cents(amount):
    """Sale-level money: rounded half up to cents (recorded sales: lines "11.4860025", total "34.48")."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_line_places(amount):
    """Line money keeps 4 decimals."""
    return amount.quantize(LINE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class Account:
    account_id: int
    name: str
    currency: str = "EUR"
    symbol: str = "€"


@dataclass(slots=True)
class Shop:
    shop_id: int
    name: str
    time_zone: str
    time_stamp: int
    price_level_id: int = 1
    tax_category_id: int = 0
    archived: bool = False


@dataclass(slots=True)
class TaxCategory:
    tax_category_id: int
    name: str
    tax1_name: str
    tax1_rate: Decimal
    time_stamp: int
    is_tax_inclusive: bool = False


@dataclass(slots=True)
class EmployeeRole:
    employee_role_id: int
    name: str
    rights: tuple
    time_stamp: int


@dataclass(slots=True)
class Register:
    register_id: int
    name: str
    shop_id: int
    open_time: int
    archived: bool = False


@dataclass(slots=True)
class Employee:
    employee_id: int
    first_name: str
    last_name: str
    time_stamp: int
    lock_out: bool = False
    archived: bool = False
    employee_role_id: int = 1


@dataclass(slots=True)
class PriceLevel:
    price_level_id: int
    name: str
    type: str = "fixed"
    archived: bool = False


@dataclass(slots=True)
class PaymentType:
    payment_type_id: int
    name: str
    type: str
    internal_reserved: bool = False
    require_customer: bool = False
    archived: bool = False
    refund_as_payment_type_id: int = 0


@dataclass(slots=True)
class Category:
    category_id: int
    name: str
    parent_id: int
    full_path_name: str
    node_depth: int
    create_time: int
    time_stamp: int


@dataclass(slots=True)
class Manufacturer:
    manufacturer_id: int
    name: str
    create_time: int
    time_stamp: int


@dataclass(slots=True)
class ItemAttributeSet:
    item_attribute_set_id: int
    name: str
    attribute_names: tuple
    system: bool = True
    archived: bool = False


@dataclass(slots=True)
class ItemMatrix:
    item_matrix_id: int
    description: str
    category_id: int
    manufacturer_id: int
    default_cost: int
    prices: tuple
    time_stamp: int
    item_attribute_set_id: int = 1
    archived: bool = False


@dataclass(slots=True)
class Item:
    item_id: int
    description: str
    custom_sku: str
    upc: str
    ean: str
    manufacturer_sku: str
    category_id: int
    manufacturer_id: int
    item_matrix_id: int
    color: str
    size: str
    note: str | None
    default_cost: int  # cents
    prices: tuple  # cents, one per price level (state.price_levels order)
    create_time: int
    time_stamp: int
    archived: bool = False


@dataclass(slots=True)
class ItemShop:
    item_shop_id: int
    item_id: int
    shop_id: int
    qoh: int
    time_stamp: int
    reorder_point: int = 0
    reorder_level: int = 0
    backorder: int = 0  # on open purchase orders


@dataclass(slots=True)
class Contact:
    contact_id: int
    time_stamp: int
    addresses: list = field(default_factory=list)  # dicts with LS field names
    phones: list = field(default_factory=list)  # dicts {number, useType}
    emails: list = field(default_factory=list)  # dicts {address, useType}
    websites: list = field(default_factory=list)
    custom: str = ""
    no_email: bool = True
    no_phone: bool = True
    no_mail: bool = True


@dataclass(slots=True)
class Customer:
    customer_id: int
    first_name: str
    last_name: str
    contact: Contact
    create_time: int
    time_stamp: int
    company: str = ""
    title: str = ""
    dob: str = ""
    vat_number: str = ""
    customer_type_id: int = 0
    archived: bool = False


@dataclass(slots=True)
class SaleLine:
    sale_line_id: int
    sale_id: int
    item_id: int
    unit_quantity: int
    unit_price: Decimal
    normal_unit_price: Decimal
    discount_amount: Decimal
    tax: bool
    shop_id: int
    employee_id: int
    customer_id: int
    create_time: int
    time_stamp: int
    tax1_rate: Decimal = Decimal("0")
    note: str = ""
    unit_cost: Decimal = Decimal("0")
    parent_sale_line_id: int = 0  # the sold line a refund line (negative quantity) returns

    def subtotal(self):
        return to_line_places(self.unit_price * self.unit_quantity - self.discount_amount)

    def tax1(self):
        return to_line_places(self.subtotal() * self.tax1_rate) if self.tax else Decimal("0")


@dataclass(slots=True)
class SalePayment:
    sale_payment_id: int
    sale_id: int
    amount: Decimal
    payment_type_id: int
    register_id: int
    employee_id: int
    create_time: int
    remote_reference: str = ""
    archived: bool = False


@dataclass(slots=True)
class ShipTo:
    ship_to_id: int
    sale_id: int
    customer_id: int
    contact: Contact
    time_stamp: int
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    ship_note: str = ""
    shipped: bool = False


@dataclass(slots=True)
class Sale:
    sale_id: int
    shop_id: int
    register_id: int
    employee_id: int
    customer_id: int
    create_time: int
    time_stamp: int
    update_time: int
    complete_time: int | None = None
    completed: bool = False
    voided: bool = False
    archived: bool = False
    reference_number: str = ""
    reference_number_source: str = ""
    tax_category_id: int = 0
    tax1_rate: Decimal = Decimal("0")
    change: Decimal = Decimal("0")
    lines: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    ship_to: ShipTo | None = None
    internal_note: str = ""
    printed_note: str = ""
    quote_id: int = 0

    def subtotal(self):
        return to_cents(sum((line.subtotal() for line in self.lines), Decimal("0")))

    def tax_total(self):
        return to_cents(sum((line.tax1() for line in self.lines), Decimal("0")))

    def total(self):
        return self.subtotal() + self.tax_total()

    def cost(self):
        return to_cents(sum((line.unit_cost * line.unit_quantity for line in self.lines), Decimal("0")))

    def paid(self):
        return to_cents(sum((p.amount for p in self.payments), Decimal("0")) - self.change)


@dataclass(slots=True)
class Quote:
    """An open sale saved as a quote ("invoice" in the UI); saleID moves to the newest version of the sale."""
    quote_id: int
    sale_id: int
    employee_id: int
    issue_date: int
    time_stamp: int
    notes: str = ""
    archived: bool = False
