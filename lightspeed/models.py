"""The Lightspeed connection and the local mirror of reference data and catalog.

Lightspeed ids are kept as integers in `ls_id` (unique per tenant); channel jobs read
these tables, never Lightspeed itself.
"""
from django.db import models

from connector.crypto import EncryptedTextField
from tenants.scoping import TenantOwned


class Connection(TenantOwned):
    class Status(models.TextChoices):
        CONNECTED = "connected", "Connected"
        NEEDS_RECONNECT = "needs_reconnect", "Needs reconnect"
        DISCONNECTED = "disconnected", "Disconnected"

    account_id = models.CharField(max_length=30, blank=True)
    account_name = models.CharField(max_length=200, blank=True)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DISCONNECTED)
    status_reason = models.TextField(blank=True)
    register_limit = models.PositiveIntegerField(default=1)
    # The pending authorization (state + PKCE verifier), checked when the owner comes back.
    oauth_state = models.CharField(max_length=100, blank=True)
    oauth_code_verifier = EncryptedTextField(blank=True)
    oauth_started_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    # The employee whose login approved the grant (read from the token's Session), for role warnings.
    approver_employee_ls_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="ls_connection_one_per_tenant")]

    def __str__(self):
        return f"{self.tenant_id}: account {self.account_id or '-'} ({self.status})"


class MirrorRow(TenantOwned):
    ls_id = models.BigIntegerField()
    archived = models.BooleanField(default=False)
    ls_timestamp = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def unique_per_tenant(cls, name):
        return models.UniqueConstraint(fields=["tenant", "ls_id"], name=name)


class Shop(MirrorRow):
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_shop_unique")]

    def __str__(self):
        return self.name


class Register(MirrorRow):
    name = models.CharField(max_length=200)
    shop_ls_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_register_unique")]

    def __str__(self):
        return self.name


class Employee(MirrorRow):
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    employee_role_ls_id = models.BigIntegerField(default=0)
    employee_role_name = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_employee_unique")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip()


class PriceLevel(MirrorRow):
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_pricelevel_unique")]

    def __str__(self):
        return self.name


class PaymentType(MirrorRow):
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_paymenttype_unique")]

    def __str__(self):
        return self.name


class Category(MirrorRow):
    name = models.CharField(max_length=200)
    full_path = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_category_unique")]

    def __str__(self):
        return self.full_path or self.name


class Manufacturer(MirrorRow):
    name = models.CharField(max_length=200)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_manufacturer_unique")]

    def __str__(self):
        return self.name


class ItemAttributeSet(MirrorRow):
    """Names of a matrix's attributes (attribute1..3), e.g. "Color", "Size"."""

    name = models.CharField(max_length=200)
    attribute_names = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_attributeset_unique")]

    def __str__(self):
        return self.name


class Item(MirrorRow):
    system_sku = models.CharField(max_length=40, blank=True)
    custom_sku = models.CharField(max_length=100, blank=True)
    manufacturer_sku = models.CharField(max_length=100, blank=True)
    ean = models.CharField(max_length=20, blank=True)
    upc = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    note = models.TextField(blank=True)
    color = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=100, blank=True)
    item_matrix_ls_id = models.BigIntegerField(default=0)
    category_ls_id = models.BigIntegerField(default=0)
    manufacturer_ls_id = models.BigIntegerField(default=0)
    # Denormalised for the feed: read in one pass without joins.
    category_name = models.CharField(max_length=500, blank=True)
    manufacturer_name = models.CharField(max_length=200, blank=True)
    default_cost = models.DecimalField(max_digits=14, decimal_places=4, default=0, db_default=0)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_item_unique")]
        indexes = [
            models.Index(fields=["tenant", "ean"], name="ls_item_ean"),
            models.Index(fields=["tenant", "upc"], name="ls_item_upc"),  # channel orders match by UPC, then MPN
            models.Index(fields=["tenant", "manufacturer_sku"], name="ls_item_mpn"),
            models.Index(fields=["tenant", "system_sku"], name="ls_item_systemsku"),
            models.Index(fields=["tenant", "custom_sku"], name="ls_item_customsku"),
        ]

    def __str__(self):
        return self.description or self.system_sku


class ItemPrice(TenantOwned):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="prices")
    price_level_ls_id = models.BigIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "price_level_ls_id"], name="ls_itemprice_unique")]
        indexes = [models.Index(fields=["tenant", "price_level_ls_id"], name="ls_itemprice_level")]


class ItemStock(TenantOwned):
    """ItemShop: quantity on hand of one item in one shop (shop 0 = all shops)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="stock")
    item_shop_ls_id = models.BigIntegerField()
    shop_ls_id = models.BigIntegerField()
    qoh = models.IntegerField(default=0)
    backorder = models.IntegerField(default=0, db_default=0)  # balance on order
    reorder_point = models.IntegerField(default=0, db_default=0)
    reorder_level = models.IntegerField(default=0, db_default=0)  # maximum stock level
    ls_timestamp = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "shop_ls_id"], name="ls_itemstock_unique")]
        indexes = [
            models.Index(fields=["tenant", "shop_ls_id"], name="ls_itemstock_shop"),
            models.Index(fields=["tenant", "item_shop_ls_id"], name="ls_itemstock_itemshop"),
        ]


class PosChoice(TenantOwned):
    """The shop, register and employee channel orders are booked on.

    `channel` "" is the tenant's default; a row with a channel's key overrides the default for that
    channel, field by field (a blank field falls back to the default).
    """

    channel = models.CharField(max_length=40, blank=True, default="")
    shop_ls_id = models.BigIntegerField(null=True, blank=True)
    register_ls_id = models.BigIntegerField(null=True, blank=True)
    employee_ls_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "channel"], name="ls_pos_choice_unique")]

    def __str__(self):
        return f"POS choice {self.channel or 'default'} of {self.tenant_id}"


# The sales mirror (lightspeed.sales_sync): one poll serves every channel that reads sales.
MONEY = {"max_digits": 14, "decimal_places": 4}


class Customer(MirrorRow):
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_customer_unique")]
        indexes = [models.Index(fields=["tenant", "email"], name="ls_customer_email")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or self.company or self.email


class Sale(MirrorRow):
    """A Lightspeed sale as last read. A refund is a sale whose lines have negative quantities."""

    shop_ls_id = models.BigIntegerField(default=0)
    register_ls_id = models.BigIntegerField(default=0)
    employee_ls_id = models.BigIntegerField(default=0)
    customer_ls_id = models.BigIntegerField(default=0)
    completed = models.BooleanField(default=False)
    voided = models.BooleanField(default=False)
    is_refund = models.BooleanField(default=False)
    reference_number = models.CharField(max_length=120, blank=True)
    reference_number_source = models.CharField(max_length=120, blank=True)
    ticket_number = models.CharField(max_length=60, blank=True)
    total = models.DecimalField(default=0, **MONEY)
    subtotal = models.DecimalField(default=0, **MONEY)
    discount = models.DecimalField(default=0, **MONEY)
    tax = models.DecimalField(default=0, **MONEY)
    balance = models.DecimalField(default=0, **MONEY)  # total − payments; 0 on a paid sale
    complete_time = models.DateTimeField(null=True, blank=True)
    create_time = models.DateTimeField(null=True, blank=True)
    update_time = models.DateTimeField(null=True, blank=True)  # Lightspeed's updatetime
    # ls_timestamp (MirrorRow) is Lightspeed's timeStamp (last modified): the mirror's cursor.

    class Meta:
        constraints = [MirrorRow.unique_per_tenant("ls_sale_unique")]
        indexes = [
            models.Index(fields=["tenant", "shop_ls_id", "complete_time"], name="ls_sale_shop_completed"),
            models.Index(fields=["tenant", "ls_timestamp"], name="ls_sale_updated"),
            models.Index(fields=["tenant", "reference_number"], name="ls_sale_reference"),
        ]

    def __str__(self):
        return f"Sale {self.ls_id}"


class SaleLine(TenantOwned):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    ls_id = models.BigIntegerField()
    item_ls_id = models.BigIntegerField(default=0)
    quantity = models.IntegerField(default=0)  # negative on a refund line
    unit_price = models.DecimalField(default=0, **MONEY)
    discount = models.DecimalField(default=0, **MONEY)  # calcLineDiscount
    subtotal = models.DecimalField(default=0, **MONEY)  # calcSubtotal: after discount, before tax
    tax = models.DecimalField(default=0, **MONEY)
    total = models.DecimalField(default=0, **MONEY)  # calcTotal
    parent_line_ls_id = models.BigIntegerField(default=0)  # the sold line a refund line returns
    create_time = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "ls_id"], name="ls_saleline_unique")]
        indexes = [models.Index(fields=["tenant", "item_ls_id"], name="ls_saleline_item")]


class SalePayment(TenantOwned):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="payments")
    ls_id = models.BigIntegerField()
    payment_type_ls_id = models.BigIntegerField(default=0)
    payment_type_name = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(default=0, **MONEY)  # negative on a refund

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "ls_id"], name="ls_salepayment_unique")]


class ShipTo(TenantOwned):
    """A sale's shipping address and whether it shipped (shipNote carries track & trace)."""

    sale = models.OneToOneField(Sale, on_delete=models.CASCADE, related_name="ship_to")
    ls_id = models.BigIntegerField()
    shipped = models.BooleanField(default=False)
    ship_note = models.TextField(blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=200, blank=True)
    address = models.JSONField(default=dict, blank=True)  # address1, address2, city, state, zip, country
    phone = models.CharField(max_length=60, blank=True)
    ls_timestamp = models.DateTimeField(null=True, blank=True)
