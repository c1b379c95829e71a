"""Buckles settings writes: validated (every error names its field and says what to do), the shop mapping,
the status table, the on/off switch and the webhook URL token."""
from django.core.exceptions import ValidationError
from django.db import transaction

from lightspeed.models import Shop

from .models import BucklesSettings, BucklesShop, new_webhook_token
from .statuses import BUCKLES_STATUSES, LIGHTSPEED_STATES

EDITABLE_FIELDS = {"enabled", "account", "api_token", "webhook_secret", "source", "currency", "status_map",
                   "sync_products", "sync_customers", "sync_checkouts"}
WRITE_ONLY_FIELDS = {"api_token", "webhook_secret"}  # blank keeps the stored value


def buckles_settings_get_or_create(*, tenant):
    settings, _ = BucklesSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    return settings


def _status_map_errors(status_map):
    if not isinstance(status_map, dict):
        return ["Give the status table as Lightspeed state -> Buckles status."]
    problems = []
    for state, status in status_map.items():
        if state not in LIGHTSPEED_STATES:
            problems.append(f"“{state}” is not a Lightspeed state we know ({', '.join(LIGHTSPEED_STATES)}).")
        elif status and status not in BUCKLES_STATUSES:
            problems.append(f"{LIGHTSPEED_STATES[state]}: “{status}” is not a Buckles status; pick one from the list.")
    return problems


def _validate_fields(current, fields):
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: "This setting does not exist." for name in sorted(unknown)})
    errors = {}
    if "status_map" in fields and (problems := _status_map_errors(fields["status_map"])):
        errors["status_map"] = problems
    if "currency" in fields and not (len(fields["currency"] or "") == 3 and fields["currency"].isalpha()):
        errors["currency"] = "Use a three-letter currency code, e.g. EUR."
    if "source" in fields and not (fields["source"] or "").replace("-", "").replace("_", "").isalnum():
        errors["source"] = "Use letters, digits, - or _ only: it is part of the order's address in Buckles."
    token = fields.get("api_token") or current.api_token
    secret = fields.get("webhook_secret") or current.webhook_secret
    if fields.get("enabled", current.enabled) and not (token and secret):
        errors["api_token"] = "Enter the Buckles connection token and webhook secret before turning Buckles on."
    if errors:
        raise ValidationError(errors)


def _validate_shops(tenant, shops):
    problems, seen = [], set()
    for shop in shops:
        ls_shop = shop.get("lightspeed_shop_ls_id")
        if ls_shop in (None, ""):
            problems.append("Each row needs the Lightspeed shop whose sales and stock go to Buckles.")
            continue
        if not Shop.objects.for_tenant(tenant).filter(ls_id=ls_shop).exists():
            problems.append(f"Lightspeed shop {ls_shop} is not in the Lightspeed data we have; "
                            f"run the Lightspeed sync.")
        if ls_shop in seen:
            problems.append(f"Lightspeed shop {ls_shop} is listed twice; keep one row per shop.")
        seen.add(ls_shop)
    locations = [(s.get("location") or "").strip() for s in shops]
    if len(set(locations)) != len(locations):
        problems.append("Two shops have the same Buckles location; each shop needs its own (one may be blank).")
    if problems:
        raise ValidationError({"shops": problems})


def buckles_settings_update(*, tenant, shops=None, **fields):
    """Validate and save the given settings (and, when `shops` is given, replace the shop mapping)."""
    settings = buckles_settings_get_or_create(tenant=tenant)
    for name in WRITE_ONLY_FIELDS:
        if name in fields and not fields[name]:
            del fields[name]
    if fields.get("currency"):
        fields["currency"] = fields["currency"].strip().upper()
    errors = {}
    for check, args in ((_validate_fields, (settings, fields)), (_validate_shops, (tenant, shops or []))):
        try:
            check(*args)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(settings, name, value)
        settings.save()
        if shops is not None:
            _shops_replace(tenant, shops)
    return settings


def _shops_replace(tenant, shops):
    wanted = {int(s["lightspeed_shop_ls_id"]): (s.get("location") or "").strip() for s in shops}
    BucklesShop.objects.for_tenant(tenant).exclude(lightspeed_shop_ls_id__in=wanted).delete()
    for ls_id, location in wanted.items():
        BucklesShop.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, lightspeed_shop_ls_id=ls_id, defaults={"location": location})


def buckles_switch(*, tenant, on):
    """The channel's on-switch: refused (ValidationError) without a token and webhook secret, or when Buckles
    refuses the token."""
    if on:
        current = buckles_settings_get_or_create(tenant=tenant)
        _validate_fields(current, {"enabled": True})  # "Enter the token and webhook secret" first
        problems = buckles_test_connection(tenant=tenant, values={})
        if problems:
            raise ValidationError(problems)
    return buckles_settings_update(tenant=tenant, enabled=on)


def buckles_test_connection(*, tenant, values):
    """The channel contract's "Test connection": call Buckles with this token (blank: the stored one). The webhook
    secret cannot be checked from here (Buckles signs with it); a missing one is named. Writes nothing."""
    from connector.http import ApiError, Misconfigured

    from .client import BucklesClient

    stored = buckles_settings_get_or_create(tenant=tenant)
    token = values.get("api_token") or stored.api_token
    secret = values.get("webhook_secret") or stored.webhook_secret
    if not (token and secret):
        return ["Enter the Buckles connection token and webhook secret before turning Buckles on."]
    try:
        with BucklesClient(token=token) as client:
            client.account()
    except Misconfigured:
        return ["Buckles refused this connection token. Copy it again from Buckles (Lightspeed connection) "
                "and try again."]
    except ApiError as exc:
        return [f"Could not reach Buckles to check the token ({exc}). Try again in a minute."]
    return []


def buckles_webhook_rotate(*, tenant):
    """A new webhook URL; the old one answers 401 from now on."""
    settings = buckles_settings_get_or_create(tenant=tenant)
    settings.webhook_token = new_webhook_token()
    settings.save(update_fields=["webhook_token", "updated_at"])
    return settings


WEBHOOK_EVENTS = ("stock.changed", "shipment.created", "shipment.updated", "customer.updated")


def buckles_webhook_register(*, tenant, url):
    """Tell Buckles where to deliver our events (PUT /v1/webhook). Raises ValidationError with what to do."""
    from connector.errors import ConfigError
    from connector.http import ApiError

    from .client import buckles_client

    try:
        with buckles_client(tenant) as client:
            return client.webhook_put(url, WEBHOOK_EVENTS)
    except (ApiError, ConfigError) as exc:
        raise ValidationError(f"Buckles did not take the webhook address: {exc}. Check the connection token, "
                              f"or give Buckles the address by hand.") from None
