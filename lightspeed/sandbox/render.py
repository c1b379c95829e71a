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
           "zebraBrowserPrint": False, "contactID": 1000 + rec.shop_id, "taxCategoryID": rec.tax_category_id,
           "receiptSetupID": rec.shop_id, "ccGatewayID": 0, "gatewayConfigID": 0, "priceLevelID": rec.price_level_id}
    _shop_relations(state, rec, rels, out)
    return out


def _shop_relations(state, rec, rels, out):
    if "Contact" in rels:
        out["Contact"] = empty_contact(1000 + rec.shop_id, rec.time_stamp)
    if "TaxCategory" in rels:
        out["TaxCategory"] = tax_category_or_empty(state, rec.tax_category_id)
    if "ReceiptSetup" in rels:
        out["ReceiptSetup"] = {"receiptSetupID": rec.shop_id, "generalMsg": "", "workorderAgree": "",
                               "creditcardAgree": "", "emailFrom": "", "logo": "", "logoHeight": 0,
                               "logoWidth": 0, "timeStamp": fmt_time(rec.time_stamp)}
    if "CCGateway" in rels:
        out["CCGateway"] = ""  # ccGatewayID 0: no card gateway configured
    if "ShelfLocations" in rels:
        out["ShelfLocations"] = ""
    if "Registers" in rels:
        rows = [register(state, r) for r in state.registers.values() if r.shop_id == rec.shop_id]
        out.update(relation("Registers", "Register", rows))
    if "PriceLevel" in rels:
        out["PriceLevel"] = price_level(state, state.price_levels[rec.price_level_id])


def empty_contact(contact_id, time_stamp):
    return {"contactID": contact_id, "custom": "", "noEmail": False, "noPhone": False, "noMail": False,
            "Addresses": "", "Phones": "", "Emails": "", "Websites": "", "timeStamp": fmt_time(time_stamp)}


def tax_category(state, rec, rels=frozenset()):
    return {"taxCategoryID": rec.tax_category_id, "isTaxInclusive": rec.is_tax_inclusive,
            "tax1Name": rec.tax1_name, "tax2Name": "", "tax1Rate": rec.tax1_rate, "tax2Rate": ZERO,
            "timeStamp": fmt_time(rec.time_stamp), "taxCategoryName": rec.name}


def tax_category_or_empty(state, tax_category_id):
    rec = state.tax_categories.get(tax_category_id)
    return tax_category(state, rec) if rec else ""


def tax_class(state, tax_class_id=1):
    return {"taxClassID": tax_class_id, "name": "Item", "classType": "item",
            "timeStamp": "2020-01-01T00:00:00+00:00"}


def register(state, rec, rels=frozenset()):
    out = {"registerID": rec.register_id, "name": rec.name, "open": True, "openTime": fmt_time(rec.open_time),
           "archived": rec.archived, "tipEnabled": False, "openEmployeeID": 1, "shopID": rec.shop_id,
           "ccTerminalID": 0}
    if "Shop" in rels:
        out["Shop"] = shop(state, state.shops[rec.shop_id])
    return out


def employee(state, rec, rels=frozenset()):
    out = {"employeeID": rec.employee_id, "firstName": rec.first_name, "lastName": rec.last_name,
           "lockOut": rec.lock_out, "archived": rec.archived, "timeStamp": fmt_time(rec.time_stamp),
           "contactID": 2000 + rec.employee_id, "clockInEmployeeHoursID": 0, "employeeRoleID": rec.employee_role_id,
           "limitToShopID": 0, "lastShopID": 1, "lastSaleID": 0, "lastRegisterID": 1}
    if "Contact" in rels:
        out["Contact"] = empty_contact(2000 + rec.employee_id, rec.time_stamp)
    if "EmployeeRole" in rels:
        out["EmployeeRole"] = employee_role(state.employee_roles[rec.employee_role_id],
                                            "EmployeeRole.EmployeeRights" in rels)
    if "EmployeeRights" in rels:
        out.update(_rights(state.employee_roles[rec.employee_role_id]))
    return out


def employee_role(rec, with_rights):
    out = {"employeeRoleID": rec.employee_role_id, "name": rec.name, "timeStamp": fmt_time(rec.time_stamp)}
    if with_rights:
        out.update(_rights(rec))
    return out


def _rights(role):
    return relation("EmployeeRights", "EmployeeRight",
                    [{"employeeRightID": index, "name": name} for index, name in enumerate(role.rights, start=1)])


def price_level(state, rec, rels=frozenset()):
    return {"priceLevelID": rec.price_level_id, "name": rec.name, "archived": rec.archived,
            "canBeArchived": rec.price_level_id > 3, "type": rec.type, "Calculation": ""}


def payment_type(state, rec, rels=frozenset()):
    return {"paymentTypeID": rec.payment_type_id, "name": rec.name, "requireCustomer": rec.require_customer,
            "archived": rec.archived, "internalReserved": rec.internal_reserved, "type": rec.type,
            "refundAsPaymentTypeID": rec.refund_as_payment_type_id}


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
    attribute_set = state.item_attribute_sets[rec.item_attribute_set_id]
    for number in (1, 2):
        values = list(dict.fromkeys(item_attributes(attribute_set, i)[number - 1] for i in variants))
        out[f"attribute{number}Values"] = one_or_many([v for v in values if v])  # first-seen order
    _matrix_relations(state, rec, rels, out, variants)
    return out


def _matrix_relations(state, rec, rels, out, variants):
    if "Items" in rels:
        out.update(relation("Items", "Item", [item(state, i, set()) for i in variants]))
    if "ItemAttributeSet" in rels:
        out["ItemAttributeSet"] = item_attribute_set(state, state.item_attribute_sets[rec.item_attribute_set_id])
    if "TaxClass" in rels:
        out["TaxClass"] = tax_class(state)
    if "Category" in rels and rec.category_id:
        out["Category"] = category(state, state.categories[rec.category_id])
    if "Manufacturer" in rels and rec.manufacturer_id:
        out["Manufacturer"] = manufacturer(state, state.manufacturers[rec.manufacturer_id])


def item_attributes(attribute_set, rec):
    """(attribute1, attribute2, attribute3) of a variant: color and size go where the set names them."""
    by_name = {"color": rec.color, "size": rec.size}
    return tuple(by_name.get(name.lower(), "") for name in attribute_set.attribute_names)


# Item and ItemShop are the hot path (100 rows a page, 100k-row catalogs): they render strings directly.
BOOL = {True: "true", False: "false"}


def item_shop(state, rec, rels=frozenset()):
    qoh = str(rec.qoh)
    out = {"itemShopID": str(rec.item_shop_id), "qoh": qoh, "sellable": qoh if rec.qoh > 0 else "0",
           "backorder": str(rec.backorder), "componentQoh": "0", "componentBackorder": "0",
           "reorderPoint": str(rec.reorder_point),
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


def _item_attributes_relation(state, rec, rels):
    attribute_set = state.item_attribute_sets[state.item_matrices[rec.item_matrix_id].item_attribute_set_id]
    first, second, third = item_attributes(attribute_set, rec)
    out = {"itemAttributeSetID": str(attribute_set.item_attribute_set_id), "attribute1": first,
           "attribute2": second, "attribute3": third}
    if "ItemAttributes.ItemAttributeSet" in rels:
        out["ItemAttributeSet"] = stringify(item_attribute_set(state, attribute_set))
    return out


def _item_relations(state, rec, rels, out):
    if "Category" in rels and rec.category_id:
        out["Category"] = stringify(category(state, state.categories[rec.category_id]))
    if "Manufacturer" in rels and rec.manufacturer_id:
        out["Manufacturer"] = stringify(manufacturer(state, state.manufacturers[rec.manufacturer_id]))
    if "Note" in rels and rec.note is not None:
        out["Note"] = {"note": rec.note, "isPublic": "false", "timeStamp": fmt_time(rec.time_stamp)}
    if "ItemAttributes" in rels and rec.item_matrix_id:
        out["ItemAttributes"] = _item_attributes_relation(state, rec, rels)
    if "TaxClass" in rels:
        out["TaxClass"] = stringify(tax_class(state))
    if "ItemMatrix" in rels and rec.item_matrix_id:
        out["ItemMatrix"] = stringify(item_matrix(state, state.item_matrices[rec.item_matrix_id]))
    if "ItemShops" in rels:
        rows = [item_shop(state, s) for s in state.item_shops_by_item.get(rec.item_id, ())]
        out.update(relation("ItemShops", "ItemShop", rows))
    for empty in ("Images", "ItemVendorNums", "ItemComponents", "TagRelations", "CustomFieldValues"):
        if empty in rels:
            out[empty] = ""
