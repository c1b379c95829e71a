"""Sellercloud settings (the seed's switches), the shops mapping and the product links, per tenant.
The order ledger itself is connector.OrderLedger (channel="sellercloud")."""
from django.db import models

from connector.crypto import EncryptedTextField
from connector.models import OrderLedger
from tenants.scoping import TenantOwned

MONEY = {"max_digits": 14, "decimal_places": 4}


class SellercloudSettings(TenantOwned):
    enabled = models.BooleanField(default=False)
    server = models.CharField(max_length=120, blank=True,
                              help_text="Server id (xx.api.sellercloud.com) or, on TF servers, team.api.sellercloud.us")
    username = models.CharField(max_length=200, blank=True)
    password = EncryptedTextField(blank=True)
    company_id = models.CharField(max_length=20, blank=True, help_text="Sellercloud company id (digits)")
    # The seed's switches, with its words (forms.py labels them).
    lightspeed_pos_enabled = models.BooleanField(default=True)
    order_download = models.BooleanField(default=True)
    inventory_upload = models.BooleanField(default=True)
    price_upload = models.BooleanField(default=False)
    cost_upload = models.BooleanField(default=False)
    auto_enable_new_products = models.BooleanField(default=False)
    auto_create_products = models.BooleanField(default=False)
    use_company_address = models.BooleanField(default=False)
    returns_warehouse_id = models.PositiveIntegerField(null=True, blank=True)
    orders_since = models.DateTimeField(null=True, blank=True, help_text="import sales completed after this")
    warehouses = models.JSONField(default=list, blank=True, help_text="[{ID, Name}] as last downloaded")
    warehouses_at = models.DateTimeField(null=True, blank=True)
    company_address = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="sellercloud_settings_one_per_tenant")]

    def __str__(self):
        return f"Sellercloud settings of {self.tenant_id}"


class SellercloudShop(TenantOwned):
    """One Lightspeed shop mapped to Sellercloud warehouses, with the employee and register of that shop.
    No warehouse: the shop sends and receives nothing."""

    shop_ls_id = models.BigIntegerField()
    warehouse_ids = models.JSONField(default=list, blank=True)
    employee_ls_id = models.BigIntegerField(null=True, blank=True)
    register_ls_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "shop_ls_id"], name="sellercloud_shop_unique")]

    def __str__(self):
        return f"shop {self.shop_ls_id} -> {self.warehouse_ids}"


class SellercloudProduct(TenantOwned):
    """A Sellercloud product as last read, its stock per warehouse, and the Lightspeed item it is linked to."""

    class Link(models.TextChoices):
        NONE = "", "Not linked"
        MATCHED = "matched", "Matched an existing Lightspeed item"
        CREATED = "created", "Created in Lightspeed"

    sku = models.CharField(max_length=100)
    name = models.CharField(max_length=300, blank=True)
    upc = models.CharField(max_length=40, blank=True)
    ean = models.CharField(max_length=40, blank=True)
    manufacturer_sku = models.CharField(max_length=100, blank=True)
    price = models.DecimalField(null=True, blank=True, **MONEY)
    cost = models.DecimalField(null=True, blank=True, **MONEY)
    lightspeed_enabled = models.BooleanField(default=False)
    warehouse_qty = models.JSONField(default=dict, blank=True, help_text="{warehouse id: physical qty}")
    item_ls_id = models.BigIntegerField(null=True, blank=True)
    link = models.CharField(max_length=10, choices=Link.choices, blank=True, default="")
    uploaded = models.JSONField(default=dict, blank=True, help_text="what we last wrote: {qoh: {shop: n}, price, cost}")
    sc_modified = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "sku"], name="sellercloud_product_unique")]
        indexes = [models.Index(fields=["tenant", "item_ls_id"], name="sellercloud_product_item")]

    def __str__(self):
        return self.sku


class SellercloudOrder(OrderLedger):
    """The ledger rows of this channel (channel="sellercloud"): one per Lightspeed sale sent."""

    class Meta:
        proxy = True
        verbose_name = "Sellercloud order"
        verbose_name_plural = "Sellercloud orders"
