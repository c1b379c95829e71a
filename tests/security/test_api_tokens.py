"""API tokens are stored hashed, shown once, listed and revoked by their owner, and end with a new password."""
import hashlib

from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from tenants.models import ApiToken
from tenants.tokens import api_token_create


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_api_token_endpoint_returns_a_key_that_is_stored_only_as_a_digest(owner):
    response = APIClient().post("/api/token/", {"username": owner.user.username, "password": "pw-shop-a"},
                                format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get(user=owner.user)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:  # the key itself is nowhere in the token table
        cursor.execute("SELECT * FROM tenants_apitoken")
        assert key not in str(cursor.fetchall())
    assert APIClient().get("/api/connection/", **_auth(key)).status_code == 200


def test_wrong_and_revoked_keys_are_refused(owner):
    token, key = api_token_create(user=owner.user)
    wrong_key = key[:-1] + ("x" if key[-1] != "x" else "y")
    assert APIClient().get("/api/connection/", **_auth(wrong_key)).status_code in (401, 403)
    client = APIClient()
    assert client.delete(f"/api/tokens/{token.pk}/", **_auth(key)).status_code == 204
    assert APIClient().get("/api/connection/", **_auth(key)).status_code in (401, 403)


def test_owner_lists_creates_and_revokes_only_their_tokens(owner, other):
    token, key = api_token_create(user=owner.user, name="script")
    theirs, _ = api_token_create(user=other.user)
    client = APIClient()
    listed = client.get("/api/tokens/", **_auth(key)).json()
    assert [t["prefix"] for t in listed] == [token.prefix] and listed[0]["name"] == "script"
    assert "digest" not in listed[0] and key not in str(listed)
    created = client.post("/api/tokens/", {"name": "second"}, format="json", **_auth(key))
    assert created.status_code == 201 and created.json()["token"].startswith("lsc_")
    assert client.delete(f"/api/tokens/{theirs.pk}/", **_auth(key)).status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_account_page_shows_a_new_token_once_and_revokes_it(client, owner):
    client.force_login(owner.user)
    response = client.post(reverse("api_token"), {"name": "reports"})
    key = response.context["new_token"]["key"]
    assert key in response.content.decode()
    page = client.get(reverse("account")).content.decode()
    assert key not in page and key[:12] in page and "reports" in page
    token = ApiToken.objects.get(user=owner.user)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_password_reset_revokes_every_token(client, owner):
    _, key = api_token_create(user=owner.user)
    api_token_create(user=owner.user)
    uid = urlsafe_base64_encode(force_bytes(owner.user.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(owner.user)])
    form_url = client.get(url).url  # Django moves the token into the session, then shows the form
    response = client.post(form_url, {"new_password1": "A-new-long-passphrase-9",
                                      "new_password2": "A-new-long-passphrase-9"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=owner.user).exists()
    assert APIClient().get("/api/connection/", **_auth(key)).status_code in (401, 403)


def test_password_change_anywhere_revokes_tokens(owner):
    api_token_create(user=owner.user)
    form = SetPasswordForm(owner.user, {"new_password1": "Another-passphrase-77",
                                        "new_password2": "Another-passphrase-77"})
    assert form.is_valid()
    form.save()
    assert not ApiToken.objects.filter(user=owner.user).exists()


def test_admin_lists_no_plain_token_keys(client, owner, django_user_model):
    _, key = api_token_create(user=owner.user)
    support = django_user_model.objects.create_superuser("support@example.com", "support@example.com", "pw")
    client.force_login(support)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert key not in client.get("/admin/").content.decode()


def test_openapi_operations_have_user_descriptions_not_docstrings():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            text = operation.get("description", "")
            assert operation.get("summary") and text, f"{method.upper()} {path} has no summary/description"
            assert "Mixin" not in text and "tenant context" not in text, f"{method.upper()} {path}: {text[:60]}"
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_owners_get_event_messages_without_tracebacks(owner):
    from connector.models import SyncEvent, SyncRun
    from django.utils import timezone

    now = timezone.now()
    run = SyncRun.objects.for_tenant(owner.tenant).create(tenant=owner.tenant, job="miinto.feed_check",
                                                          trigger="manual", status="partial", started_at=now,
                                                          heartbeat_at=now)
    SyncEvent.objects.for_tenant(owner.tenant).create(
        tenant=owner.tenant, run=run, created_at=now, level="error", message="unexpected KeyError: 'sku'",
        data={"traceback": 'File "/app/channels/miinto/feed.py", line 1', "status": 400})
    _, key = api_token_create(user=owner.user)
    body = APIClient().get(f"/api/runs/{run.pk}/events/", **_auth(key)).json()
    event = body["results"][0]
    assert event["message"] == "unexpected KeyError: 'sku'" and event["data"] == {"status": 400}
    assert "/app/" not in str(body)
