"""SmartEtailing settings and locations, per tenant. The order ledger is connector.OrderLedger
(channel="smartetailing"), keyed by the feed's OrderId."""
from django.db import models

from connector.crypto import EncryptedTextField
from connector.models import OrderLedger
from tenants.scoping import TenantOwned


class SmartEtailingSettings(TenantOwned):
    enabled = models.BooleanField(default=False)
    # The XML order service (feeds.cfc) of the merchant's website.
    order_service_url = models.CharField(
        max_length=300, blank=True,
        help_text="The website's base URL, e.g. https://www.example-bikes.com (blank: the configured default)")
    merchant_id = models.CharField(max_length=40, blank=True)
    url_key = EncryptedTextField(blank=True)
    # The POS FTP (posftp.smartetailing.com).
    ftp_host = models.CharField(max_length=200, blank=True, help_text="host[:port] (blank: the configured default)")
    ftp_account = models.CharField(max_length=20, blank=True, help_text="the 4-digit FTP account number")
    ftp_password = EncryptedTextField(blank=True)
    # Import settings: which items are sent (the seed's defaults).
    filter_on_hand = models.BooleanField(default=True, help_text="Balance on hand is greater than 0")
    filter_on_order = models.BooleanField(default=False, help_text="Balance on order is greater than 0")
    filter_reorder = models.BooleanField(default=False,
                                         help_text="Reorder point or maximum stock level is greater than 0")
    # POS pricing.
    pos_pricing = models.BooleanField(default=False)
    regular_price_level_ls_id = models.BigIntegerField(null=True, blank=True)
    sale_price_level_ls_id = models.BigIntegerField(null=True, blank=True)
    # Order export.
    export_orders = models.BooleanField(default=False)
    export_when_fulfilled = models.BooleanField(default=False)
    status_after_export = models.CharField(max_length=60, blank=True, help_text="blank: no change")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="smartetailing_settings_one_per_tenant")]
        verbose_name = verbose_name_plural = "SmartEtailing settings"

    def __str__(self):
        return f"SmartEtailing settings of {self.tenant_id}"


class SmartEtailingLocation(TenantOwned):
    """One Lightspeed shop mapped to the SmartEtailing location named by its Neighborhood Descriptor.

    The last_* fields remember the last file uploaded for it ("no file when nothing changed")."""

    lightspeed_shop_ls_id = models.BigIntegerField()
    neighborhood_descriptor = models.CharField(max_length=100)
    last_checksum = models.CharField(max_length=64, blank=True)
    last_source = models.CharField(max_length=200, blank=True, help_text="the mirror's cursors at the last build")
    last_file_name = models.CharField(max_length=200, blank=True)
    last_rows = models.PositiveIntegerField(default=0)
    last_uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "lightspeed_shop_ls_id"], name="smartetailing_location_shop"),
            models.UniqueConstraint(fields=["tenant", "neighborhood_descriptor"], name="smartetailing_location_name"),
        ]

    def __str__(self):
        return self.neighborhood_descriptor


class SmartEtailingOrder(OrderLedger):
    """The ledger rows of this channel (channel="smartetailing"), for admin."""

    class Meta:
        proxy = True
        verbose_name = "SmartEtailing order"
        verbose_name_plural = "SmartEtailing orders"
