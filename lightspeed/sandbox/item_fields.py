"""Item fields a PUT may change besides the identifiers: prices per level, default cost, category and
manufacturer. Validated as a whole before anything changes (one bad price rejects the request)."""
from .envelope import ApiError
from .values import as_decimal, as_dict, as_int, rows


def price_cents(state, entries, current, verb):
    """New per-level cents tuple from `Prices.ItemPrice` entries ({amount, useTypeID} or {amount, useType});
    levels not sent keep their price."""
    levels = list(state.price_levels)
    cents = dict(zip(levels, current))
    by_name = {level.name.casefold(): level_id for level_id, level in state.price_levels.items()}
    for entry in entries:
        entry = as_dict(entry, "ItemPrice")
        level = _level(entry, by_name, verb)
        if level not in cents:
            raise ApiError(400, f"Item not {verb}. Unknown price level {level}.")
        amount = as_decimal(entry.get("amount"), "amount")
        if amount is None or amount < 0:
            raise ApiError(400, f"Item not {verb}. A price amount must be zero or more.")
        cents[level] = int((amount * 100).to_integral_value())
    return tuple(cents.get(level, 0) for level in levels)


def _level(entry, by_name, verb):
    if entry.get("useTypeID") not in (None, ""):
        return as_int(entry["useTypeID"], "useTypeID")
    name = str(entry.get("useType") or "").casefold()
    if not name:
        return 1
    if name not in by_name:
        raise ApiError(400, f"Item not {verb}. Unknown price level '{entry['useType']}'.")
    return by_name[name]


def check_references(state, payload, verb):
    """categoryID and manufacturerID, when sent and not 0, must name existing records."""
    for key, table in (("categoryID", "categories"), ("manufacturerID", "manufacturers")):
        value = as_int(payload.get(key), key)
        if value and value not in getattr(state, table):
            raise ApiError(400, f"Item not {verb}. {key} {value} does not exist.")


def catalog_changes(state, item, payload):
    """[(attribute, new value)] for the catalog fields in an Item PUT, all validated first."""
    changes = []
    if "Prices" in payload:
        changes.append(("prices", price_cents(state, rows(payload["Prices"], "ItemPrice"), item.prices, "updated")))
    if "defaultCost" in payload:
        cost = as_decimal(payload["defaultCost"], "defaultCost", 0)
        if cost < 0:
            raise ApiError(400, "Item not updated. defaultCost must be zero or more.")
        changes.append(("default_cost", int((cost * 100).to_integral_value())))
    check_references(state, payload, "updated")
    for key, attr in (("categoryID", "category_id"), ("manufacturerID", "manufacturer_id")):
        if key in payload:
            changes.append((attr, as_int(payload[key], key)))
    return [(attr, value) for attr, value in changes if getattr(item, attr) != value]
