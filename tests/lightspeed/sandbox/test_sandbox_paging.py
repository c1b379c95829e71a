"""Cursor pagination, filters, sort allow-lists and count=1."""
import base64
import json
from urllib.parse import parse_qs, urlsplit


def walk(api, path, **params):
    rows, url, pages = [], None, 0
    response = api.get(path, **params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        key = path.split(".")[0].split("/")[-1]
        batch = body.get(key, [])
        rows.extend(batch if isinstance(batch, list) else [batch])
        pages += 1
        url = body["@attributes"]["next"]
        if not url:
            return rows, pages
        response = api.get(url)


def test_next_url_echoes_params_and_appends_default_sort_and_limit(api):
    body = api.get("Item.json", archived="true").json()
    query = parse_qs(urlsplit(body["@attributes"]["next"]).query)
    assert query["archived"] == ["true"] and query["sort"] == ["itemID"] and query["limit"] == ["100"]
    assert json.loads(base64.b64decode(query["after"][0])) == [100]
    assert body["@attributes"]["previous"] == ""


def test_cursor_for_non_pk_sort_carries_value_and_pk(api):
    body = api.get("ItemShop.json", sort="-timeStamp", limit="5").json()
    last = body["ItemShop"][-1]
    cursor = parse_qs(urlsplit(body["@attributes"]["next"]).query)["after"][0]
    assert json.loads(base64.b64decode(cursor)) == [last["timeStamp"], int(last["itemShopID"])]


def test_walking_all_pages_returns_every_row_once(api, sb):
    rows, pages = walk(api, "Item.json", limit="7", archived="true")
    ids = [int(r["itemID"]) for r in rows]
    assert ids == sorted(sb.state.items) and pages == len(ids) // 7 + 1


def test_paging_by_timestamp_while_items_change_loses_and_duplicates_nothing(api, sb, fake_clock):
    """Stable sort (itemShopID) while stock changes underneath: every row exactly once."""
    seen = []
    response = api.get("ItemShop.json", limit="25")
    step = 0
    while True:
        body = response.json()
        seen.extend(int(r["itemShopID"]) for r in body["ItemShop"])
        fake_clock.advance(1)
        for item_id in (1 + step * 3, 150 + step, 290 - step):  # changes ahead of and behind the cursor
            sb.set_stock(item_id, 1, step)
        step += 1
        if not body["@attributes"]["next"]:
            break
        response = api.get(body["@attributes"]["next"])
    assert sorted(seen) == sorted(sb.state.item_shops) and len(seen) == len(set(seen))
    assert step > 10


def test_previous_url_walks_back(api):
    first = api.get("Item.json", limit="3").json()
    second = api.get(first["@attributes"]["next"]).json()
    back = api.get(second["@attributes"]["previous"]).json()
    assert [r["itemID"] for r in back["Item"]] == [r["itemID"] for r in first["Item"]]


def test_operators(api, sb):
    between = api.get("Item.json", itemID="><,10,19", archived="true").json()["Item"]
    assert [int(r["itemID"]) for r in between] == list(range(10, 20))
    listed = api.get("Item.json", itemID="IN,[3,5,8]", archived="true").json()["Item"]
    assert [r["itemID"] for r in listed] == ["3", "5", "8"]
    assert all(int(r["itemID"]) != 1 for r in api.get("Item.json", itemID="!=,1").json()["Item"])
    like = api.get("Item.json", description="~,%hoodie%", archived="true").json().get("Item", [])
    like = like if isinstance(like, list) else [like]
    expected = [i for i in sb.state.items.values() if "hoodie" in i.description.lower()]
    assert len(like) == min(100, len(expected))


def test_or_filter(api, sb):
    body = api.get("Item.json", **{"or": "itemID=3|itemID=5"}).json()
    assert {r["itemID"] for r in body["Item"]} == {"3", "5"} - {str(i) for i, x in sb.state.items.items() if x.archived}


def test_timestamp_filter_with_encoded_offset(api, sb):
    cutoff = sorted(s.time_stamp for s in sb.state.item_shops.values())[-5]
    from lightspeed.sandbox.envelope import fmt_time
    stamp = fmt_time(cutoff + 3600).replace("+00:00", "+01:00")  # same instant, other offset
    rows = api.get("ItemShop.json", timeStamp=f">=,{stamp}", sort="timeStamp").json()["ItemShop"]
    assert len(rows) >= 5 and all(r["timeStamp"] >= fmt_time(cutoff) for r in rows)
    raw_plus = api.http.get(api.prefix + "ItemShop.json?timeStamp=%3E%2C2026-01-01T00:00:00+01:00",
                            headers=api.headers())
    assert raw_plus.status_code == 400 and "%2B" in raw_plus.json()["message"]


def test_archived_tri_state(api, sb):
    archived = {i for i, x in sb.state.items.items() if x.archived}
    assert archived
    only = walk(api, "Item.json", archived="only")[0]
    assert {int(r["itemID"]) for r in only} == archived
    default = walk(api, "Item.json")[0]
    assert not archived & {int(r["itemID"]) for r in default}


def test_sort_allow_list_error_lists_allowed_fields(api):
    response = api.get("Item.json", sort="customSku")
    assert response.status_code == 400
    assert "itemID, timeStamp, description" in response.json()["message"]


def test_count(api, sb):
    body = api.get("Item.json", count="1").json()
    assert body == {"@attributes": {"count": str(sum(1 for i in sb.state.items.values() if not i.archived))}}
    assert api.get("Item.json", count="1", limit="10").status_code == 400
    assert api.get("Item.json", count="1", sort="itemID").status_code == 400


def test_limit_above_100_is_refused(api):
    assert api.get("Item.json", limit="101").status_code == 400


def test_load_relations_must_be_json_array(api):
    assert api.get("Item.json", load_relations="ItemShops").status_code == 400
    assert api.get("Item.json", load_relations='["Nope"]').status_code == 400
    body = api.get("Item.json", load_relations="all", limit="1").json()
    assert "ItemShops" in body["Item"] and "Category" in body["Item"]


def test_relation_filter_requires_loading(api):
    assert api.get("Item.json", **{"ItemShops.qoh": ">,5"}).status_code == 400
    rows = api.get("Item.json", load_relations='["ItemShops"]', **{"ItemShops.qoh": ">,20"}).json()["Item"]
    assert all(any(int(s["qoh"]) > 20 for s in r["ItemShops"]["ItemShop"]) for r in rows)
