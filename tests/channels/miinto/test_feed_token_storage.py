"""Feed tokens: looked up by their SHA-256, kept only encrypted, compared in constant time; the migration
hashes the tokens that existed in plain text, and their URLs keep working."""
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from channels.miinto.models import MiintoSettings, feed_token_digest
from channels.miinto.services import miinto_feed_rotate_token, miinto_settings_get_or_create


def raw_row(tenant):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM miinto_miintosettings WHERE tenant_id = %s", [tenant.pk])
        return [str(value) for value in cursor.fetchone()]


def test_the_database_never_holds_the_token_in_plain_text(tenant):
    settings = miinto_settings_get_or_create(tenant=tenant)
    token = settings.feed_token
    assert len(token) >= 40
    row = raw_row(tenant)
    assert not any(token in value for value in row)
    assert hashlib.sha256(token.encode()).hexdigest() in row
    rotated = miinto_feed_rotate_token(tenant=tenant).feed_token
    assert rotated != token and not any(rotated in value for value in raw_row(tenant))


def test_the_owner_can_still_read_the_address(tenant):
    token = miinto_settings_get_or_create(tenant=tenant).feed_token
    assert MiintoSettings.objects.for_tenant(tenant).get().feed_token == token  # decrypted for the owner's page


def test_a_new_row_gets_a_token_whatever_creates_it(make_tenant):
    other = make_tenant("other")
    created = MiintoSettings.objects.create(tenant=other, identifier="x")
    assert created.feed_token and created.feed_token_hash == feed_token_digest(created.feed_token)


@pytest.mark.parametrize("suffix", ["", "x", "%00"])
def test_the_feed_is_found_by_its_token_only(client, tenant, suffix):
    token = miinto_settings_get_or_create(tenant=tenant).feed_token
    response = client.get(f"/channels/miinto/feed/{token}{suffix}.tsv")
    assert response.status_code == 200 if suffix == "" else response.status_code in (400, 404)


def test_the_hash_itself_is_not_a_feed_address(client, tenant):
    settings = miinto_settings_get_or_create(tenant=tenant)
    assert client.get(reverse("miinto:feed", kwargs={"token": settings.feed_token_hash})).status_code == 404


BEFORE = [("miinto", "0003_pos_choice_to_lightspeed")]
AFTER = [("miinto", "0004_feed_token_hashed")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_existing_tokens_and_their_urls_keep_working(client):
    old = migrate(BEFORE)
    tenants = old.get_model("tenants", "Tenant")
    first, second = tenants.objects.create(slug="one", name="One"), tenants.objects.create(slug="two", name="Two")
    rows = old.get_model("miinto", "MiintoSettings")
    rows.objects.create(tenant=first, feed_token="plain-token-one")
    rows.objects.create(tenant=second, feed_token="plain-token-two")
    try:
        new = migrate(AFTER)
        migrated = new.get_model("miinto", "MiintoSettings").objects.get(tenant_id=first.pk)
        assert migrated.feed_token_hash == hashlib.sha256(b"plain-token-one").hexdigest()
        assert migrated.feed_token_secret == "plain-token-one"  # decrypted on read
        with connection.cursor() as cursor:
            cursor.execute("SELECT feed_token_secret FROM miinto_miintosettings WHERE tenant_id = %s", [first.pk])
            assert "plain-token-one" not in cursor.fetchone()[0]
        back = migrate(BEFORE).get_model("miinto", "MiintoSettings")  # and it reverses
        assert back.objects.get(tenant_id=second.pk).feed_token == "plain-token-two"
        migrate(AFTER)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert client.get("/channels/miinto/feed/plain-token-two.tsv").status_code == 200


def member_of(owner, client):
    from django.contrib.auth import get_user_model

    from tenants.models import Membership

    user = get_user_model().objects.create_user(username="m@shop-a.example", email="m@shop-a.example", password="pw")
    Membership.objects.create(user=user, tenant=owner.tenant, role="member")
    client.force_login(user)
    return user


def test_members_see_only_a_hint_of_the_address(client, owner):
    token = miinto_settings_get_or_create(tenant=owner.tenant).feed_token
    member_of(owner, client)
    html = client.get(reverse("miinto:settings")).content.decode()
    assert token not in html and f"/feed/{token[:4]}****" in html
    api = client.get("/api/channels/miinto/feed/").json()["feed_url"]
    assert token not in api and api.endswith(f"/feed/{token[:4]}****.tsv")


def test_owners_see_the_whole_address(owner_client, owner):
    token = miinto_settings_get_or_create(tenant=owner.tenant).feed_token
    assert token in owner_client.get(reverse("miinto:settings")).content.decode()
    assert owner_client.get("/api/channels/miinto/feed/").json()["feed_url"].endswith(f"/feed/{token}.tsv")
