"""The pre-rendered feed: the feed check renders a file per feed shop; the URL serves it as a file while it is
current, streams live (and asks for a render) when it is not; a 304 is a lookup."""
import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from channels.miinto.feed_file import feed_storage
from channels.miinto.models import MiintoFeedFile, MiintoShop
from channels.miinto.services import miinto_settings_get_or_create, miinto_settings_update
from connector.models import SyncEvent, SyncRun
from connector.runs import run_job
from lightspeed.models import ItemStock

from .feed_mirror import mirror_basics, mirror_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(tenant):
    mirror_basics(tenant)
    mirror_items(tenant, [dict(ean="5700000000001", description='Jacket "Nord"', stock={1: 4, 2: 7}),
                          dict(ean="5700000000002", description="Shirt", stock={1: 0, 2: 1})])
    return miinto_settings_get_or_create(tenant=tenant)


def fetch(client, settings, shop_id=None, **headers):
    kwargs = {"token": settings.feed_token}
    if shop_id:
        kwargs["shop_id"] = shop_id
    response = client.get(reverse("miinto:shop_feed" if shop_id else "miinto:feed", kwargs=kwargs), headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def live(client, settings, **kw):
    MiintoFeedFile.unscoped.all().delete()
    return fetch(client, settings, **kw)


def test_feed_check_renders_a_file_that_is_served_byte_for_byte(client, tenant, shop):
    _, live_body = live(client, shop)
    run = run_job(tenant=tenant, job="miinto.feed_check")
    assert run.status == SyncRun.Status.SUCCEEDED and run.counts["feed_rows"] == 2
    file = MiintoFeedFile.objects.for_tenant(tenant).get()
    assert (file.rows, file.size) == (2, len(live_body))
    response, body = fetch(client, shop)
    assert type(response).__name__ == "FileResponse"
    assert body == live_body and response["Content-Length"] == str(len(live_body))
    gz_response, gz_body = fetch(client, shop, accept_encoding="gzip")
    assert gz_response["Content-Encoding"] == "gzip" and gzip.decompress(gz_body) == live_body


def test_a_304_from_the_file_is_a_lookup(client, tenant, shop):
    run_job(tenant=tenant, job="miinto.feed_check")
    response, _ = fetch(client, shop)
    with CaptureQueriesContext(connection) as queries:
        again, _ = fetch(client, shop, if_none_match=response["ETag"])
    assert again.status_code == 304
    assert not any("sum(" in q["sql"].lower() or "hashint8" in q["sql"] for q in queries.captured_queries)


def test_a_stock_change_is_in_the_file_after_the_next_check_and_the_old_file_goes(client, tenant, shop,
                                                                                django_capture_on_commit_callbacks):
    run_job(tenant=tenant, job="miinto.feed_check")
    old = MiintoFeedFile.objects.for_tenant(tenant).get()
    ItemStock.objects.for_tenant(tenant).filter(shop_ls_id=1, item__ls_id=2).update(qoh=9)
    with django_capture_on_commit_callbacks(execute=True):
        run_job(tenant=tenant, job="miinto.feed_check")
    new = MiintoFeedFile.objects.for_tenant(tenant).get()
    assert new.etag != old.etag and not feed_storage().exists(old.name)
    _, body = fetch(client, shop)
    assert b"\t9\n" in body


def test_an_unchanged_catalog_is_not_rendered_again(tenant, shop):
    run_job(tenant=tenant, job="miinto.feed_check")
    rendered_at = MiintoFeedFile.objects.for_tenant(tenant).get().rendered_at
    run = run_job(tenant=tenant, job="miinto.feed_check")
    assert MiintoFeedFile.objects.for_tenant(tenant).get().rendered_at == rendered_at
    assert SyncEvent.objects.for_tenant(tenant).filter(run=run, message__startswith="feed unchanged").exists()


def test_changed_settings_make_the_file_stale_so_the_feed_streams_live_and_asks_for_a_render(
        client, tenant, shop, monkeypatch):
    from channels.miinto import services

    run_job(tenant=tenant, job="miinto.feed_check")
    asked = []
    monkeypatch.setattr(services, "run_enqueue", lambda **kw: asked.append(kw["job"]))
    miinto_settings_update(tenant=tenant, feed_only_in_stock=True)
    response, body = fetch(client, miinto_settings_get_or_create(tenant=tenant))
    assert type(response).__name__ == "StreamingHttpResponse"
    assert b"Shirt" not in body and b"Nord" in body
    assert asked == ["miinto.feed_check"]
    fetch(client, miinto_settings_get_or_create(tenant=tenant))
    assert asked == ["miinto.feed_check"], "asked at most once a minute"


def test_each_mapped_miinto_shop_gets_its_own_file_with_its_shops_stock(client, tenant, shop):
    MiintoShop.unscoped.create(tenant=tenant, shop_id="1-m!i!s-045-1", country="DK", lightspeed_shop_ls_id=2)
    MiintoShop.unscoped.create(tenant=tenant, shop_id="1-m!i!s-046-1", country="SE", lightspeed_shop_ls_id=1)
    run_job(tenant=tenant, job="miinto.feed_check")
    assert sorted(MiintoFeedFile.objects.for_tenant(tenant).values_list("shop_ls_id", flat=True)) == [0, 1, 2]
    response, body = fetch(client, shop, shop_id="1-m!i!s-045-1")
    assert type(response).__name__ == "FileResponse"
    assert b"\t7\n" in body and b"\t1\n" in body
    _, other = fetch(client, shop, shop_id="1-m!i!s-046-1")
    assert b"\t4\n" in other and b"\t0\n" in other


def test_the_settings_page_shows_the_feed_files_age(owner_client, owner):
    tenant = owner.tenant
    mirror_basics(tenant)
    mirror_items(tenant, [dict(ean="5700000000001"), dict(ean="5700000000002")])
    page = owner_client.get(reverse("miinto:settings")).content.decode()
    assert "built at the next catalog check" in page
    run_job(tenant=tenant, job="miinto.feed_check")
    page = owner_client.get(reverse("miinto:settings")).content.decode()
    assert "last built 0" in page and "(2 products)" in page


def test_the_feed_check_follows_every_catalog_sync_that_changed_something():
    from connector.registry import followers_of

    assert "miinto.feed_check" in followers_of("lightspeed.catalog_sync")
