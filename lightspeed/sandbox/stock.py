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
