"""Stock changes: absolute qoh per ItemShop, keeping the shopID 0 summary in step.

An ItemShop change bumps that ItemShop's (and the summary's) timeStamp, never Item.timeStamp.
"""
from .records import ItemShop


def item_shop_for(state, item_id, shop_id, now):
    for row in state.item_shops_by_item.get(item_id, ()):
        if row.shop_id == shop_id:
            return row
    row = ItemShop(state.next_id("item_shops"), item_id, shop_id, 0, now)
    state.add_item_shop(row)
    return row


def set_qoh(state, row, qoh, now):
    if row.shop_id == 0:
        raise ValueError("the shopID 0 ItemShop is a summary and cannot be set")
    row.qoh = int(qoh)
    _stamp(state, row, now)
    summary = item_shop_for(state, row.item_id, 0, now)
    summary.qoh = sum(r.qoh for r in state.item_shops_by_item[row.item_id] if r.shop_id != 0)
    _stamp(state, summary, now)


def _stamp(state, row, now):
    """Move the ItemShop's timeStamp, keeping the timeStamp sort index in step (no full rebuild)."""
    old = (row.time_stamp, row.item_shop_id)
    row.time_stamp = now
    state.item_shops.index_move("timeStamp", old, (now, row.item_shop_id))


def adjust_qoh(state, item_id, shop_id, delta, now):
    if item_id not in state.items:
        return
    row = item_shop_for(state, item_id, shop_id, now)
    set_qoh(state, row, row.qoh + delta, now)


def item_shop_update(sb, route, payload):
    """`PUT ItemShop/{id}` changes only reorderPoint and reorderLevel (docs, 2025-06-06): a qoh sent here is
    ignored, as upstream, so a client that sets stock this way sees its stock unchanged."""
    from .envelope import ApiError
    from .values import as_int

    row = sb.state.item_shops.get(route.record_id)
    if row is None:
        raise ApiError(404, f"Object of type 'ItemShop' not found with primary ID '{route.record_id}'.")
    changes = {attr: as_int(payload[key], key) for key, attr in (("reorderPoint", "reorder_point"),
                                                                ("reorderLevel", "reorder_level")) if key in payload}
    if any(value < 0 for value in changes.values()):
        raise ApiError(400, "ItemShop not updated. reorderPoint and reorderLevel must be zero or more.")
    for attr, value in changes.items():
        setattr(row, attr, value)
    if changes:
        _stamp(sb.state, row, sb.timestamp())
    return row, set()
