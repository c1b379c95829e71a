"""Miinto settings per tenant: read with defaults, validate and update, rotate the feed URL.

Every error says what to do; ValidationError is keyed by the field (the form shows it next to the input).
"""
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from lightspeed.models import Category, Employee, PriceLevel, Register, Shop

from .models import MiintoSettings, MiintoShop, new_feed_token

EDITABLE_FIELDS = {
    "enabled", "identifier", "secret",
    "feed_basic_user", "feed_basic_password", "feed_price_level_ls_id", "feed_shop_ls_id",
    "feed_only_in_stock", "feed_category_ls_ids", "feed_extra_columns", "feed_currency",
    "order_prefix", "register_ls_id", "employee_ls_id", "shipping_method_map",
    "unfulfillable_policy", "void_policy",
}
WRITE_ONLY_FIELDS = {"secret", "feed_basic_password"}  # blank keeps the stored value
ORDER_PREFIX = re.compile(r"^[A-Za-z0-9#/_.-]{0,20}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MIINTO_NAME = "miinto"


# --- defaults from the mirror --------------------------------------------------------------------------

def miinto_default_register_ls_id(*, tenant):
    """The register named "Miinto" (the seed recommends creating one), when it exists."""
    return (Register.objects.for_tenant(tenant).filter(archived=False, name__iexact=MIINTO_NAME)
            .order_by("ls_id").values_list("ls_id", flat=True).first())


def miinto_default_employee_ls_id(*, tenant):
    employees = Employee.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    for ls_id, first, last in employees.values_list("ls_id", "first_name", "last_name"):
        if MIINTO_NAME in (first.strip().lower(), last.strip().lower(), f"{first} {last}".strip().lower()):
            return ls_id
    return None


def miinto_settings_get_or_create(*, tenant):
    """The tenant's settings; register and employee default to the "Miinto" ones once they are in the mirror."""
    settings, _ = MiintoSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    changed = []
    if settings.register_ls_id is None and (register := miinto_default_register_ls_id(tenant=tenant)):
        settings.register_ls_id = register
        changed.append("register_ls_id")
    if settings.employee_ls_id is None and (employee := miinto_default_employee_ls_id(tenant=tenant)):
        settings.employee_ls_id = employee
        changed.append("employee_ls_id")
    if changed:
        settings.save(update_fields=changed + ["updated_at"])
    return settings


# --- validation ----------------------------------------------------------------------------------------

def _exists(model, tenant, ls_id):
    return model.objects.for_tenant(tenant).filter(ls_id=ls_id).exists()


def _check_mirror_ref(errors, tenant, field, value, model, what):
    if value in (None, ""):
        return
    if not _exists(model, tenant, value):
        errors[field] = (f"{what} {value} is not in the Lightspeed data we have. Pick one from the list, "
                         f"or run the Lightspeed sync if you just created it.")


ID_FIELDS = ("feed_price_level_ls_id", "feed_shop_ls_id", "register_ls_id", "employee_ls_id")


def _coerce_ids(fields):
    """Lightspeed ids may arrive as strings (forms, JSON); store ints, blank = not set."""
    errors = {}
    for name in ID_FIELDS:
        if name in fields:
            value = fields[name]
            try:
                fields[name] = None if value in (None, "") else int(value)
            except (TypeError, ValueError):
                errors[name] = f"“{value}” is not a Lightspeed id; pick one from the list."
    if "feed_category_ls_ids" in fields:
        try:
            fields["feed_category_ls_ids"] = sorted({int(v) for v in fields["feed_category_ls_ids"] or []})
        except (TypeError, ValueError):
            errors["feed_category_ls_ids"] = "Categories must be Lightspeed category ids; pick them from the list."
    if errors:
        raise ValidationError(errors)


def _validate_fields(tenant, current, fields):
    errors = {}
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: "This setting does not exist." for name in sorted(unknown)})
    _coerce_ids(fields)
    _check_mirror_ref(errors, tenant, "feed_price_level_ls_id", fields.get("feed_price_level_ls_id"), PriceLevel, "Price level")
    _check_mirror_ref(errors, tenant, "feed_shop_ls_id", fields.get("feed_shop_ls_id"), Shop, "Shop")
    _check_mirror_ref(errors, tenant, "register_ls_id", fields.get("register_ls_id"), Register, "Register")
    _check_mirror_ref(errors, tenant, "employee_ls_id", fields.get("employee_ls_id"), Employee, "Employee")
    categories = fields.get("feed_category_ls_ids")
    if categories:
        known = set(Category.objects.for_tenant(tenant).filter(ls_id__in=categories).values_list("ls_id", flat=True))
        missing = sorted(set(categories) - known)
        if missing:
            errors["feed_category_ls_ids"] = (f"Categories {', '.join(map(str, missing))} are not in the Lightspeed "
                                              f"data we have. Pick categories from the list.")
    if "order_prefix" in fields and not ORDER_PREFIX.match(fields["order_prefix"] or ""):
        errors["order_prefix"] = ("Use at most 20 letters, digits or - _ . # / (no spaces): it is put in front of the "
                                  "Miinto order id in the Lightspeed sale's reference number.")
    if "feed_currency" in fields and not CURRENCY.match(fields["feed_currency"] or ""):
        errors["feed_currency"] = "Use a three-letter currency code in capitals, e.g. DKK, SEK, EUR."
    for field, choices in (("unfulfillable_policy", MiintoSettings.UnfulfillablePolicy),
                           ("void_policy", MiintoSettings.VoidPolicy)):
        if field in fields and fields[field] not in choices.values:
            errors[field] = f"Choose one of: {', '.join(choices.labels)}."
    shipping = fields.get("shipping_method_map")
    if shipping is not None and not _valid_shipping_map(shipping):
        errors["shipping_method_map"] = ("Map each Miinto shipping method to a non-empty Lightspeed shipping "
                                         "method or note, one per line: miinto method = lightspeed method.")
    user = fields.get("feed_basic_user", current.feed_basic_user)
    password = fields.get("feed_basic_password") or current.feed_basic_password
    if user and not password:
        errors["feed_basic_password"] = "Set a password for the feed's user name, or clear the user name."
    if user and ":" in user:
        errors["feed_basic_user"] = "The feed's user name cannot contain a colon (HTTP Basic uses it as separator)."
    identifier = fields.get("identifier", current.identifier)
    secret = fields.get("secret") or current.secret
    if fields.get("enabled", current.enabled) and not (identifier and secret):
        errors["identifier"] = "Enter the Miinto channel identifier and secret before turning Miinto on."
    if errors:
        raise ValidationError(errors)


def _valid_shipping_map(mapping):
    return isinstance(mapping, dict) and all(
        isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip() for k, v in mapping.items()
    )


def _validate_shops(tenant, shops):
    problems = []
    seen_ids, seen_countries = set(), set()
    for shop in shops:
        shop_id = (shop.get("shop_id") or "").strip()
        country = (shop.get("country") or "").strip().upper()
        ls_shop = shop.get("lightspeed_shop_ls_id")
        if not shop_id:
            problems.append("Each Miinto shop needs its shop id (as Miinto shows it, e.g. 1-m!i!s-045-1234).")
            continue
        if shop_id in seen_ids:
            problems.append(f"Miinto shop {shop_id} is listed twice; keep one line per shop.")
        if country and country in seen_countries:
            problems.append(f"Two Miinto shops are set to country {country}; Miinto has one shop per country.")
        if country and not re.match(r"^[A-Z]{2}$", country):
            problems.append(f"Miinto shop {shop_id}: use a two-letter country code (DK, SE, NO, ...).")
        if ls_shop in (None, ""):
            problems.append(f"Miinto shop {shop_id}: choose the Lightspeed shop whose stock it sells.")
        elif not _exists(Shop, tenant, ls_shop):
            problems.append(f"Miinto shop {shop_id}: Lightspeed shop {ls_shop} is not in the Lightspeed data we have.")
        seen_ids.add(shop_id)
        seen_countries.add(country)
    if problems:
        raise ValidationError({"shops": problems})


# --- writes --------------------------------------------------------------------------------------------

def miinto_settings_update(*, tenant, shops=None, **fields):
    """Validate and save the given settings (and, when `shops` is given, replace the Miinto shop mapping)."""
    settings = miinto_settings_get_or_create(tenant=tenant)
    for name in WRITE_ONLY_FIELDS:
        if name in fields and not fields[name]:
            del fields[name]
    if "feed_currency" in fields and fields["feed_currency"]:
        fields["feed_currency"] = fields["feed_currency"].strip().upper()
    errors = {}
    for check, args in ((_validate_fields, (tenant, settings, fields)), (_validate_shops, (tenant, shops or []))):
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
    wanted = {s["shop_id"].strip(): s for s in shops}
    MiintoShop.objects.for_tenant(tenant).exclude(shop_id__in=wanted).delete()
    for shop_id, shop in wanted.items():
        MiintoShop.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, shop_id=shop_id,
            defaults={"country": (shop.get("country") or "").strip().upper(),
                      "lightspeed_shop_ls_id": int(shop["lightspeed_shop_ls_id"])},
        )


def miinto_feed_rotate_token(*, tenant):
    """A new secret feed URL; the old one answers 404 from now on."""
    settings = miinto_settings_get_or_create(tenant=tenant)
    settings.feed_token = new_feed_token()
    settings.save(update_fields=["feed_token", "updated_at"])
    return settings
