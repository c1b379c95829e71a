"""Miinto's writes: settings (validated, every error says what to do, keyed by its field), the feed URL,
the on/off switch, the note of Miinto's feed fetches, the feed check, and "retry this order"."""
import re
from collections import Counter

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lightspeed.models import Category, Item, PriceLevel, Shop

from connector.runs import run_enqueue

from .feed_file import feed_file_publish, feed_files_to_publish
from .ledger import State, ledger_details_update, ledger_move
from .models import MiintoSettings, MiintoShop, new_feed_token
from .selectors import feed_fetch_key

EDITABLE_FIELDS = {
    "enabled", "identifier", "secret",
    "feed_basic_user", "feed_basic_password", "feed_price_level_ls_id",
    "feed_only_in_stock", "feed_category_ls_ids", "feed_extra_columns", "feed_currency",
    "order_prefix", "shipping_method_map",
    "unfulfillable_policy", "void_policy",
}
WRITE_ONLY_FIELDS = {"secret", "feed_basic_password"}  # blank keeps the stored value
ORDER_PREFIX = re.compile(r"^[A-Za-z0-9#/_.-]{0,20}$")
FEED_FETCH_KEEP_SECONDS = 30 * 24 * 3600
CURRENCY = re.compile(r"^[A-Z]{3}$")


def miinto_settings_get_or_create(*, tenant):
    settings, _ = MiintoSettings.objects.for_tenant(tenant).get_or_create(tenant=tenant)
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


ID_FIELDS = ("feed_price_level_ls_id",)


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


def miinto_switch(*, tenant, on):
    """The channel's on-switch: refused (ValidationError) without credentials."""
    return miinto_settings_update(tenant=tenant, enabled=on)


def feed_fetch_note(*, tenant, status, user_agent="", gzip=False):
    """Remember Miinto's latest fetch of the feed (cache, best effort: a cache outage never fails the feed)."""
    note = {"at": timezone.now().isoformat(), "status": status, "user_agent": user_agent[:200], "gzip": gzip}
    try:
        cache.set(feed_fetch_key(tenant), note, FEED_FETCH_KEEP_SECONDS)
    except Exception:  # noqa: BLE001  the feed matters more than its statistics
        pass


IMPORT_JOB = "miinto.orders_import"
STATUS_JOB = "miinto.status_sync"


def miinto_order_retry(*, order):
    """"Retry this order": clear its error, put it back where it stopped, and queue the job that continues it.

    Safe to press twice: the jobs find the sale by referenceNumber and the customer by email before writing.
    Returns the job queued.
    """
    ledger = order
    details = ledger.details or {}
    if details.get("ls_outcome") and ledger.state in (State.FAILED, State.SALE_CREATED, State.ACCEPTED):
        state = State.ACCEPTED if details.get("miinto_order_id") else State.SALE_CREATED
        ledger_move(ledger, state, attempts=ledger.attempts + 1)
        ledger_details_update(ledger, sync_due=True, push_attempts=0)
        job = STATUS_JOB
    else:
        if ledger.state in (State.FAILED, State.SKIPPED):
            state = State.SALE_PENDING if ledger.reference else State.RECEIVED
            ledger_move(ledger, state, attempts=ledger.attempts + 1)
        job = IMPORT_JOB
    run_enqueue(tenant_id=ledger.tenant_id, job=job, trigger="retry", params={"transfer_id": ledger.external_id})
    return job


EVENTS_PER_KIND = 200  # past this, one summary per kind instead of one event per item


FEED_PUBLISH_REQUEST_SECONDS = 60


def feed_publish_request(*, tenant):
    """Queue the feed check (which renders the feed files) at most once a minute per tenant."""
    if cache.add(f"miinto:feed-publish:{tenant.pk}", 1, FEED_PUBLISH_REQUEST_SECONDS):
        run_enqueue(tenant_id=tenant.pk, job="miinto.feed_check", trigger="schedule")


def feed_check(*, ctx):
    """Render the feed files from the mirror as Miinto will fetch them, and log what was left out."""
    settings = miinto_settings_get_or_create(tenant=ctx.tenant)
    problems = Counter()

    def report(problem):
        problems[problem.kind] += 1
        ctx.count(problem.kind)
        if problems[problem.kind] <= EVENTS_PER_KIND:
            ctx.warning(problem.message, object_type="item", object_id=problem.item_ls_id,
                        data={"kind": problem.kind, "gtin": problem.gtin})

    main, *others = feed_files_to_publish(tenant=ctx.tenant)
    file, rendered = feed_file_publish(tenant=ctx.tenant, settings=settings, shop_ls_id=main, on_problem=report,
                                       on_row=lambda row: ctx.count("rows"))
    for shop in others:
        feed_file_publish(tenant=ctx.tenant, settings=settings, shop_ls_id=shop)
    if not rendered:
        ctx.info(f"feed unchanged since it was rendered at {file.rendered_at:%Y-%m-%d %H:%M} UTC: {file.rows} rows",
                 data={"rows": file.rows, "bytes": file.size, "unchanged": True})
        return
    for kind, n in problems.items():
        if n > EVENTS_PER_KIND:
            ctx.warning(f"{n} items left out of the feed for {kind.replace('_', ' ')}; the first {EVENTS_PER_KIND} are listed")
    archived = Item.objects.for_tenant(ctx.tenant).filter(archived=True).count()
    if archived:
        ctx.count("archived", archived)
        ctx.info(f"{archived} archived items are left out of the feed")
    ctx.info(f"feed has {file.rows} rows ({file.size} bytes); {sum(problems.values())} items left out",
             data={"rows": file.rows, "bytes": file.size, "left_out": dict(problems), "files": 1 + len(others)})
