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
from django.db.models import Max
from django.utils import timezone

from lightspeed.models import PosChoice

from .feed import feed_freshness, feed_header, feed_render_tsv, feed_scan
from .models import MiintoFeedFile, MiintoShop

STORAGE = "feeds"


def feed_storage():
    return storages[STORAGE]


MAIN = 0  # the key of the feed's own file; a Miinto shop's feed is keyed by its Lightspeed shop


def feed_variant(*, tenant, settings):
    """What a file's content depends on besides the mirror rows, cheap enough for every fetch: the settings
    version and the latest POS choice (it picks the feed's shop). Price level and shop are resolved at render."""
    stamp = PosChoice.objects.for_tenant(tenant).aggregate(at=Max("updated_at"))["at"]
    return f"{settings.pk}:{settings.updated_at.isoformat()}:{stamp.isoformat() if stamp else '-'}"


def feed_file_current(*, tenant, settings, shop_ls_id=None):
    """The stored file for this feed, or None when there is none or it is stale."""
    file = MiintoFeedFile.objects.for_tenant(tenant).filter(shop_ls_id=shop_ls_id or MAIN).first()
    return file if file is not None and file.variant == feed_variant(tenant=tenant, settings=settings) else None


def feed_files_to_publish(*, tenant):
    """The feed's own file, and one per Lightspeed shop a Miinto shop's feed is mapped to."""
    mapped = MiintoShop.objects.for_tenant(tenant).exclude(lightspeed_shop_ls_id=None)
    return [MAIN, *sorted(set(mapped.values_list("lightspeed_shop_ls_id", flat=True)))]


def feed_file_publish(*, tenant, settings, shop_ls_id, on_problem=None, on_row=None):
    """Render this shop's feed to storage unless the stored file is already current.

    Returns (file row, whether it was rendered now)."""
    key, shop = shop_ls_id or MAIN, shop_ls_id or None
    variant = feed_variant(tenant=tenant, settings=settings)
    etag, last_modified = feed_freshness(tenant=tenant, settings=settings, shop_ls_id=shop)
    existing = MiintoFeedFile.objects.for_tenant(tenant).filter(shop_ls_id=key).first()
    if existing and existing.variant == variant and existing.etag == etag:
        return existing, False
    header = feed_header(extra_columns=settings.feed_extra_columns, currency=settings.feed_currency)
    rows = _counted(header, feed_scan(tenant=tenant, settings=settings, shop_ls_id=shop, on_problem=on_problem),
                    on_row)
    name = f"miinto/{tenant.pk}/feed-{key}-{etag}.tsv"
    stats = _store(feed_render_tsv(rows), name)
    return _record(tenant=tenant, shop=key, existing=existing, name=name, values={
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
