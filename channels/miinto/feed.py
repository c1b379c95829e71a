"""The Miinto product feed: the Lightspeed mirror as TSV rows, never a call to Lightspeed.

Columns follow eSyncer's Lightspeed mapping (the seed), in this order:

    id            systemSku, or "systemSku-customSku" when the item has a customSku
    gtin          EAN, else UPC (a UPC-A is a valid GTIN-12), else systemSku — the seed says "EAN or
                  systemSku"; UPC-only items would otherwise show Lightspeed's internal code (issue 15 §10)
    item_group_id customSku
    title         description
    description   note
    price         amount at the feed's price level, 2 decimals ("149.95")
    brand         manufacturer
    product_type  category (full path when the mirror has it)
    color, size   matrix attributes
    stock_level   quantity on hand in the feed's shop, never negative

Each Miinto shop (one per country) also has its own feed with the stock of the Lightspeed shop it is
mapped to (feed_path(settings=, miinto_shop_id=)).

Optional newer-spec columns (per tenant): `c:stock_level:integer`, `c:retail_price_<CUR>:integer` (cents),
`image_link` (empty: the mirror has no images).

Skipped, and reported by the `miinto.feed_check` job: archived items (SQL filter), items with no gtin,
items with no price above 0 at the price level (a 0.00 row would let Miinto sell it for nothing), and every
repeat of a gtin (the first item, lowest id, wins).
"""
import csv
import hashlib
import io
import re
import zlib
from itertools import islice
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import FilteredRelation, Q, Value
from django.db.models.functions import Coalesce, NullIf

from lightspeed.models import Category, Item, PriceLevel, Shop
from lightspeed.selectors import pos_booking

from .models import MiintoShop
from .selectors import CHANNEL

COLUMNS = (
    "id", "gtin", "item_group_id", "title", "description", "price",
    "brand", "product_type", "color", "size", "stock_level",
)
CHUNK_ROWS = 2000
FIRST_CHUNK_ROWS = 100
CENT = Decimal("0.01")
# Everything that could end a line for some reader (csv, str.splitlines) or is a control character.
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def feed_path(*, settings, miinto_shop_id=None):
    """The feed's secret path (give Miinto request.build_absolute_uri(feed_path(...))).

    With a Miinto shop id: that shop's own feed, whose stock is the one of the Lightspeed shop it is mapped to.
    """
    from django.urls import reverse

    if miinto_shop_id:
        return reverse("miinto:shop_feed", kwargs={"token": settings.feed_token, "shop_id": miinto_shop_id})
    return reverse("miinto:feed", kwargs={"token": settings.feed_token})


def feed_path_hint(path, token):
    """The address with its secret cut to a hint, for people who may not use it (shop members)."""
    return path.replace(token, f"{token[:4]}****") if token else path


def feed_header(*, extra_columns=False, currency="DKK"):
    if not extra_columns:
        return COLUMNS
    return COLUMNS + ("c:stock_level:integer", f"c:retail_price_{currency.upper()}:integer", "image_link")


# --- pure mapping --------------------------------------------------------------------------------------

class FeedItem(NamedTuple):
    """One mirror item with its price at the feed's level and its stock in the feed's shop."""

    ls_id: int
    system_sku: str
    custom_sku: str
    ean: str  # the item's EAN, else its UPC (feed_items_queryset)
    description: str
    note: str
    manufacturer_name: str
    category_name: str
    color: str
    size: str
    price: Decimal | None
    qoh: int | None


def feed_text(value):
    """Tabs, newlines and other control characters become spaces; quotes are left to the csv writer."""
    if not value:
        return ""
    if not isinstance(value, str):
        value = str(value)
    if value.isprintable():  # the common case: nothing to replace (C-speed check)
        return value.strip()
    return _LINE_BREAKING.sub(" ", value).strip()


def feed_id(system_sku, custom_sku):
    system_sku, custom_sku = feed_text(system_sku), feed_text(custom_sku)
    return f"{system_sku}-{custom_sku}" if custom_sku else system_sku


def feed_gtin(ean, system_sku):
    return feed_text(ean) or feed_text(system_sku)


def feed_price(amount):
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def feed_cents(amount):
    return str(int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def feed_stock_level(qoh):
    return max(0, int(qoh or 0))


def feed_row(item, *, extra_columns=False):
    """One TSV row from a FeedItem-shaped tuple; per column the same as feed_id/feed_gtin/feed_text.

    The hot path of the feed (100k calls): clean rows, the common case, are checked with one
    isprintable() over the joined text instead of one regex per field.
    """
    _, sku, custom, ean, title, description, brand, product_type, color, size, price, qoh = item
    texts = (sku, custom, ean, title, description, brand, product_type, color, size)
    if "".join(texts).isprintable():
        sku, custom, ean, title, description, brand, product_type, color, size = [t.strip() for t in texts]
    else:
        sku, custom, ean, title, description, brand, product_type, color, size = map(feed_text, texts)
    stock = str(feed_stock_level(qoh))
    row = (
        f"{sku}-{custom}" if custom else sku, ean or sku, custom, title, description, feed_price(price),
        brand, product_type, color, size, stock,
    )
    if extra_columns:
        row += (stock, feed_cents(price), "")
    return row


SYSTEM_SKU, EAN, PRICE = (FeedItem._fields.index(name) for name in ("system_sku", "ean", "price"))


class FeedProblem(NamedTuple):
    kind: str  # "duplicate_gtin" | "no_price" | "no_gtin"
    item_ls_id: int
    gtin: str
    message: str


def feed_problem(item: FeedItem, gtin, seen):
    """Why this item cannot be a feed row, or None. `seen` maps gtin -> item ls_id already emitted."""
    label = feed_text(item.description) or item.system_sku or f"item {item.ls_id}"
    if not gtin:
        return FeedProblem("no_gtin", item.ls_id, "", f"{label}: no EAN and no systemSku, left out of the feed")
    if item.price is None or item.price <= 0:
        return FeedProblem("no_price", item.ls_id, gtin,
                           f"{label}: no price above 0 at the feed's price level, left out of the feed (Miinto would "
                           f"sell it for nothing); set the price in Lightspeed")
    if gtin in seen:
        return FeedProblem("duplicate_gtin", item.ls_id, gtin,
                           f"{label}: gtin {gtin} is also on item {seen[gtin]}; only that one is in the feed. "
                           f"Give each item its own EAN in Lightspeed")
    return None


# --- selectors -----------------------------------------------------------------------------------------

def feed_price_level_ls_id(*, tenant, settings):
    """The configured price level, else the mirror's "Default" one, else its first."""
    if settings.feed_price_level_ls_id:
        return settings.feed_price_level_ls_id
    levels = PriceLevel.objects.for_tenant(tenant).filter(archived=False)
    named = levels.filter(name__iexact="default").values_list("ls_id", flat=True).first()
    return named or levels.order_by("ls_id").values_list("ls_id", flat=True).first() or 1


def feed_shop_ls_id(*, tenant, settings, shop_ls_id=None):
    """The shop asked for (a Miinto shop's own feed), else the one chosen for Miinto on the Lightspeed page,
    else the one the first Miinto shop sells from, else the mirror's first shop."""
    if shop_ls_id:
        return shop_ls_id
    if chosen := pos_booking(tenant=tenant, channel=CHANNEL).shop_ls_id:
        return chosen
    mapped = (MiintoShop.objects.for_tenant(tenant).exclude(lightspeed_shop_ls_id=None)
              .order_by("shop_id").values_list("lightspeed_shop_ls_id", flat=True).first())
    if mapped:
        return mapped
    shops = Shop.objects.for_tenant(tenant).filter(archived=False).order_by("ls_id")
    return shops.values_list("ls_id", flat=True).first() or 0


def feed_miinto_shop_ls_id(*, tenant, miinto_shop_id):
    """The Lightspeed shop a Miinto shop sells the stock of, or None (unknown or not mapped)."""
    return (MiintoShop.objects.for_tenant(tenant).filter(shop_id=miinto_shop_id)
            .values_list("lightspeed_shop_ls_id", flat=True).first())


def feed_category_ls_ids(*, tenant, ls_ids):
    """The chosen categories and every category below them (by full path)."""
    chosen = Category.objects.for_tenant(tenant).filter(ls_id__in=ls_ids)
    query = Q(ls_id__in=ls_ids)
    for path in chosen.exclude(full_path="").values_list("full_path", flat=True):
        query |= Q(full_path__startswith=f"{path}/")
    return set(Category.objects.for_tenant(tenant).filter(query).values_list("ls_id", flat=True)) | set(ls_ids)


def feed_items_queryset(*, tenant, settings, shop_ls_id=None):
    level = feed_price_level_ls_id(tenant=tenant, settings=settings)
    shop = feed_shop_ls_id(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)
    items = Item.objects.for_tenant(tenant).filter(archived=False).annotate(
        feed_price=FilteredRelation("prices", condition=Q(prices__price_level_ls_id=level, prices__tenant=tenant)),
        feed_stock=FilteredRelation("stock", condition=Q(stock__shop_ls_id=shop, stock__tenant=tenant)),
    )
    if settings.feed_only_in_stock:
        items = items.filter(feed_stock__qoh__gt=0)
    if settings.feed_category_ls_ids:
        categories = feed_category_ls_ids(tenant=tenant, ls_ids=settings.feed_category_ls_ids)
        items = items.filter(category_ls_id__in=categories)
    items = items.annotate(feed_code=Coalesce(NullIf("ean", Value("")), NullIf("upc", Value("")), Value("")))
    fields = tuple("feed_code" if f == "ean" else f for f in FeedItem._fields[:-2]) + ("feed_price__amount",
                                                                                     "feed_stock__qoh")
    return items.order_by("pk").values_list(*fields)


def _streamed(queryset):
    """Rows of a server-side cursor, fetched CHUNK_ROWS at a time.

    Inside a transaction Django declares the cursor without WITH HOLD, so rows flow as PostgreSQL's merge
    join produces them instead of after the whole result is materialised (first byte in ms, not 0.5 s),
    and it works behind a transaction-pooling PgBouncer. Closing the generator (client gone) rolls back.
    """
    with transaction.atomic():
        yield from queryset.iterator(chunk_size=CHUNK_ROWS)


def feed_scan(*, tenant, settings, shop_ls_id=None, on_problem=None):
    """Yield feed rows (no header) in id order, streaming the mirror; report the items left out."""
    extra = settings.feed_extra_columns
    seen = {}
    for record in _streamed(feed_items_queryset(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)):
        price = record[PRICE]
        row = feed_row(record, extra_columns=extra) if price is not None and price > 0 else None
        gtin = row[1] if row else feed_gtin(record[EAN], record[SYSTEM_SKU])
        if row is None or not gtin or gtin in seen:
            problem = feed_problem(FeedItem._make(record), gtin, seen)
            if on_problem:
                on_problem(problem)
            continue
        seen[gtin] = record[0]
        yield row


def feed_rows(*, tenant, settings, shop_ls_id=None):
    """The header, then one tuple per feed row (stock of `shop_ls_id` when given, else of the feed's shop)."""
    yield feed_header(extra_columns=settings.feed_extra_columns, currency=settings.feed_currency)
    yield from feed_scan(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)


def _tsv_line(row, csv_writer, csv_buffer):
    """One excel-tab line, as the csv module writes it; without it for rows of strings with no tab or newline."""
    try:
        line = "\t".join(row)
    except TypeError:  # a field that is not a string: the csv module formats it
        line = ""
    if line and line.count("\t") == len(row) - 1 and "\n" not in line and "\r" not in line:
        if '"' not in line:
            return line + "\n"
        return "\t".join(['"' + field.replace('"', '""') + '"' if '"' in field else field for field in row]) + "\n"
    csv_buffer.seek(0)
    csv_buffer.truncate()
    csv_writer.writerow(row)
    return csv_buffer.getvalue()


def feed_render_tsv(rows, *, chunk_rows=CHUNK_ROWS, first_chunk_rows=FIRST_CHUNK_ROWS):
    """Rows -> UTF-8 TSV bytes (excel-tab quoting, Unix newlines), in chunks of `chunk_rows` rows.

    Byte for byte what csv.writer(dialect="excel-tab", lineterminator="\\n") writes, faster for clean rows.
    The first chunk is small so the first byte leaves as soon as the query answers.
    """
    rows = iter(rows)
    csv_buffer = io.StringIO()
    csv_writer = csv.writer(csv_buffer, dialect="excel-tab", lineterminator="\n")
    size = first_chunk_rows
    while lines := [_tsv_line(row, csv_writer, csv_buffer) for row in islice(rows, size)]:
        yield "".join(lines).encode()
        size = chunk_rows


def feed_gzip(chunks, *, level=6):
    """Gzip a byte stream as it goes; the first chunk out carries data, not just the gzip header."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: gzip container
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()


# --- freshness (ETag / Last-Modified) without rendering the file ----------------------------------------

FEED_FORMAT = "1"


def feed_freshness(*, tenant, settings, shop_ls_id=None):
    """(etag, last_modified) from aggregates over the rows the feed reads, without rendering the file.

    Items carry synced_at (auto_now); stock and prices carry no sync time, so their content is hashed.
    On PostgreSQL one query does it (sum of hash(item) xor hash(value), integer hashing, no text); other
    databases (the demo's SQLite) hash the same rows in Python (feed_content_hashes_portable).
    """
    from django.db import connection

    level = feed_price_level_ls_id(tenant=tenant, settings=settings)
    shop = feed_shop_ls_id(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)
    hashes = feed_content_hashes_pg if connection.vendor == "postgresql" else feed_content_hashes_portable
    items, items_synced, stock_hash, stock_changed, price_hash = hashes(tenant=tenant, shop=shop, level=level)
    times = [t for t in (items_synced, stock_changed, settings.updated_at) if t is not None]
    parts = (FEED_FORMAT, settings.pk, settings.updated_at.isoformat(), level, shop, items,
             items_synced.isoformat() if items_synced else "", stock_hash, price_hash)
    etag = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return etag, max(times)


def feed_content_hashes_pg(*, tenant, shop, level):
    """(item count, last item sync, stock hash, last stock change, price hash) in one PostgreSQL query."""
    from django.db import connection

    from lightspeed.models import ItemPrice, ItemStock

    sql = f"""
        SELECT (SELECT count(*) FROM {Item._meta.db_table} WHERE tenant_id = %(t)s),
               (SELECT max(synced_at) FROM {Item._meta.db_table} WHERE tenant_id = %(t)s),
               (SELECT coalesce(sum(hashint8(item_id) # hashint4(qoh)), 0)
                  FROM {ItemStock._meta.db_table} WHERE tenant_id = %(t)s AND shop_ls_id = %(shop)s),
               (SELECT max(ls_timestamp) FROM {ItemStock._meta.db_table}
                  WHERE tenant_id = %(t)s AND shop_ls_id = %(shop)s),
               (SELECT coalesce(sum(hashint8(item_id) # hash_numeric(amount)), 0)
                  FROM {ItemPrice._meta.db_table} WHERE tenant_id = %(t)s AND price_level_ls_id = %(level)s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"t": tenant.pk, "shop": shop, "level": level})
        return cursor.fetchone()


def _rows_hash(rows):
    digest = hashlib.sha256()
    for row in rows:
        digest.update("|".join(map(str, row)).encode() + b"\n")
    return digest.hexdigest()[:16]


def feed_content_hashes_portable(*, tenant, shop, level):
    """The same five values with the ORM and Python hashing: any database (SQLite in the demo)."""
    from django.db.models import Count, Max

    from lightspeed.models import ItemPrice, ItemStock

    items = Item.objects.for_tenant(tenant).aggregate(n=Count("pk"), synced=Max("synced_at"))
    stock = ItemStock.objects.for_tenant(tenant).filter(shop_ls_id=shop)
    prices = ItemPrice.objects.for_tenant(tenant).filter(price_level_ls_id=level)
    stock_hash = _rows_hash(stock.order_by("item_id").values_list("item_id", "qoh").iterator())
    price_hash = _rows_hash((item, f"{amount:.4f}") for item, amount in
                            prices.order_by("item_id").values_list("item_id", "amount").iterator())
    stock_changed = stock.aggregate(changed=Max("ls_timestamp"))["changed"]
    return items["n"], items["synced"], stock_hash, stock_changed, price_hash
