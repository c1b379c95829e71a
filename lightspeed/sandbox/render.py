"""Render records into R-Series shaped dicts (Python values; envelope.stringify makes them strings).

`rels` is the set of loaded relation names (dotted names for nested ones, e.g. "SaleLines.Item").
"""
from decimal import Decimal

from .envelope import fmt_time, one_or_many, relation, stringify

ZERO = Decimal("0")


def money(cents):
    """Catalog money is kept in cents; render straight to the API's unpadded decimal string."""
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    whole, fraction = divmod(cents, 100)
    return f"{sign}{whole}" if not fraction else f"{sign}{whole}.{fraction:02d}".rstrip("0")


def account(state, rec, rels=frozenset()):
    acct = state.account
    return {"accountID": acct.account_id, "name": acct.name,
            "link": {"@attributes": {"href": f"/API/V3/Account/{acct.account_id}"}}}


def account_detail(state, rec=None, rels=frozenset()):
    acct = state.account
    return {"@attributes": {"systemCustomerID": 1}, "accountID": acct.account_id, "name": acct.name,
            "status": "active", "employeeCount": len(state.employees), "employeeLimit": 100,
            "uniqueSubscriptionIdentifier": f"sandbox-{acct.account_id}",
            "defaultCurrency": {"code": acct.currency, "symbol": acct.symbol},
            "link": {"@attributes": {"href": f"/API/V3/Account/{acct.account_id}"}}}


def shop(state, rec, rels=frozenset()):
    out = {"shopID": rec.shop_id, "name": rec.name, "serviceRate": ZERO, "timeZone": rec.time_zone,
           "taxLabor": False, "labelTitle": "Shop Name", "labelMsrp": False, "archived": rec.archived,
           "timeStamp": fmt_time(rec.time_stamp), "companyRegistrationNumber": "", "vatNumber": "",
           "zebraBrowserPrint": False, "contactID": 0, "taxCategoryID": 0, "receiptSetupID": 0,
           "ccGatewayID": 0, "gatewayConfigID": 0, "priceLevelID": rec.price_level_id}
    if "Registers" in rels:
        rows = [register(state, r) for r in state.registers.values() if r.shop_id == rec.shop_id]
        out.update(relation("Registers", "Register", rows))
    if "PriceLevel" in rels:
        out["PriceLevel"] = price_level(state, state.price_levels[rec.price_level_id])
    return out


def register(state, rec, rels=frozenset()):
    out = {"registerID": rec.register_id, "name": rec.name, "open": True, "openTime": fmt_time(rec.open_time),
           "archived": rec.archived, "tipEnabled": False, "openEmployeeID": 1, "shopID": rec.shop_id,
           "ccTerminalID": 0}
    if "Shop" in rels:
        out["Shop"] = shop(state, state.shops[rec.shop_id])
    return out


def employee(state, rec, rels=frozenset()):
    return {"employeeID": rec.employee_id, "firstName": rec.first_name, "lastName": rec.last_name,
            "lockOut": rec.lock_out, "archived": rec.archived, "timeStamp": fmt_time(rec.time_stamp),
            "contactID": 0, "clockInEmployeeHoursID": 0, "employeeRoleID": 1, "limitToShopID": 0,
            "lastShopID": 1, "lastSaleID": 0, "lastRegisterID": 1}


def price_level(state, rec, rels=frozenset()):
    return {"priceLevelID": rec.price_level_id, "name": rec.name, "archived": rec.archived,
            "canBeArchived": rec.price_level_id > 3, "type": rec.type, "Calculation": ""}


def payment_type(state, rec, rels=frozenset()):
    return {"paymentTypeID": rec.payment_type_id, "name": rec.name, "requireCustomer": rec.require_customer,
            "archived": rec.archived, "internalReserved": rec.internal_reserved, "type": rec.type,
            "refundAsPaymentTypeID": 0}


def category(state, rec, rels=frozenset()):
    out = {"categoryID": rec.category_id, "name": rec.name, "nodeDepth": rec.node_depth,
           "fullPathName": rec.full_path_name, "leftNode": rec.category_id * 2, "rightNode": rec.category_id * 2 + 1,
           "createTime": fmt_time(rec.create_time), "timeStamp": fmt_time(rec.time_stamp), "parentID": rec.parent_id}
    if "Parent" in rels and rec.parent_id:
        out["Parent"] = category(state, state.categories[rec.parent_id])
    return out


def manufacturer(state, rec, rels=frozenset()):
    return {"manufacturerID": rec.manufacturer_id, "name": rec.name, "createTime": fmt_time(rec.create_time),
            "timeStamp": fmt_time(rec.time_stamp)}


def prices(state, cents):
    rows = [{"amount": money(amount), "useTypeID": str(level_id), "useType": state.price_levels[level_id].name}
            for level_id, amount in zip(state.price_levels, cents)]
    return relation("Prices", "ItemPrice", rows)


def item_attribute_set(state, rec, rels=frozenset()):
    first, second, third = rec.attribute_names
    return {"itemAttributeSetID": rec.item_attribute_set_id, "name": rec.name, "attributeName1": first,
            "attributeName2": second, "attributeName3": third, "system": rec.system, "archived": rec.archived}


def item_matrix(state, rec, rels=frozenset()):
    variants = [state.items[i] for i in state.items_by_matrix.get(rec.item_matrix_id, ())]
    out = {"itemMatrixID": rec.item_matrix_id, "description": rec.description, "tax": True,
           "defaultCost": money(rec.default_cost), "itemType": "default", "serialized": False, "modelYear": 0,
           "archived": rec.archived, "timeStamp": fmt_time(rec.time_stamp),
           "itemAttributeSetID": rec.item_attribute_set_id, "manufacturerID": rec.manufacturer_id,
           "categoryID": rec.category_id, "defaultVendorID": 0, "taxClassID": 1, "seasonID": 0, "departmentID": 0}
    out.update(prices(state, rec.prices))
    for number, attr in ((1, "color"), (2, "size")):
        values = list(dict.fromkeys(getattr(i, attr) for i in variants))  # first-seen order, like appends
        out[f"attribute{number}Values"] = one_or_many(values)
    if "Items" in rels:
        out.update(relation("Items", "Item", [item(state, i, set()) for i in variants]))
    return out


# Item and ItemShop are the hot path (100 rows a page, 100k-row catalogs): they render strings directly.
BOOL = {True: "true", False: "false"}


def item_shop(state, rec, rels=frozenset()):
    qoh = str(rec.qoh)
    out = {"itemShopID": str(rec.item_shop_id), "qoh": qoh, "sellable": qoh if rec.qoh > 0 else "0",
           "backorder": "0", "componentQoh": "0", "componentBackorder": "0", "reorderPoint": str(rec.reorder_point),
           "reorderLevel": str(rec.reorder_level), "timeStamp": fmt_time(rec.time_stamp),
           "itemID": str(rec.item_id), "shopID": str(rec.shop_id), "onLayaway": "0", "onSpecialOrder": "0",
           "onWorkorder": "0", "onTransferOut": "0", "onTransferIn": "0"}
    if rec.shop_id == 0:
        out["averageCost"] = money(state.items[rec.item_id].default_cost)
    if "Item" in rels:
        out["Item"] = item(state, state.items[rec.item_id])
    return out


def item(state, rec, rels=frozenset()):
    cost = money(rec.default_cost)
    out = {"itemID": str(rec.item_id), "systemSku": f"21{rec.item_id:010d}", "defaultCost": cost, "avgCost": cost,
           "discountable": "true", "tax": "true", "archived": BOOL[rec.archived], "itemType": "default",
           "serialized": "false", "description": rec.description, "modelYear": "0", "upc": rec.upc,
           "ean": rec.ean, "customSku": rec.custom_sku, "manufacturerSku": rec.manufacturer_sku,
           "createTime": fmt_time(rec.create_time), "timeStamp": fmt_time(rec.time_stamp),
           "publishToEcom": "false", "categoryID": str(rec.category_id), "taxClassID": "1", "departmentID": "0",
           "itemMatrixID": str(rec.item_matrix_id), "manufacturerID": str(rec.manufacturer_id), "seasonID": "0",
           "defaultVendorID": "0"}
    if rels:
        _item_relations(state, rec, rels, out)
    out.update(prices(state, rec.prices))
    return out


def _item_relations(state, rec, rels, out):
    if "Category" in rels and rec.category_id:
        out["Category"] = stringify(category(state, state.categories[rec.category_id]))
    if "Manufacturer" in rels and rec.manufacturer_id:
        out["Manufacturer"] = stringify(manufacturer(state, state.manufacturers[rec.manufacturer_id]))
    if "Note" in rels and rec.note is not None:
        out["Note"] = {"note": rec.note, "isPublic": "false", "timeStamp": fmt_time(rec.time_stamp)}
    if "ItemAttributes" in rels and rec.item_matrix_id:
        out["ItemAttributes"] = {"itemAttributeSetID": "1", "attribute1": rec.color, "attribute2": rec.size,
                                 "attribute3": ""}
        if "ItemAttributes.ItemAttributeSet" in rels:
            out["ItemAttributes"]["ItemAttributeSet"] = stringify(item_attribute_set(state,
                                                                                     state.item_attribute_sets[1]))
    if "ItemMatrix" in rels and rec.item_matrix_id:
        out["ItemMatrix"] = stringify(item_matrix(state, state.item_matrices[rec.item_matrix_id]))
    if "ItemShops" in rels:
        rows = [item_shop(state, s) for s in state.item_shops_by_item.get(rec.item_id, ())]
        out.update(relation("ItemShops", "ItemShop", rows))
    for empty in ("Images", "ItemVendorNums", "ItemComponents", "TagRelations", "CustomFieldValues"):
        if empty in rels:
            out[empty] = ""
