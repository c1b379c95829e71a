from django.core.exceptions import ValidationError

from connector.http import transport_overrides

from .models import DummySettings

FIELDS = {"account", "api_key"}


def dummy_settings_get(*, tenant):
    settings, _ = DummySettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    return settings


def dummy_settings_update(*, tenant, **fields):
    unknown = set(fields) - FIELDS - {"enabled"}
    if unknown:
        raise ValidationError({name: "This setting does not exist." for name in unknown})
    settings = dummy_settings_get(tenant=tenant)
    for name, value in fields.items():
        if value or name not in {"api_key"}:
            setattr(settings, name, value)
    if settings.enabled and not (settings.account and settings.api_key):
        raise ValidationError({"account": "Enter the dummy account and API key before switching it on."})
    settings.save()
    return settings


def dummy_switch(*, tenant, on):
    return dummy_settings_update(tenant=tenant, enabled=on)


def dummy_sync(*, ctx):
    import httpx

    settings = dummy_settings_get(tenant=ctx.tenant)
    with httpx.Client(base_url="http://dummy.invalid", transport=transport_overrides.get("dummy")) as client:
        client.post("/login", headers={"X-Key": settings.api_key})
        items = client.get("/items").json()["items"]
        ctx.count("items.read", len(items))
        if not ctx.dry_run:
            client.post("/items", json=items)
            ctx.count("pushed", len(items))
