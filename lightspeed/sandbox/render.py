"""Render records into R-Series shaped dicts (Python values; envelope.stringify makes them strings).

`rels` is the set of loaded relation names (dotted names for nested ones, e.g. "SaleLines.Item").
"""
from decimal import Decimal

from .envelope import fmt_time, relation
from .seed import money

ZERO = Decimal("0")


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
    rows = [{"amount": money(amount), "useTypeID": level_id, "useType": state.price_levels[level_id].name}
            for level_id, amount in zip(state.price_levels, cents)]
    return relation("Prices", "ItemPrice", rows)


def item_matrix(state, rec, rels=frozenset()):
    variants = [i for i in state.items.values() if i.item_matrix_id == rec.item_matrix_id] if rels else []
    colors = sorted({i.color for i in variants}) if rels else []
    out = {"itemMatrixID": rec.item_matrix_id, "description": rec.description, "tax": True,
           "defaultCost": money(rec.default_cost), "itemType": "default", "serialized": False, "modelYear": 0,
           "archived": rec.archived, "timeStamp": fmt_time(rec.time_stamp),
           "itemAttributeSetID": rec.item_attribute_set_id, "manufacturerID": rec.manufacturer_id,
           "categoryID": rec.category_id, "defaultVendorID": 0, "taxClassID": 1, "seasonID": 0, "departmentID": 0}
    out.update(prices(state, rec.prices))
    if "Items" in rels:
        sizes = sorted({i.size for i in variants})
        out["attribute1Values"] = (colors[0] if len(colors) == 1 else colors) or ""
        out["attribute2Values"] = (sizes[0] if len(sizes) == 1 else sizes) or ""
        out.update(relation("Items", "Item", [item(state, i) for i in variants]))
    return out


def item_shop(state, rec, rels=frozenset()):
    sellable = max(rec.qoh, 0)
    out = {"itemShopID": rec.item_shop_id, "qoh": rec.qoh, "sellable": sellable, "backorder": 0,
           "componentQoh": 0, "componentBackorder": 0, "reorderPoint": rec.reorder_point,
           "reorderLevel": rec.reorder_level, "timeStamp": fmt_time(rec.time_stamp), "itemID": rec.item_id,
           "shopID": rec.shop_id, "onLayaway": 0, "onSpecialOrder": 0, "onWorkorder": 0,
           "onTransferOut": 0, "onTransferIn": 0}
    if rec.shop_id == 0:
        out["averageCost"] = money(state.items[rec.item_id].default_cost)
    if "Item" in rels:
        out["Item"] = item(state, state.items[rec.item_id])
    return out


def item(state, rec, rels=frozenset()):
    out = {"itemID": rec.item_id, "systemSku": f"21{rec.item_id:010d}", "defaultCost": money(rec.default_cost),
           "avgCost": money(rec.default_cost), "discountable": True, "tax": True, "archived": rec.archived,
           "itemType": "default", "serialized": False, "description": rec.description, "modelYear": 0,
           "upc": rec.upc, "ean": rec.ean, "customSku": rec.custom_sku, "manufacturerSku": rec.manufacturer_sku,
           "createTime": fmt_time(rec.create_time), "timeStamp": fmt_time(rec.time_stamp), "publishToEcom": False,
           "categoryID": rec.category_id, "taxClassID": 1, "departmentID": 0, "itemMatrixID": rec.item_matrix_id,
           "manufacturerID": rec.manufacturer_id, "seasonID": 0, "defaultVendorID": 0}
    if "Category" in rels and rec.category_id:
        out["Category"] = category(state, state.categories[rec.category_id])
    if "Manufacturer" in rels and rec.manufacturer_id:
        out["Manufacturer"] = manufacturer(state, state.manufacturers[rec.manufacturer_id])
    if "Note" in rels and rec.note is not None:
        out["Note"] = {"note": rec.note, "isPublic": False, "timeStamp": fmt_time(rec.time_stamp)}
    if "ItemAttributes" in rels and rec.item_matrix_id:
        out["ItemAttributes"] = {"itemAttributeSetID": 1, "attribute1": rec.color, "attribute2": rec.size,
                                 "attribute3": ""}
        if "ItemAttributes.ItemAttributeSet" in rels:
            out["ItemAttributes"]["ItemAttributeSet"] = {
                "itemAttributeSetID": 1, "name": "Color/Size", "attributeName1": "Color", "attributeName2": "Size",
                "attributeName3": "", "system": True, "archived": False}
    if "ItemMatrix" in rels and rec.item_matrix_id:
        out["ItemMatrix"] = item_matrix(state, state.item_matrices[rec.item_matrix_id])
    if "ItemShops" in rels:
        rows = [item_shop(state, s) for s in state.item_shops_by_item.get(rec.item_id, ())]
        out.update(relation("ItemShops", "ItemShop", rows))
    for empty in ("Images", "ItemVendorNums", "ItemComponents", "TagRelations", "CustomFieldValues"):
        if empty in rels:
            out[empty] = ""
    out.update(prices(state, rec.prices))
    return out
