"""Miinto settings, per tenant. The order ledger itself is connector.OrderLedger (channel="miinto")."""
import hashlib
import secrets

from django.db import models

from connector.crypto import EncryptedTextField
from connector.models import OrderLedger
from tenants.scoping import TenantOwned


def new_feed_token():
    return secrets.token_urlsafe(32)


def feed_token_digest(token):
    """What the feed is looked up by: SHA-256 of the URL's token (a 256-bit random secret needs no slow hash)."""
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).hexdigest()


class MiintoSettings(TenantOwned):
    class UnfulfillablePolicy(models.TextChoices):
        DECLINE = "decline", "Decline positions we cannot fulfil"
        LEAVE_PENDING = "leave_pending", "Leave them pending for me to decide in Miinto"

    class VoidPolicy(models.TextChoices):
        DECLINE = "decline", "Decline the order on Miinto"
        LEAVE = "leave", "Leave the order as it is on Miinto"

    enabled = models.BooleanField(default=False)
    identifier = models.CharField(max_length=200, blank=True, help_text="Miinto channel identifier (user name)")
    secret = EncryptedTextField(blank=True, help_text="Miinto channel secret")
    # Feed: looked up by the token's hash; the token itself is kept only encrypted, so the owner's page can
    # show the URL again (docs/security.md, "Feed tokens").
    feed_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    feed_token_secret = EncryptedTextField(blank=True, editable=False)
    feed_basic_user = models.CharField(max_length=100, blank=True)
    feed_basic_password = EncryptedTextField(blank=True)
    feed_price_level_ls_id = models.BigIntegerField(null=True, blank=True)
    feed_only_in_stock = models.BooleanField(default=False)
    feed_category_ls_ids = models.JSONField(default=list, blank=True, help_text="empty = all categories")
    feed_extra_columns = models.BooleanField(default=False,
                                             help_text="c:stock_level:integer, prices in cents, image_link")
    feed_currency = models.CharField(max_length=3, default="DKK")
    # Orders
    order_prefix = models.CharField(max_length=20, default="MIINTO-")
    shipping_method_map = models.JSONField(default=dict, blank=True, help_text="Miinto shipping type -> note/method")
    unfulfillable_policy = models.CharField(
        max_length=20, choices=UnfulfillablePolicy.choices, default=UnfulfillablePolicy.DECLINE
    )
    void_policy = models.CharField(max_length=10, choices=VoidPolicy.choices, default=VoidPolicy.DECLINE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="miinto_settings_one_per_tenant")]
        verbose_name = verbose_name_plural = "Miinto settings"

    def __str__(self):
        return f"Miinto settings of {self.tenant_id}"

    @property
    def feed_token(self):
        return self.feed_token_secret

    def set_feed_token(self, token):
        self.feed_token_secret, self.feed_token_hash = token, feed_token_digest(token)

    def save(self, *args, **kwargs):
        if not self.feed_token_hash:  # every row has a feed address from its first save on
            self.set_feed_token(new_feed_token())
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "feed_token_hash", "feed_token_secret"}
        super().save(*args, **kwargs)


class MiintoShop(TenantOwned):
    """One Miinto shop (one per country) mapped to the Lightspeed shop whose stock it sells."""

    shop_id = models.CharField(max_length=60, help_text="Miinto shop id, e.g. 1-m!i!s-045-1234")
    country = models.CharField(max_length=2, blank=True)
    lightspeed_shop_ls_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "shop_id"], name="miinto_shop_unique")]

    def __str__(self):
        return self.shop_id


class MiintoOrder(OrderLedger):
    """The ledger rows of this channel (channel="miinto"), for admin and the owner's pages."""

    class Meta:
        proxy = True
        verbose_name = "Miinto order"
        verbose_name_plural = "Miinto orders"


class MiintoFeedFile(TenantOwned):
    """A rendered feed (TSV and its gzip), kept in the "feeds" storage and served as a file.

    `shop_ls_id` 0 is the feed's own file; a Miinto shop's feed has the file of the Lightspeed shop it is mapped
    to. `variant` records the settings version and POS choice it was rendered for: when either changed, the
    file is stale and the feed streams live until it is rendered again.
    """

    shop_ls_id = models.BigIntegerField(help_text="0: the feed's own file")
    variant = models.CharField(max_length=200)
    etag = models.CharField(max_length=64)
    last_modified = models.DateTimeField()
    rendered_at = models.DateTimeField()
    name = models.CharField(max_length=300, help_text="storage name of the TSV; the gzip is the same + .gz")
    rows = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    gzip_size = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "shop_ls_id"], name="miinto_feedfile_unique")]

    def __str__(self):
        return f"feed file of {self.tenant_id} (shop {self.shop_ls_id})"
