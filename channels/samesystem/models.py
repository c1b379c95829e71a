"""SameSystem settings, departments (each mapped to a Lightspeed shop), register numbers, the days sent,
and historical imports. Per tenant."""
import secrets

from django.db import models

from connector.crypto import EncryptedTextField
from tenants.scoping import TenantOwned

FIGURES = (  # key -> the seed's name of the POS data field
    ("gross_sales", "Gross sales"), ("net_sales", "Net sales"), ("discounts", "Discounts"), ("returns", "Returns"),
    ("transactions", "Transactions"), ("goods_sold", "Number of goods sold"),
    ("goods_returned", "Number of returned goods"), ("visitors", "Visitors (optional)"),
)


def new_csv_token():
    return secrets.token_urlsafe(32)


class SameSystemSettings(TenantOwned):
    enabled = models.BooleanField(default=False)
    email = models.CharField(max_length=200, blank=True, help_text="SameSystem API user (For API usage)")
    password = EncryptedTextField(blank=True)
    vat_included = models.BooleanField(default=True, help_text="gross and net sales include VAT")
    auto_confirm = models.BooleanField(default=False, help_text="confirm each day after saving it")
    field_map = models.JSONField(default=dict, blank=True, help_text="figure key -> weekly-balance field_id")
    fields_seen = models.JSONField(default=list, blank=True, help_text="/weekly_balance/fields at the last check")
    csv_token = models.CharField(max_length=64, unique=True, default=new_csv_token)
    sftp_host = models.CharField(max_length=200, blank=True, help_text="upload the CSV here too; blank: no upload")
    sftp_port = models.PositiveIntegerField(default=22)
    sftp_user = models.CharField(max_length=100, blank=True)
    sftp_password = EncryptedTextField(blank=True)
    sftp_host_key = models.TextField(blank=True, help_text="the server's public host key (OpenSSH), checked when set")
    sftp_directory = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="samesystem_settings_one_per_tenant")]

    def __str__(self):
        return f"SameSystem settings of {self.tenant_id}"


class SameSystemDepartment(TenantOwned):
    """A SameSystem department as /departments lists it; the ctx token never changes, the name can."""

    ctx_token = models.CharField(max_length=40)
    name = models.CharField(max_length=200, blank=True)
    dpt_no = models.CharField(max_length=60, blank=True, help_text="blank when SameSystem has none (null)")
    register_count = models.PositiveIntegerField(default=1)
    lightspeed_shop_ls_id = models.BigIntegerField(null=True, blank=True)
    seen = models.BooleanField(default=True, help_text="listed at the last check")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "ctx_token"], name="samesystem_department_unique")]

    def __str__(self):
        return f"{self.name} ({self.ctx_token})"


class SameSystemRegister(TenantOwned):
    """A Lightspeed register and the SameSystem register number it is (the seed's "POS terminal number")."""

    register_ls_id = models.BigIntegerField()
    register_number = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "register_ls_id"], name="samesystem_register_unique")]


class SameSystemDay(TenantOwned):
    """One department × register × day as last sent: the values, and SameSystem's answer."""

    department = models.ForeignKey(SameSystemDepartment, on_delete=models.CASCADE, related_name="days")
    register_number = models.PositiveIntegerField()
    day = models.DateField()
    values = models.JSONField(default=dict)
    confirmed = models.BooleanField(default=False)
    problem = models.TextField(blank=True, help_text="SameSystem's message when save or confirm was refused")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "department", "register_number", "day"],
                                               name="samesystem_day_unique")]


class SameSystemImport(TenantOwned):
    """A historical import the owner asked for: departments × a date range, in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    department_ids = models.JSONField(default=list)
    date_from = models.DateField()
    date_to = models.DateField()
    overwrite_approved = models.BooleanField(default=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    days_total = models.PositiveIntegerField(default=0)
    days_done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def percent(self):
        return int(100 * self.days_done / self.days_total) if self.days_total else 0
