"""SmartEtailing's writes: settings (validated; every error names its field and says what to do), the
store mapping, the on/off switch, "Test connection", and "retry this order"."""
import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction

from connector.errors import ConfigError, TransientError
from connector.http import ApiError
from connector.runs import run_enqueue
from lightspeed.models import PriceLevel, Shop

from .client import OrderServiceClient, pos_ftp_check
from .models import SmartEtailingLocation, SmartEtailingSettings
from .selectors import credentials_complete

EDITABLE_FIELDS = {
    "enabled", "order_service_url", "merchant_id", "url_key", "ftp_host", "ftp_account", "ftp_password",
    "filter_on_hand", "filter_on_order", "filter_reorder", "pos_pricing", "regular_price_level_ls_id",
    "sale_price_level_ls_id", "export_orders", "export_when_fulfilled", "status_after_export",
}
WRITE_ONLY_FIELDS = {"url_key", "ftp_password"}  # blank keeps the stored value
ID_FIELDS = ("regular_price_level_ls_id", "sale_price_level_ls_id")
URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[!-~]*)?$")
HOST = re.compile(r"^(ftp://)?[A-Za-z0-9.-]+(:\d{1,5})?/?$")
MERCHANT = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
FTP_ACCOUNT = re.compile(r"^\d{3,8}$")


def smartetailing_settings_get_or_create(*, tenant):
    config, _ = SmartEtailingSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
    return config


# --- validation ----------------------------------------------------------------------------------

def _coerce_ids(fields, errors):
    for name in ID_FIELDS:
        if name in fields:
            value = fields[name]
            try:
                fields[name] = None if value in (None, "") else int(value)
            except (TypeError, ValueError):
                errors[name] = f"“{value}” is not a Lightspeed price level; pick one from the list."


def _check_formats(fields, errors):
    checks = (("order_service_url", URL, "Enter the website's address starting with https (or the whole "
                                          "Download Order URL from Site Manager)."),
              ("merchant_id", MERCHANT, "The merchant id is letters and digits, as in the order export URL "
                                        "(merchant=…)."),
              ("ftp_host", HOST, "Enter the FTP host, e.g. posftp.smartetailing.com (optionally :port)."),
              ("ftp_account", FTP_ACCOUNT, "The FTP account number is the 4-digit number from the “POS FTP” "
                                           "e-mail (Settings > POS Sync > FTP Account Information)."))
    for name, pattern, message in checks:
        value = (fields.get(name) or "").strip()
        if value and not pattern.match(value):
            errors[name] = message


def _check_pricing(tenant, merged, errors):
    levels = PriceLevel.objects.for_tenant(tenant)
    for name in ID_FIELDS:
        value = merged[name]
        if value is not None and not levels.filter(ls_id=value).exists():
            errors.setdefault(name, f"Price level {value} is not in the Lightspeed data we have. Pick one from the "
                                    f"list, or run the Lightspeed sync if you just created it.")
    if merged["pos_pricing"] and merged["regular_price_level_ls_id"] is None:
        errors.setdefault("regular_price_level_ls_id", "Choose the Regular Price Level: POS pricing needs one.")
    if merged["sale_price_level_ls_id"] and merged["sale_price_level_ls_id"] == merged["regular_price_level_ls_id"]:
        errors.setdefault("sale_price_level_ls_id", "Choose a different level for sale prices, or none.")


def _validate(tenant, current, fields):
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: "This setting does not exist." for name in sorted(unknown)})
    errors = {}
    _coerce_ids(fields, errors)
    _check_formats(fields, errors)
    merged = {name: fields.get(name, getattr(current, name)) for name in EDITABLE_FIELDS}
    if not errors:
        _check_pricing(tenant, merged, errors)
    if len(merged["status_after_export"] or "") > 60:
        errors["status_after_export"] = "Use at most 60 characters (the status name as Site Manager lists it)."
    if merged["enabled"] and not credentials_complete(SimpleNamespace(**merged)):
        errors["merchant_id"] = ("Enter the merchant id and URL key of the order service, and the POS FTP account "
                                 "number and password, before switching SmartEtailing on.")
    if errors:
        raise ValidationError(errors)


def _validate_locations(tenant, locations):
    problems, shops, names = [], set(), set()
    known = set(Shop.objects.for_tenant(tenant).values_list("ls_id", flat=True))
    for row in locations:
        name = row.get("neighborhood_descriptor") or ""
        shop = row.get("lightspeed_shop_ls_id")
        if name != name.strip():
            problems.append(f"“{name}”: remove the spaces at the start or end; the name must match SmartEtailing's "
                            f"Neighborhood Descriptor exactly.")
        if shop in shops:
            problems.append(f"Lightspeed shop {shop} is mapped twice; map each shop to one location.")
        if name in names:
            problems.append(f"Location “{name}” is used twice; each SmartEtailing location takes one shop.")
        if shop not in known:
            problems.append(f"Lightspeed shop {shop} is not in the Lightspeed data we have.")
        shops.add(shop)
        names.add(name)
    if not locations:
        problems.append("Connect at least one Lightspeed shop to a SmartEtailing location: enter the location's "
                        "Neighborhood Descriptor (Settings > Website > Store information) next to the shop.")
    if problems:
        raise ValidationError({"locations": problems})


# --- writes --------------------------------------------------------------------------------------

def smartetailing_settings_update(*, tenant, locations=None, **fields):
    """Validate and save the given settings; with `locations` ([{lightspeed_shop_ls_id,
    neighborhood_descriptor}]), replace the store mapping (at least one is required)."""
    config = smartetailing_settings_get_or_create(tenant=tenant)
    for name in WRITE_ONLY_FIELDS:
        if name in fields and not fields[name]:
            del fields[name]
    for name in ("order_service_url", "merchant_id", "ftp_host", "ftp_account", "status_after_export"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    errors = {}
    checks = [(_validate, (tenant, config, fields))]
    if locations is not None:
        checks.append((_validate_locations, (tenant, locations)))
    for check, args in checks:
        try:
            check(*args)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(config, name, value)
        config.save()
        if locations is not None:
            _locations_replace(tenant, locations)
    return config


def _locations_replace(tenant, locations):
    wanted = {int(row["lightspeed_shop_ls_id"]): row["neighborhood_descriptor"] for row in locations}
    rows = SmartEtailingLocation.objects.for_tenant(tenant)
    rows.exclude(lightspeed_shop_ls_id__in=wanted).delete()
    # A name moving from one shop to another would hit the unique name first: clear the moved names.
    for row in rows.filter(lightspeed_shop_ls_id__in=wanted):
        if row.neighborhood_descriptor != wanted[row.lightspeed_shop_ls_id]:
            row.delete()
    for shop, name in wanted.items():
        SmartEtailingLocation.objects.for_tenant(tenant).get_or_create(
            tenant=tenant, lightspeed_shop_ls_id=shop, defaults={"neighborhood_descriptor": name})


def smartetailing_switch(*, tenant, on):
    """The channel's on-switch: refused (ValidationError) without credentials."""
    return smartetailing_settings_update(tenant=tenant, enabled=on)


# --- "Test connection" -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    message: str


CONNECTION_FIELDS = ("order_service_url", "merchant_id", "url_key", "ftp_host", "ftp_account", "ftp_password")


def smartetailing_connection_test(*, tenant, clock=None, **fields):
    """Check the order service and the POS FTP with the given values (blank secrets: the stored ones),
    saving nothing. Returns one CheckResult per endpoint, saying which failed and why."""
    config = smartetailing_settings_get_or_create(tenant=tenant)
    merged = {name: getattr(config, name) for name in CONNECTION_FIELDS}
    for name in CONNECTION_FIELDS:
        value = (fields.get(name) or "").strip()
        if name in fields and (value or name not in WRITE_ONLY_FIELDS):
            merged[name] = value
    errors = {}
    _check_formats(merged, errors)
    merged = SimpleNamespace(**merged)
    service = (CheckResult("Order service", False, errors.get("order_service_url") or errors["merchant_id"])
               if {"order_service_url", "merchant_id"} & set(errors) else _check_order_service(merged, clock))
    ftp = (CheckResult("POS FTP", False, errors.get("ftp_host") or errors["ftp_account"])
           if {"ftp_host", "ftp_account"} & set(errors) else _check_ftp(merged))
    return [service, ftp]


def smartetailing_test_connection(*, tenant, values):
    """The channel contract's "Test connection" (and the switch-on check): the failed checks' messages,
    each naming the endpoint (order service or POS FTP) that failed."""
    checks = smartetailing_connection_test(tenant=tenant, **{k: values[k] for k in CONNECTION_FIELDS if k in values})
    return [check.message for check in checks if not check.ok]


def _check_order_service(merged, clock):
    name = "Order service"
    if not (merged.merchant_id and merged.url_key):
        return CheckResult(name, False, "Enter the order service's merchant id and URL key first.")
    client = OrderServiceClient(base_url=merged.order_service_url, merchant=merged.merchant_id,
                                url_key=merged.url_key, clock=clock)
    client.max_attempts = 1  # the owner is waiting for the answer: no retries
    try:
        client.orders()
    except ConfigError as exc:
        return CheckResult(name, False, str(exc))
    except (TransientError, ApiError) as exc:
        return CheckResult(name, False, f"{client.url} did not answer as SmartEtailing's order service: {exc}")
    return CheckResult(name, True, f"{client.url} accepted the merchant id and URL key.")


def _check_ftp(merged):
    name = "POS FTP"
    if not (merged.ftp_account and merged.ftp_password):
        return CheckResult(name, False, "Enter the POS FTP account number and password first.")
    try:
        pos_ftp_check(merged)
    except (ConfigError, TransientError) as exc:
        return CheckResult(name, False, str(exc))
    return CheckResult(name, True, f"Logged in to the POS FTP as account {merged.ftp_account}.")


IMPORT_JOB = "smartetailing.orders_import"


def smartetailing_order_retry(*, order):
    """"Retry this order": clear its problem and queue the import for it (the ledger row, keyed by OrderId,
    keeps it from being exported twice). Returns the job queued."""
    if order.state == order.State.FAILED:
        order.state, order.last_error, order.attempts = order.State.RECEIVED, "", order.attempts + 1
        order.save(update_fields=["state", "last_error", "attempts", "updated_at"])
    run_enqueue(tenant_id=order.tenant_id, job=IMPORT_JOB, trigger="retry", params={"order_id": order.external_id})
    return IMPORT_JOB
