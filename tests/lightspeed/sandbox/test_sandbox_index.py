"""The sorted-index path for big tables gives exactly what a plain scan gives, across writes."""
import pytest

from lightspeed.sandbox import paging
from lightspeed.sandbox.envelope import fmt_time

from .test_sandbox_paging import walk

QUERIES = [
    ("ItemShop.json", {"sort": "timeStamp", "limit": "50"}),
    ("ItemShop.json", {"sort": "-timeStamp", "limit": "50"}),
    ("Item.json", {"sort": "description", "limit": "40", "archived": "true"}),
    ("Item.json", {"sort": "-timeStamp", "limit": "30", "manufacturerID": "IN,[1,2,3]"}),
]


def collect(api, monkeypatch, threshold, path, params):
    monkeypatch.setattr(paging, "INDEX_THRESHOLD", threshold)
    return [tuple(sorted(r.items())) for r in walk(api, path, **params)[0]]


@pytest.mark.parametrize("path,params", QUERIES)
def test_index_walk_matches_scan(api, sb, monkeypatch, path, params):
    assert collect(api, monkeypatch, 0, path, params) == collect(api, monkeypatch, 10**9, path, params)


def test_index_with_range_filter_after_stock_changes(api, sb, monkeypatch, fake_clock):
    monkeypatch.setattr(paging, "INDEX_THRESHOLD", 0)
    walk(api, "ItemShop.json", sort="timeStamp")  # builds the index
    fake_clock.advance(600)
    since = fmt_time(sb.now())
    for item_id in (4, 40, 140):
        sb.set_stock(item_id, 1, 99)
    rows = walk(api, "ItemShop.json", sort="timeStamp", timeStamp=f">=,{since}")[0]
    assert {(r["itemID"], r["shopID"]) for r in rows} == {(str(i), s) for i in (4, 40, 140) for s in ("1", "0")}
    older = walk(api, "ItemShop.json", sort="-timeStamp", timeStamp=f"<,{since}", limit="100")[0]
    assert len(older) == len(sb.state.item_shops) - 6
    page = api.get("ItemShop.json", sort="timeStamp", timeStamp=f">=,{since}", limit="2").json()
    back = api.get(api.get(page["@attributes"]["next"]).json()["@attributes"]["previous"]).json()
    assert back["ItemShop"] == page["ItemShop"]


def test_index_follows_item_writes(api, sb, monkeypatch):
    monkeypatch.setattr(paging, "INDEX_THRESHOLD", 0)
    first = api.get("Item.json", sort="description", limit="1").json()["Item"]
    assert api.put("Item/7.json", {"description": "aaa first of all"}).status_code == 200
    now_first = api.get("Item.json", sort="description", limit="1").json()["Item"]
    assert now_first["itemID"] == "7" and first["itemID"] != "7"
    created = api.post("Item.json", {"description": "AAA even earlier"}).json()["Item"]
    assert api.get("Item.json", sort="description", limit="1").json()["Item"]["itemID"] == created["itemID"]
