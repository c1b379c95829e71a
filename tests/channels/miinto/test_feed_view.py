"""The feed URL: token, Basic auth, content from the mirror, filters, 304, gzip, tenant isolation."""
import base64
import csv
import gzip
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.http import http_date

from channels.miinto.feed import COLUMNS
from channels.miinto.services import miinto_feed_rotate_token, miinto_settings_get_or_create, miinto_settings_update
from lightspeed.models import ItemStock

from .feed_mirror import mirror_basics, mirror_categories, mirror_items

pytestmark = pytest.mark.django_db


def feed_url(settings):
    return reverse("miinto:feed", kwargs={"token": settings.feed_token})


def fetch(client, settings, **headers):
    response = client.get(feed_url(settings), headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def parse(body):
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline=""), dialect="excel-tab"))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture
def shop(tenant):
    mirror_basics(tenant)
    return miinto_settings_get_or_create(tenant=tenant)


def test_feed_serves_whole_catalog_from_mirror(client, tenant, shop):
    mirror_items(tenant, [
        dict(ean="5700000000001", custom_sku="A", description="Shirt", note="Cotton", manufacturer_name="Acme",
             category_name="Tops", color="Blue", size="L", prices={1: "199.9", 2: "150"}, stock={1: 4, 2: 9}),
        dict(ean="", description="No ean", price="10", qoh=-3),
    ])
    response, body = fetch(client, shop)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/tab-separated-values")
    header, rows = parse(body)
    assert header == list(COLUMNS)
    assert rows[0] == {"id": "2100000000001-A", "gtin": "5700000000001", "item_group_id": "A", "title": "Shirt",
                       "description": "Cotton", "price": "199.90", "brand": "Acme", "product_type": "Tops",
                       "color": "Blue", "size": "L", "stock_level": "4"}
    assert rows[1]["gtin"] == "2100000000002" and rows[1]["stock_level"] == "0"


def test_price_level_and_shop_follow_settings(client, tenant, shop):
    mirror_items(tenant, [dict(prices={1: "199.9", 2: "150"}, stock={1: 4, 2: 9})])
    from lightspeed.services import pos_choice_set

    miinto_settings_update(tenant=tenant, feed_price_level_ls_id=2)
    pos_choice_set(tenant=tenant, channel="miinto", shop_ls_id=2)
    _, rows = parse(fetch(client, shop)[1])
    assert (rows[0]["price"], rows[0]["stock_level"]) == ("150.00", "9")


def test_nasty_text_never_breaks_a_row(client, tenant, shop):
    texts = ["a\tb", "line\nbreak", "cr\r\nlf", 'he said "x"', '"', "😀 æøå", "x\u2028y", "\\"]
    mirror_items(tenant, [dict(description=t, note=t, color=t, size=t, custom_sku=t, manufacturer_name=t,
                               category_name=t, ean=f"57000000000{n:02d}") for n, t in enumerate(texts)])
    body = fetch(client, shop)[1]
    assert body.count(b"\n") == len(texts) + 1
    rows = list(csv.reader(io.StringIO(body.decode(), newline=""), dialect="excel-tab"))
    assert len(rows) == len(texts) + 1 and {len(r) for r in rows} == {len(COLUMNS)}
    assert rows[4][3] == 'he said "x"'


def test_duplicate_gtin_and_missing_price_are_left_out(client, tenant, shop):
    mirror_items(tenant, [dict(ean="5700000000001", description="first"),
                          dict(ean="5700000000001", description="second"),
                          dict(ean="5700000000003", price=None), dict(ean="5700000000004", archived=True),
                          dict(ean="5700000000005", price="0")])
    _, rows = parse(fetch(client, shop)[1])
    assert [r["title"] for r in rows] == ["first"]


def test_extra_columns(client, tenant, shop):
    mirror_items(tenant, [dict(price="12.34", qoh=2)])
    miinto_settings_update(tenant=tenant, feed_extra_columns=True, feed_currency="eur")
    header, rows = parse(fetch(client, shop)[1])
    assert header[11:] == ["c:stock_level:integer", "c:retail_price_EUR:integer", "image_link"]
    assert (rows[0]["c:stock_level:integer"], rows[0]["c:retail_price_EUR:integer"],
            rows[0]["image_link"]) == ("2", "1234", "")


def test_only_in_stock_and_category_filters(client, tenant, shop):
    mirror_categories(tenant, [(10, "Shoes", "Shoes"), (11, "Sneakers", "Shoes/Sneakers"), (20, "Bags", "Bags")])
    mirror_items(tenant, [dict(description="sneaker", category_ls_id=11, qoh=1),
                          dict(description="boot", category_ls_id=10, qoh=0),
                          dict(description="bag", category_ls_id=20, qoh=5),
                          dict(description="nostock", category_ls_id=10, stock={})])
    miinto_settings_update(tenant=tenant, feed_category_ls_ids=[10])
    assert [r["title"] for r in parse(fetch(client, shop)[1])[1]] == ["sneaker", "boot", "nostock"]
    miinto_settings_update(tenant=tenant, feed_only_in_stock=True)
    assert [r["title"] for r in parse(fetch(client, shop)[1])[1]] == ["sneaker"]


def test_rotating_the_token_revokes_the_old_url(client, tenant, shop):
    old_url = feed_url(shop)
    assert client.get(old_url).status_code == 200
    rotated = miinto_feed_rotate_token(tenant=tenant)
    assert rotated.feed_token != shop.feed_token
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(rotated)).status_code == 200
    assert client.get(reverse("miinto:feed", kwargs={"token": "nope"})).status_code == 404


def test_basic_auth_when_configured(client, tenant, shop):
    mirror_items(tenant, [dict()])
    miinto_settings_update(tenant=tenant, feed_basic_user="miinto", feed_basic_password="s3cret:pw")
    no_auth = client.get(feed_url(shop))
    assert no_auth.status_code == 401 and no_auth["WWW-Authenticate"].startswith("Basic realm=")
    wrong = base64.b64encode(b"miinto:wrong").decode()
    assert client.get(feed_url(shop), headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    assert client.get(feed_url(shop), headers={"Authorization": "Basic !!notbase64"}).status_code == 401
    good = base64.b64encode(b"miinto:s3cret:pw").decode()
    response, body = fetch(client, shop, Authorization=f"Basic {good}")
    assert response.status_code == 200 and len(parse(body)[1]) == 1


def test_etag_and_last_modified_give_304_until_something_changes(client, tenant, shop):
    items = mirror_items(tenant, [dict(qoh=3)])
    first, _ = fetch(client, shop)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(feed_url(shop), headers={"If-None-Match": etag}).status_code == 304
    assert client.get(feed_url(shop), headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(feed_url(shop), headers={"If-Modified-Since": http_date(0)}).status_code == 200
    ItemStock.unscoped.filter(item=items[0]).update(qoh=2)  # stock has no timestamp bump: the content hash changes
    changed = client.get(feed_url(shop), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_settings_change_changes_etag(client, tenant, shop):
    mirror_items(tenant, [dict()])
    etag = client.get(feed_url(shop))["ETag"]
    miinto_settings_update(tenant=tenant, feed_extra_columns=True)
    assert client.get(feed_url(shop), headers={"If-None-Match": etag}).status_code == 200


def test_gzip_when_asked(client, tenant, shop):
    mirror_items(tenant, [dict(description=f"item {n}", ean=f"57{n:011d}") for n in range(50)])
    plain_response, plain = fetch(client, shop)
    zipped_response, zipped = fetch(client, shop, **{"Accept-Encoding": "gzip, deflate"})
    assert zipped_response["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped_response["Vary"]
    assert "Content-Encoding" not in plain_response
    assert gzip.decompress(zipped) == plain
    assert zipped_response["ETag"] != plain_response["ETag"]


def test_head_and_post(client, tenant, shop):
    assert client.head(feed_url(shop)).status_code == 200
    assert client.post(feed_url(shop)).status_code == 405


def test_tenant_isolation(client, tenant, make_tenant, shop):
    other = make_tenant("other")
    mirror_basics(other)
    other_settings = miinto_settings_get_or_create(tenant=other)
    mirror_items(tenant, [dict(description="A's item", ean="5700000000001")])
    mirror_items(other, [dict(description="B's item", ean="5700000000002", ls_id=1)])
    a_rows = parse(fetch(client, shop)[1])[1]
    b_rows = parse(fetch(client, other_settings)[1])[1]
    assert [r["title"] for r in a_rows] == ["A's item"]
    assert [r["title"] for r in b_rows] == ["B's item"]
    assert shop.feed_token != other_settings.feed_token


def test_price_change_alone_changes_etag(client, tenant, shop):
    from lightspeed.models import ItemPrice

    items = mirror_items(tenant, [dict(price="10.00"), dict(price="20.00")])
    etag = client.get(feed_url(shop))["ETag"]
    ItemPrice.unscoped.filter(item=items[1]).update(amount=Decimal("19.99"))
    response, body = fetch(client, shop, **{"If-None-Match": etag})
    assert response.status_code == 200 and parse(body)[1][1]["price"] == "19.99"


def test_client_gone_mid_stream_leaves_no_open_transaction(client, tenant, shop):
    from django.db import connection

    mirror_items(tenant, [dict(ean=f"57{n:011d}") for n in range(300)])  # more than the first chunk
    response = client.get(feed_url(shop))
    stream = iter(response.streaming_content)
    next(stream)
    depth = len(connection.savepoint_ids)
    assert depth >= 1  # mid-stream: the feed reads inside its own atomic block
    response._iterator.close()  # the WSGI server closes the body iterable when Miinto hangs up
    assert len(connection.savepoint_ids) == depth - 1  # the feed's own atomic block is gone
    assert connection.in_atomic_block  # only pytest's own test transaction remains
    assert client.get(feed_url(shop)).status_code == 200


def test_query_count_does_not_grow_with_the_catalog(client, tenant, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_feed():
        with CaptureQueriesContext(connection) as captured:
            response, body = fetch(client, shop)
        assert response.status_code == 200
        return len(captured), len(parse(body)[1])

    mirror_items(tenant, [dict(ean=f"57{n:011d}", ls_id=n + 1) for n in range(5)])
    small = queries_for_feed()
    mirror_items(tenant, [dict(ean=f"58{n:011d}", ls_id=n + 100) for n in range(250)])
    large = queries_for_feed()
    assert (small[1], large[1]) == (5, 255)
    assert large[0] <= small[0] + 2  # the server-side cursor fetches in chunks; no query per item


def test_last_fetch_is_remembered_for_the_owner(client, tenant, shop):
    from django.core.cache import cache

    from channels.miinto.selectors import feed_fetch_key, feed_last_fetch

    cache.delete(feed_fetch_key(tenant))
    assert feed_last_fetch(tenant=tenant) is None
    miinto_settings_update(tenant=tenant, feed_basic_user="miinto", feed_basic_password="pw")
    client.get(feed_url(shop), headers={"User-Agent": "Miinto-Feed-Fetcher"})
    last = feed_last_fetch(tenant=tenant)
    assert (last["status"], last["user_agent"], last["gzip"]) == (401, "Miinto-Feed-Fetcher", False)
    good = base64.b64encode(b"miinto:pw").decode()
    fetch(client, shop, Authorization=f"Basic {good}", **{"Accept-Encoding": "gzip"})
    assert feed_last_fetch(tenant=tenant)["status"] == 200 and feed_last_fetch(tenant=tenant)["gzip"] is True


def test_each_miinto_shop_has_a_feed_with_its_mapped_shops_stock(client, tenant, shop):
    from channels.miinto.feed import feed_path

    mirror_items(tenant, [dict(stock={1: 4, 2: 9})])
    miinto_settings_update(tenant=tenant, shops=[
        {"shop_id": "1-m!i!s-045-1", "country": "DK", "lightspeed_shop_ls_id": 1},
        {"shop_id": "1-m!i!s-046-1", "country": "SE", "lightspeed_shop_ls_id": 2}])

    def stock(path, **headers):
        response = client.get(path, headers=headers)
        return response, parse(b"".join(response.streaming_content))[1][0]["stock_level"]

    dk, dk_stock = stock(feed_path(settings=shop, miinto_shop_id="1-m!i!s-045-1"))
    se, se_stock = stock(feed_path(settings=shop, miinto_shop_id="1-m!i!s-046-1"))
    assert (dk_stock, se_stock) == ("4", "9")
    assert dk["ETag"] != se["ETag"]
    assert client.get(feed_path(settings=shop, miinto_shop_id="1-m!i!s-099-1")).status_code == 404
    rotated = miinto_feed_rotate_token(tenant=tenant)
    assert client.get(feed_path(settings=shop, miinto_shop_id="1-m!i!s-045-1")).status_code == 404
    assert client.get(feed_path(settings=rotated, miinto_shop_id="1-m!i!s-045-1")).status_code == 200


def test_a_shop_feed_never_serves_another_tenants_shop(client, tenant, make_tenant, shop):
    from channels.miinto.feed import feed_path

    other = make_tenant("other")
    mirror_basics(other)
    miinto_settings_update(tenant=other,
                           shops=[{"shop_id": "1-m!i!s-045-9", "country": "DK", "lightspeed_shop_ls_id": 1}])
    assert client.get(feed_path(settings=shop, miinto_shop_id="1-m!i!s-045-9")).status_code == 404


def test_freshness_on_a_database_other_than_postgresql_uses_portable_hashes(client, tenant, shop, monkeypatch):
    """The demo runs on SQLite: hashint8/# are PostgreSQL-only, so other vendors hash the rows in Python."""
    from django.db import connection

    from channels.miinto import feed

    mirror_items(tenant, [dict(prices={1: "199.9"}, stock={1: 4})])
    pg = feed.feed_freshness(tenant=tenant, settings=shop)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setattr(feed, "feed_content_hashes_pg", lambda **kw: pytest.fail("PostgreSQL SQL on sqlite"))
    before = feed.feed_freshness(tenant=tenant, settings=shop)
    assert before == feed.feed_freshness(tenant=tenant, settings=shop) and before[1] == pg[1]
    ItemStock.objects.for_tenant(tenant).update(qoh=5)
    after = feed.feed_freshness(tenant=tenant, settings=shop)
    assert after[0] != before[0]
    response, _ = fetch(client, shop)
    assert response.status_code == 200 and response["ETag"].strip('"') == after[0]
