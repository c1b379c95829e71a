"""Products and stock in the sandbox: GET /api/Inventory (ProductInventoryDto), GET /api/Catalog
(ProductCatalogDto, with the newer `LightspeedPOSEnabled`), the stock writes, BasicInfo and product create."""
from .orders import _int, _money
from .wire import ApiProblem, net_time, page


def _filter(sb, query, warehouse_ids):
    """The request's filters, parsed once: a predicate on a product."""
    skus = set(query.many("model.inventoryID") or query.many("model.sKU"))
    companies = set(query.ints("model.companyID"))
    eans = set(query.many("model.eAN"))
    upc = query.get("model.uPC")
    updated_from, updated_to = query.date("model.lastUpdatedFrom"), query.date("model.lastUpdatedTo")
    keyword = (query.get("model.keyword") or "").lower()
    active = query.int("model.activeStatus", -1)
    stocked = {sku for sku, w in sb.stock if w in warehouse_ids} if warehouse_ids else None

    def matches(product):
        return not ((skus and product["ID"] not in skus) or (companies and product["CompanyID"] not in companies)
                    or (eans and product["EAN"] not in eans) or (upc and product["UPC"] != upc)
                    or (updated_from is not None and product["LastModifiedDate"] < updated_from)
                    or (updated_to is not None and product["LastModifiedDate"] > updated_to)
                    or (keyword and keyword not in (product["ID"] + " " + product["ProductName"]).lower())
                    or (active != -1 and int(product["IsActive"]) != active)
                    or (stocked is not None and product["ID"] not in stocked))
    return matches


def _selected(sb, query):
    warehouse_ids = query.ints("model.warehouse")
    for w in warehouse_ids:
        sb.warehouse_get(w)
    matches = _filter(sb, query, warehouse_ids)
    rows = [p for sku, p in sorted(sb.products.items()) if matches(p)]
    return rows, warehouse_ids


def _common(sb, product, warehouse_ids):
    total = sb.physical(product["ID"])
    in_warehouses = sb.physical(product["ID"], warehouse_ids) if warehouse_ids else total
    return {"ID": product["ID"], "ProductName": product["ProductName"], "UPC": product["UPC"], "EAN": product["EAN"],
            "ManufacturerSKU": product["ManufacturerSKU"], "CompanyID": product["CompanyID"],
            "CompanyName": sb.companies[product["CompanyID"]]["CompanyName"],
            "SitePrice": float(product["SitePrice"]), "SiteCost": float(product["SiteCost"]),
            "LastCost": float(product["SiteCost"]), "AverageCost": float(product["SiteCost"]),
            "PhysicalQty": total, "ReservedQty": 0, "AggregateQty": total, "InventoryAvailableQty": total,
            "WarehouseBasedPhysicalAndReservedQty": bool(warehouse_ids), "WarehousePhysicalQty": in_warehouses,
            "WarehousePhysicalQtyValue": float(in_warehouses), "WarehouseReservedQtyValue": 0.0,
            "Status": int(bool(product["IsActive"])), "LastModifiedDate": net_time(product["LastModifiedDate"]),
            "IsKit": False, "ShadowOf": None}


def inventory_page(sb, query):
    """One page of ProductInventoryDto (only the page's rows are rendered)."""
    rows, warehouse_ids = _selected(sb, query)
    if (low := query.int("model.physicalQtyFrom")) is not None:
        rows = [p for p in rows if sb.physical(p["ID"], warehouse_ids or None) >= low]
    if (high := query.int("model.physicalQtyTo")) is not None:
        rows = [p for p in rows if sb.physical(p["ID"], warehouse_ids or None) <= high]
    return page(rows, query, view=lambda p: {**_common(sb, p, warehouse_ids),
                                             "CreationDate": net_time(p["DateCreated"])})


def catalog_page(sb, query):
    """One page of ProductCatalogDto, with the newer `LightspeedPOSEnabled`."""
    rows, warehouse_ids = _selected(sb, query)
    return page(rows, query, view=lambda p: {
        **_common(sb, p, warehouse_ids), "LightspeedPOSEnabled": p["LightspeedPOSEnabled"],
        "ActiveStatus": int(bool(p["IsActive"])), "DateCreated": net_time(p["DateCreated"]), "BrandName": "",
        "CustomColumns": [{"ColumnName": k, "Value": v} for k, v in p["CustomColumns"].items()]})


def _required(body, *names):
    if not isinstance(body, dict):
        raise ApiProblem(400, "The request is invalid.", {"model": ["The model field is required."]})
    missing = {f"model.{n}": [f"The {n} field is required."] for n in names if body.get(n.lower()) in (None, "")}
    if missing:
        raise ApiProblem(400, "The request is invalid.", missing)


def _warehouse(sb, body):
    warehouse_id = _int(body.get("warehouseid"), "WarehouseID")
    if not warehouse_id:
        warehouse_id = next(w for w, v in sb.warehouses.items() if v["IsDefault"])
    sb.warehouse_get(warehouse_id)
    return warehouse_id


def stock_set(sb, body):
    _required(body, "ProductID", "PhysicalQty")
    sb.product_get(str(body["productid"]))
    sb.stock_set(str(body["productid"]), _warehouse(sb, body), _int(body["physicalqty"], "PhysicalQty"),
                 reason="SetPhysicalInventory")


def stock_adjust(sb, body):
    _required(body, "ProductID", "AdjustmentType", "Reason")
    kind = _int(body["adjustmenttype"], "AdjustmentType")
    if kind not in (0, 1):
        raise ApiProblem(400, "The request is invalid.", {"model.AdjustmentType": ["Subtract = 0, Add = 1."]})
    sb.product_get(str(body["productid"]))
    sb.stock_adjust(str(body["productid"]), _warehouse(sb, body), _int(body.get("qty"), "Qty"), kind == 1,
                    str(body["reason"]))


BASIC_FIELDS = {"productname": "ProductName", "siteprice": "SitePrice", "sitecost": "SiteCost", "upc": "UPC",
                "ean": "EAN", "manufacturersku": "ManufacturerSKU", "isactive": "IsActive"}


def basic_info(sb, body):
    _required(body, "ProductID")
    fields = {name: body[key] for key, name in BASIC_FIELDS.items() if key in body and body[key] is not None}
    for money in ("SitePrice", "SiteCost"):
        if money in fields:
            fields[money] = _money(fields[money], money)
    sb.product_update(str(body["productid"]), **fields)


def product_create(sb, body):
    _required(body, "ProductName", "ProductSKU", "ProductTypeName")
    sku = str(body["productsku"])
    if sku in sb.products:
        raise ApiProblem(400, f"Product with SKU '{sku}' already exists.")
    sb.product_add(sku, name=str(body["productname"]), upc=str(body.get("upc") or ""),
                   price=_money(body.get("defaultprice"), "DefaultPrice"),
                   cost=_money(body.get("sitecost"), "SiteCost"),
                   company_id=_int(body.get("companyid"), "CompanyId") or None)
    return sku
