"""Secrets at rest: MultiFernet over the SECRETS_KEYS list (first key encrypts)."""
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=1)
def _fernet(keys):
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet():
    return _fernet(tuple(settings.SECRETS_KEYS))


def encrypt(value):
    return fernet().encrypt(value.encode()).decode()


def decrypt(token):
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise InvalidToken("a secret could not be decrypted: is its key still in SECRETS_KEYS?") from exc


def rotate(token):
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Stored encrypted; read back as plain text. Empty stays empty."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


def secrets_rotate(*, batch_size=500):
    """Re-encrypt every EncryptedTextField value with the first key of SECRETS_KEYS.

    Each value is read (decrypted with whichever key still matches) and written back, which
    encrypts it with the first key. Afterwards the old keys can leave SECRETS_KEYS.
    Returns {model label: rows rewritten}.
    """
    from django.db import transaction

    rewritten = {}
    for model, names in encrypted_fields():
        rows = model._base_manager.order_by("pk").values_list("pk", *names)
        count = 0
        for pk, *values in rows.iterator(chunk_size=batch_size):
            changes = {name: value for name, value in zip(names, values) if value}
            if changes:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**changes)
                count += 1
        rewritten[model._meta.label] = count
    return rewritten


def encrypted_fields():
    from django.apps import apps

    for model in apps.get_models():
        names = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names
