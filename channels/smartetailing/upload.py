"""The inventory upload job: per mapped location, the file on the POS FTP.

A run first compares the mirror's cursors (the catalog sync's high-water marks for items and stock), the
settings and the location with those of the last build: unchanged, and the last upload younger than
FULL_EVERY, it reads nothing more. Otherwise it builds the file from the mirror (no Lightspeed call) and
uploads it when it differs from the last file uploaded there, or when the last upload is older than
FULL_EVERY (the safety net). A run with nothing changed opens no FTP connection at all.
"""
from datetime import timedelta

from django.utils import timezone

from connector.errors import ConfigError

from .client import pos_ftp_upload
from .inventory import checksum, inventory_file_name, inventory_file_render, inventory_rows
from .selectors import LOCATION_OBJECT, credentials_complete, locations_mapped, mirror_source_stamp, \
    smartetailing_settings_get

FULL_EVERY = timedelta(minutes=30)


def location_file(*, tenant, config, location):
    """(file name, bytes, rows) of one location's file."""
    rows = inventory_rows(tenant=tenant, config=config, shop_ls_id=location.lightspeed_shop_ls_id)
    data, count = inventory_file_render(location.neighborhood_descriptor, rows)
    return inventory_file_name(location.neighborhood_descriptor), data, count


def full_due(location, now):
    return location.last_uploaded_at is None or now - location.last_uploaded_at >= FULL_EVERY


def upload_due(location, digest, now):
    if location.last_checksum != digest:
        return "changed"
    return "full" if full_due(location, now) else None


def inventory_upload(*, ctx):
    config = smartetailing_settings_get(ctx.tenant)
    if not credentials_complete(config):
        raise ConfigError("Enter the SmartEtailing POS FTP account number and password on the SmartEtailing page.")
    locations = locations_mapped(ctx.tenant)
    if not locations:
        ctx.warning("No Lightspeed shop is connected to a SmartEtailing location, so no stock is sent. "
                    "Connect at least one on the SmartEtailing page.")
        return
    now = timezone.now()
    for location in locations:
        with ctx.record(LOCATION_OBJECT, location.neighborhood_descriptor):
            _location_upload(ctx, config, location, now)


def _location_upload(ctx, config, location, now):
    source = mirror_source_stamp(ctx.tenant, config, location)
    if source == location.last_source and not full_due(location, now):
        ctx.count("unchanged")  # nothing the file is made of has moved: not even built
        return
    name, data, count = location_file(tenant=ctx.tenant, config=config, location=location)
    digest = checksum(data)
    reason = upload_due(location, digest, now)
    if reason is None:
        ctx.count("unchanged")
        if not ctx.dry_run:
            location.last_source = source
            location.save(update_fields=["last_source"])
        return
    if ctx.dry_run:
        ctx.info(f"would upload {name} ({count} items, {reason})", object_type=LOCATION_OBJECT,
                 object_id=location.neighborhood_descriptor)
        return
    pos_ftp_upload(config, name, data)
    location.last_checksum, location.last_file_name, location.last_rows = digest, name, count
    location.last_uploaded_at, location.last_source = now, source
    location.save(update_fields=["last_checksum", "last_file_name", "last_rows", "last_uploaded_at", "last_source"])
    ctx.count("files_uploaded")
    ctx.count("items_sent", count)
    ctx.info(f"uploaded {name}: {count} items ({reason})", object_type=LOCATION_OBJECT,
             object_id=location.neighborhood_descriptor, data={"bytes": len(data), "reason": reason})
