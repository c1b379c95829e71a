"""Buckles, per tenant: settings, the shop mapping, inbound events (stored before processing), the orders
we pushed, the product/customer links, and the stock we wrote or sent (echo and conflict checks).

Everything here speaks the PROVISIONAL contract of docs/buckles.md (Buckles publishes no API)."""
import secrets

from django.db import models

from connector.crypto import EncryptedTextField
from tenants.scoping import TenantOwned


def new_webhook_token():
    return secrets.token_urlsafe(24)


class BucklesSettings(TenantOwned):
    enabled = models.BooleanField(default=False)
    account = models.CharField(max_length=200, blank=True, help_text="Buckles account name (shown, not a secret)")
    api_token = EncryptedTextField(blank=True, help_text="Buckles connection token (Bearer)")
    webhook_secret = EncryptedTextField(blank=True, help_text="Buckles webhook signing secret (HMAC key)")
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token)
    source = models.CharField(max_length=40, default="lightspeed", help_text="order source name in Buckles")
    currency = models.CharField(max_length=3, default="EUR")
    status_map = models.JSONField(default=dict, blank=True, help_text="Lightspeed state -> Buckles status")
    events_cursor = models.CharField(max_length=100, blank=True, help_text="where the events feed poll left off")
    sync_products = models.BooleanField(default=True)
    sync_customers = models.BooleanField(default=True)
    sync_checkouts = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="buckles_settings_one_per_tenant")]
        verbose_name = verbose_name_plural = "Buckles settings"

    def __str__(self):
        return f"Buckles settings of {self.tenant_id}"


class BucklesShop(TenantOwned):
    """A Lightspeed shop whose sales and stock flow to Buckles, with its Buckles stock location."""

    lightspeed_shop_ls_id = models.BigIntegerField()
    location = models.CharField(max_length=100, blank=True, help_text="Buckles stock location (blank: the default)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "lightspeed_shop_ls_id"], name="buckles_shop_unique")]

    def __str__(self):
        return f"shop {self.lightspeed_shop_ls_id} -> {self.location or 'default'}"


class BucklesEvent(TenantOwned):
    """One inbound event (webhook delivery or polled), stored before it is processed; the delivery id dedupes."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Applied"
        IGNORED = "ignored", "Ignored (see the note)"
        CONFLICT = "conflict", "Conflict (logged, not applied)"
        RETRY = "retry", "Waiting for its order"
        FAILED = "failed", "Needs attention"

    delivery_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=60)
    occurred_at = models.DateTimeField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    via = models.CharField(max_length=10, default="webhook")  # webhook | poll
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "delivery_id"], name="buckles_event_unique")]
        indexes = [models.Index(fields=["tenant", "state", "occurred_at"], name="buckles_event_state")]

    def __str__(self):
        return f"{self.event_type} {self.delivery_id} ({self.state})"


class BucklesOrder(TenantOwned):
    """A Lightspeed sale as pushed to Buckles: the row is written before the push; the hash says what was sent."""

    sale_ls_id = models.BigIntegerField()
    status = models.CharField(max_length=30, blank=True, help_text="Buckles status last sent")
    payload_hash = models.CharField(max_length=64, blank=True)
    buckles_id = models.CharField(max_length=100, blank=True)
    pushes = models.PositiveIntegerField(default=0)
    shipment_sent = models.BooleanField(default=False, help_text="Buckles knows it shipped (we sent it or it told us)")
    shipment_event_at = models.DateTimeField(null=True, blank=True, help_text="the last Buckles shipment applied")
    last_error = models.TextField(blank=True)
    first_sent_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, help_text="synced_at of the sale last compared")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "sale_ls_id"], name="buckles_order_unique")]

    def __str__(self):
        return f"sale {self.sale_ls_id} -> {self.status or 'not sent'}"


class BucklesLink(TenantOwned):
    """A Lightspeed product or customer and the Buckles record it is linked to."""

    class Kind(models.TextChoices):
        PRODUCT = "product", "Product"
        CUSTOMER = "customer", "Customer"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    ls_id = models.BigIntegerField()
    buckles_id = models.CharField(max_length=100, blank=True)
    key = models.CharField(max_length=254, blank=True, help_text="SKU of a product, email of a customer")
    linked_existing = models.BooleanField(default=False, help_text="Buckles already knew it (matched, not created)")
    payload_hash = models.CharField(max_length=64, blank=True)
    buckles_at = models.DateTimeField(null=True, blank=True, help_text="the last Buckles change applied")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "kind", "ls_id"], name="buckles_link_unique")]
        indexes = [models.Index(fields=["tenant", "kind", "key"], name="buckles_link_key")]


class BucklesStock(TenantOwned):
    """Stock of one item in one mapped shop as both sides last agreed: what we sent, what Buckles set.

    `known_qoh` is the Lightspeed qoh we last saw or wrote; a Lightspeed change is one that differs from it.
    """

    item_ls_id = models.BigIntegerField()
    shop_ls_id = models.BigIntegerField()
    known_qoh = models.IntegerField(null=True, blank=True)
    sent_qoh = models.IntegerField(null=True, blank=True)
    written_qoh = models.IntegerField(null=True, blank=True, help_text="qoh we wrote to Lightspeed from Buckles")
    buckles_at = models.DateTimeField(null=True, blank=True, help_text="occurred_at of the last Buckles change applied")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "item_ls_id", "shop_ls_id"],
                                               name="buckles_stock_unique")]
        verbose_name = verbose_name_plural = "Buckles stock agreed"
