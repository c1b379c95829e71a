from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

import pytest

from connector.crypto import encrypted_fields
from lightspeed.models import Connection

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw_tokens(conn):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT access_token, refresh_token FROM {Connection._meta.db_table} WHERE id = %s", [conn.pk])
        return cursor.fetchone()


def test_the_connection_tokens_are_among_the_encrypted_fields():
    fields = dict(encrypted_fields())[Connection]
    assert "access_token" in fields and "refresh_token" in fields


def test_rotate_secrets_reencrypts_with_the_first_key(tenant, settings, capsys):
    settings.SECRETS_KEYS = [OLD]
    conn = Connection.unscoped.create(tenant=tenant, access_token="access-1234567", refresh_token="refresh-7654321")
    old_access, _ = raw_tokens(conn)
    assert "access-1234567" not in old_access
    assert Fernet(OLD).decrypt(old_access.encode()) == b"access-1234567"

    settings.SECRETS_KEYS = [NEW, OLD]
    call_command("rotate_secrets")
    assert "lightspeed.Connection: 1 row(s) re-encrypted" in capsys.readouterr().out
    new_access, new_refresh = raw_tokens(conn)
    assert Fernet(NEW).decrypt(new_access.encode()) == b"access-1234567"
    assert Fernet(NEW).decrypt(new_refresh.encode()) == b"refresh-7654321"
    with pytest.raises(InvalidToken):
        Fernet(OLD).decrypt(new_access.encode())

    settings.SECRETS_KEYS = [NEW]  # the old key is gone: everything still reads
    conn = Connection.unscoped.get(pk=conn.pk)
    assert (conn.access_token, conn.refresh_token) == ("access-1234567", "refresh-7654321")


def test_without_its_key_a_secret_does_not_decrypt(tenant, settings):
    settings.SECRETS_KEYS = [OLD]
    conn = Connection.unscoped.create(tenant=tenant, access_token="access-1234567")
    settings.SECRETS_KEYS = [NEW]
    with pytest.raises(InvalidToken, match="SECRETS_KEYS"):
        Connection.unscoped.get(pk=conn.pk)
