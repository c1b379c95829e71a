import secrets

from django.db import models

from connector.crypto import EncryptedTextField
from tenants.scoping import TenantOwned


def new_token():
    return secrets.token_urlsafe(16)


class DummySettings(TenantOwned):
    enabled = models.BooleanField(default=False)
    account = models.CharField(max_length=100, blank=True)
    api_key = EncryptedTextField(blank=True)
    webhook_token = models.CharField(max_length=64, default=new_token)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant"], name="dummy_settings_one_per_tenant")]
