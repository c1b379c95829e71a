"""The neutral order every channel hands to Lightspeed: one shape, whatever the channel.

A channel maps its own payload to a `ChannelOrder`; the order pipeline (connector.orders and
lightspeed.order_sales) turns it into exactly one Lightspeed sale. Money is Decimal throughout.
"""
from dataclasses import dataclass, field
from decimal import Decimal

MAX_QUANTITY = 100_000  # INFERENCE: no source gives Lightspeed's limit; no real order line comes near it


@dataclass(frozen=True)
class OrderLine:
    """One position. `item_ls_id` None = no Lightspeed item matched: never dropped, listed for attention."""

    item_ls_id: int | None
    quantity: int
    unit_price: Decimal
    sku: str = ""
    title: str = ""
    external_id: str = ""


@dataclass(frozen=True)
class OrderAddress:
    name: str = ""  # used when first_name/last_name are empty ("Anna Maria Jensen" -> "Anna Maria", "Jensen")
    company: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    zip: str = ""
    state: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    country_name: str = ""  # Lightspeed's `country` ("Denmark"); the code goes to `countryCode`
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class OrderCustomer:
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    phone: str = ""
    address: OrderAddress | None = None


@dataclass(frozen=True)
class OrderPayment:
    amount: Decimal
    method: str  # a Lightspeed PaymentType name: found by name, created when missing


@dataclass(frozen=True)
class ChannelOrder:
    reference: str  # Lightspeed referenceNumber, fixed once on the ledger and always reused
    lines: tuple[OrderLine, ...]
    shop_ls_id: int
    register_ls_id: int
    employee_ls_id: int
    customer: OrderCustomer | None = None
    ship_to: OrderAddress | None = None
    shipping: Decimal = Decimal("0")  # added to the sale as a charge line
    shipping_title: str = "Shipping"
    # The channel's own tax total (a web store taxes by destination; Lightspeed's tax categories cannot match it
    # to the cent): the item lines go untaxed and this is a charge line. None: Lightspeed taxes as it is set up.
    tax: Decimal | None = None
    discount: Decimal = Decimal("0")  # an order-level discount, spread over the item lines (discountAmount)
    payments: tuple[OrderPayment, ...] = ()
    completed: bool = False  # True: payments must balance the sale total to the cent
    note: str = ""
    reference_source: str = ""  # Lightspeed referenceNumberSource, e.g. the channel's title
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def matched_lines(self):
        return tuple(line for line in self.lines if line.item_ls_id)

    @property
    def unmatched_lines(self):
        return tuple(line for line in self.lines if not line.item_ls_id)

    @property
    def matched_subtotal(self):
        """What the lines that become sale lines come to, before the discount."""
        return sum((line.unit_price * line.quantity for line in self.matched_lines), Decimal("0"))

    @property
    def total(self):
        lines = sum((line.unit_price * line.quantity for line in self.lines), Decimal("0"))
        return lines - self.discount + self.shipping + (self.tax or 0)
