"""Miinto's writes: settings (validated, every error says what to do, keyed by its field), the feed URL,
the on/off switch, the note of Miinto's feed fetches, the feed check, and "retry this order"."""
import re
from collections import Counter

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lightspeed.models import Category, Item, PriceLevel, Shop

from connector.errors import TransientError
from connector.http import ApiError, Misconfigured
from connector.orders import State, ledger_details_update, ledger_move
from connector.runs import run_enqueue
from connector.services import channel_resume

from .client import MiintoClient, channels_forget
from .feed_fetch import feed_fetch
from .feed_file import feed_file_publish, feed_files_to_publish
from .models import MiintoSettings, MiintoShop, new_feed_token
from .selectors import CHANNEL, PAUSE_FIXED_BY, feed_fetch_key

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
    _check_mirror_ref(errors, tenant, "feed_price_level_ls_id", fields.get("feed_price_level_ls_id"), PriceLevel,
                      "Price level")
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

def miinto_settings_update(*, tenant, shops=None, verify=False, validate_only=False, **fields):
    """Validate and save the given settings (and, when `shops` is given, replace the Miinto shop mapping).

    With `verify` (the settings page and the API), new credentials are tried on Miinto first: refused ones
    are not saved (the error is on the secret field). `validate_only`: raise the errors, save nothing (the form
    shows them all at once, with its own)."""
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
    new_credentials = fields.get("secret") or fields.get("identifier", settings.identifier) != settings.identifier
    if not errors and verify and new_credentials:
        problems = miinto_test_connection(tenant=tenant, values={**fields, "shops": shops})
        if problems:
            errors["secret"] = problems
    if errors:
        raise ValidationError(errors)
    if validate_only:
        return settings
    # A secret typed in counts as changed (it is write-only: the owner re-entered it to fix something).
    changed = {name for name, value in fields.items() if getattr(settings, name) != value or name in WRITE_ONLY_FIELDS}
    with transaction.atomic():
        for name, value in fields.items():
            setattr(settings, name, value)
        settings.save()
        if shops is not None and _shops_replace(tenant, shops):
            changed.add("shops")
        _pauses_fixed_resume(tenant, changed)
    return settings


def _pauses_fixed_resume(tenant, changed):
    """A saved change to the setting that caused a pause lifts that pause (the next run tells if it is fixed)."""
    for reason_prefix, fixed_by in PAUSE_FIXED_BY.items():
        if changed & set(fixed_by):
            channel_resume(tenant=tenant, channel=CHANNEL, reason_prefix=reason_prefix)


def _shops_replace(tenant, shops):
    """Replace the Miinto shop mapping; returns whether anything changed."""
    wanted = {s["shop_id"].strip(): s for s in shops}
    before = _shops_snapshot(tenant)
    MiintoShop.objects.for_tenant(tenant).exclude(shop_id__in=wanted).delete()
    for shop_id, shop in wanted.items():
        MiintoShop.objects.for_tenant(tenant).update_or_create(
            tenant=tenant, shop_id=shop_id,
            defaults={"country": (shop.get("country") or "").strip().upper(),
                      "lightspeed_shop_ls_id": int(shop["lightspeed_shop_ls_id"])},
        )
    return _shops_snapshot(tenant) != before


def _shops_snapshot(tenant):
    return set(MiintoShop.objects.for_tenant(tenant).values_list("shop_id", "country", "lightspeed_shop_ls_id"))


def miinto_use_sandbox(*, tenant):
    """The demo's "use the sandbox's demo channel": its credentials, and its shops selling the stock of the
    Lightspeed shop chosen for Miinto (else the first). Checked like any save; refused outside a demo."""
    from lightspeed.selectors import pos_booking

    from .demo import sandbox_channel, sandbox_offered

    if not sandbox_offered():
        raise ValidationError("The sandbox's demo channel is only offered when Miinto is a local sandbox (the demo).")
    demo = sandbox_channel()
    first_shop = Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    shop = pos_booking(tenant=tenant, channel=CHANNEL).shop_ls_id or first_shop.values_list("ls_id", flat=True).first()
    shops = [{"shop_id": shop_id, "country": country, "lightspeed_shop_ls_id": shop}
             for shop_id, country in demo["shops"]]
    return miinto_settings_update(tenant=tenant, identifier=demo["identifier"], secret=demo["secret"], shops=shops,
                                  verify=True)


def miinto_feed_rotate_token(*, tenant):
    """A new secret feed URL; the old one answers 404 from now on."""
    settings = miinto_settings_get_or_create(tenant=tenant)
    settings.set_feed_token(new_feed_token())
    settings.save(update_fields=["feed_token_hash", "feed_token_secret", "updated_at"])
    return settings


def miinto_switch(*, tenant, on):
    """The channel's on-switch (the core has checked the credentials with miinto_test_connection first)."""
    return miinto_settings_update(tenant=tenant, enabled=on)


def miinto_test_connection(*, tenant, values):
    """The channel contract's "Test connection": open a Miinto channel with these credentials (blank: the
    stored ones) and check the Miinto shop ids given are this channel's. Returns the problems (empty: OK)."""
    stored = miinto_settings_get_or_create(tenant=tenant)
    identifier = (values.get("identifier") or stored.identifier or "").strip()
    secret = values.get("secret") or stored.secret
    if not (identifier and secret):
        return ["Enter the Miinto channel identifier and secret before turning Miinto on."]
    cache_key = ("test", tenant.pk, identifier)
    client = MiintoClient(identifier=identifier, secret=secret, cache_key=cache_key)
    try:
        channel = client.channel_open()
    except Misconfigured:
        return ["Miinto refused this channel identifier and secret. Copy both again from Miinto "
                "(the secret is case-sensitive) and try again."]
    except ApiError as exc:
        return [f"Could not reach Miinto to check the credentials ({exc}). Try again in a minute."]
    finally:
        channels_forget(cache_key)
        client.close()
    return _shops_not_in_channel(_shop_ids_in(values), channel.shop_ids)


def _shop_ids_in(values):
    """Miinto shop ids in the API's `shops` list or the settings form's shop rows."""
    rows = [s.get("shop_id") for s in values.get("shops") or []]
    rows += [v for k, v in values.items() if k.startswith("shops-") and k.endswith("-shop_id")]
    return sorted({(r or "").strip() for r in rows} - {""})


def _shops_not_in_channel(shop_ids, channel_shop_ids):
    if not channel_shop_ids:  # Miinto named no shops: nothing to compare with
        return []
    return [f"Miinto shop {shop_id} is not one of this channel's shops ({', '.join(channel_shop_ids)}): "
            f"check the shop id on Miinto." for shop_id in shop_ids if shop_id not in channel_shop_ids]


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
    """Build the feed files from the mirror, fetch the feed the way Miinto does (over HTTP, feed_fetch), and
    log what the mirror left out of it."""
    settings = miinto_settings_get_or_create(tenant=ctx.tenant)
    problems = Counter()

    def report(problem):
        problems[problem.kind] += 1
        ctx.count(problem.kind)
        if problems[problem.kind] <= EVENTS_PER_KIND:
            ctx.warning(problem.message, object_type="item", object_id=problem.item_ls_id,
                        data={"kind": problem.kind, "gtin": problem.gtin})

    main, *others = feed_files_to_publish(tenant=ctx.tenant)
    file, rendered = feed_file_publish(tenant=ctx.tenant, settings=settings, shop_ls_id=main, on_problem=report)
    for shop in others:
        feed_file_publish(tenant=ctx.tenant, settings=settings, shop_ls_id=shop)
    fetched = feed_fetch(settings=settings)  # what Miinto gets now: a feed it cannot fetch fails the check
    ctx.count("feed_rows", fetched.rows)
    for problem in fetched.problems[:EVENTS_PER_KIND]:
        ctx.error(f"Miinto cannot read {problem} of the feed")
    if rendered:
        _feed_left_out_summary(ctx, problems)
    else:
        ctx.info(f"feed unchanged since it was built at {file.rendered_at:%Y-%m-%d %H:%M} UTC",
                 data={"unchanged": True})
    ctx.info(f"Miinto gets {fetched.rows} rows ({fetched.size} bytes, HTTP {fetched.status}); "
             f"{sum(problems.values())} items left out", data={"rows": fetched.rows, "bytes": fetched.size,
                                                               "left_out": dict(problems)})
    if fetched.problems:
        raise TransientError(f"Miinto cannot read {len(fetched.problems)} lines of the feed")


def _feed_left_out_summary(ctx, problems):
    for kind, n in problems.items():
        if n > EVENTS_PER_KIND:
            ctx.warning(f"{n} items left out of the feed for {kind.replace('_', ' ')}; "
                        f"the first {EVENTS_PER_KIND} are listed")
    archived = Item.objects.for_tenant(ctx.tenant).filter(archived=True).count()
    if archived:
        ctx.count("archived", archived)
        ctx.info(f"{archived} archived items are left out of the feed")

