"""The feed, pre-rendered: a file per feed shop, rendered after catalog changes and served as a file.

Miinto fetches the whole catalog every few minutes. Rendering 100k rows per fetch costs about a second of
CPU; serving a stored file costs a lookup. `feed_file_publish` renders the TSV and its gzip once into the
"feeds" storage (STORAGES["feeds"]: the filesystem by default, S3 or similar in production), with the ETag
and Last-Modified of the mirror rows it read. The view serves the file when it is current for the feed's
settings, price level and shop, and streams live (and asks for a re-render) when it is not.

Freshness: the file is rendered by the feed check, which runs after every catalog sync that changed
something and every 30 minutes besides, so the file is never staler than the last catalog sync.
"""
import tempfile
import zlib

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from .feed import (
    feed_freshness, feed_header, feed_price_level_ls_id, feed_render_tsv, feed_scan, feed_shop_ls_id,
)
from .models import MiintoFeedFile, MiintoShop

STORAGE = "feeds"


def feed_storage():
    return storages[STORAGE]


def feed_variant(*, tenant, settings, shop_ls_id=None):
    """What the file's content depends on besides the mirror rows: cheap to compute per request."""
    level = feed_price_level_ls_id(tenant=tenant, settings=settings)
    shop = feed_shop_ls_id(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)
    return shop, f"{settings.pk}:{settings.updated_at.isoformat()}:{level}:{shop}"


def feed_file_current(*, tenant, settings, shop_ls_id=None):
    """The stored file for this feed, or None when there is none or it is stale."""
    shop, variant = feed_variant(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)
    file = MiintoFeedFile.objects.for_tenant(tenant).filter(shop_ls_id=shop).first()
    return file if file is not None and file.variant == variant else None


def feed_shops_to_publish(*, tenant, settings):
    """The feed's own shop, and every Lightspeed shop a Miinto shop's feed is mapped to."""
    mapped = MiintoShop.objects.for_tenant(tenant).exclude(lightspeed_shop_ls_id=None)
    shops = {feed_shop_ls_id(tenant=tenant, settings=settings)}
    return sorted(shops | set(mapped.values_list("lightspeed_shop_ls_id", flat=True)))


def feed_file_publish(*, tenant, settings, shop_ls_id, on_problem=None, on_row=None):
    """Render this shop's feed to storage unless the stored file is already current.

    Returns (file row, whether it was rendered now)."""
    shop, variant = feed_variant(tenant=tenant, settings=settings, shop_ls_id=shop_ls_id)
    etag, last_modified = feed_freshness(tenant=tenant, settings=settings, shop_ls_id=shop)
    existing = MiintoFeedFile.objects.for_tenant(tenant).filter(shop_ls_id=shop).first()
    if existing and existing.variant == variant and existing.etag == etag:
        return existing, False
    header = feed_header(extra_columns=settings.feed_extra_columns, currency=settings.feed_currency)
    rows = _counted(header, feed_scan(tenant=tenant, settings=settings, shop_ls_id=shop, on_problem=on_problem),
                    on_row)
    name = f"miinto/{tenant.pk}/feed-{shop}-{etag}.tsv"
    stats = _store(feed_render_tsv(rows), name)
    return _record(tenant=tenant, shop=shop, existing=existing, name=name, values={
        "variant": variant, "etag": etag, "last_modified": last_modified, "rendered_at": timezone.now(), **stats,
    }), True


def _counted(header, rows, on_row):
    yield header
    for row in rows:
        if on_row:
            on_row(row)
        yield row


def _store(chunks, name):
    """Write the TSV and its gzip in one pass over the rendered chunks."""
    storage = feed_storage()
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    rows = 0
    with tempfile.TemporaryFile() as tsv, tempfile.TemporaryFile() as gz:
        for chunk in chunks:
            rows += chunk.count(b"\n")
            tsv.write(chunk)
            gz.write(compressor.compress(chunk))
        gz.write(compressor.flush())
        sizes = {"size": tsv.tell(), "gzip_size": gz.tell()}
        for handle, target in ((tsv, name), (gz, name + ".gz")):
            handle.seek(0)
            if storage.exists(target):
                storage.delete(target)
            storage.save(target, File(handle))
    return {**sizes, "rows": max(rows - 1, 0)}  # minus the header line (a quoted newline is rare enough)


def _record(*, tenant, shop, existing, name, values):
    with transaction.atomic():
        file, _ = MiintoFeedFile.objects.for_tenant(tenant).select_for_update().update_or_create(
            tenant=tenant, shop_ls_id=shop, defaults={"name": name, **values})
    old = existing.name if existing else None
    if old and old != name:
        transaction.on_commit(lambda: _delete(old))
    return file


def _delete(name):
    storage = feed_storage()
    for target in (name, name + ".gz"):
        if storage.exists(target):
            storage.delete(target)


def feed_file_open(file, *, gzip):
    return feed_storage().open(file.name + (".gz" if gzip else ""), "rb")
