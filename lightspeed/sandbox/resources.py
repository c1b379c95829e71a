"""Resource specs: collection, primary key, filterable fields, sort allow-list, relations, renderer."""
from dataclasses import dataclass, field
from typing import Callable

from . import quotes, render, render_sales
from .envelope import stringify


@dataclass(frozen=True)
class Field:
    get: Callable
    kind: str = "int"  # int | str | bool | time | decimal
    many: bool = False  # get() returns a list; the filter matches when any value matches
    requires: str | None = None  # relation that must be in load_relations to filter on it
    attr: str | None = None  # the record attribute, when get() is a plain attribute read


@dataclass(frozen=True)
class Resource:
    name: str
    pk: str
    table: str
    render: Callable
    sortable: tuple
    fields: dict
    relations: dict = field(default_factory=dict)  # name -> "one" | "many"
    scope: str | None = None  # inventory | register | customers (None: any token)
    archivable: bool = True
    native_strings: bool = False  # the renderer already emits strings (hot catalog path)

    def rendered(self, state, record, relations):
        out = self.render(state, record, relations)
        return out if self.native_strings else stringify(out)

    def pk_of(self, record):
        return self.fields[self.pk].get(record, None)


def _f(attr, kind="int"):
    return Field(lambda r, s, a=attr: getattr(r, a), kind, attr=attr)


def _nested_under_many(name, relations):
    """'SaleLines.Item' is nested under the X-to-many 'SaleLines'."""
    head = name.rsplit(".", 1)[0] if "." in name else None
    return head is not None and relations.get(head) == "many"


def relation_cost(resource, name, is_list):
    unit = 0.2 if resource.relations[name] == "many" else 0.1
    doubled = is_list or _nested_under_many(name, resource.relations)
    return unit * 2 if doubled else unit


SHOP = Resource("Shop", "shopID", "shops", render.shop, ("shopID",), {
    "shopID": _f("shop_id"), "name": _f("name", "str"), "archived": _f("archived", "bool"),
    "timeStamp": _f("time_stamp", "time")}, {"Registers": "many", "PriceLevel": "one", "Contact": "one",
                                             "TaxCategory": "one", "ReceiptSetup": "one", "CCGateway": "one",
                                             "ShelfLocations": "many"})

TAX_CATEGORY = Resource("TaxCategory", "taxCategoryID", "tax_categories", render.tax_category,
                        ("taxCategoryID", "timeStamp"), {
    "taxCategoryID": _f("tax_category_id"), "timeStamp": _f("time_stamp", "time")}, archivable=False)

REGISTER = Resource("Register", "registerID", "registers", render.register, ("registerID",), {
    "registerID": _f("register_id"), "name": _f("name", "str"), "shopID": _f("shop_id"),
    "archived": _f("archived", "bool")}, {"Shop": "one"}, scope="register")

EMPLOYEE = Resource("Employee", "employeeID", "employees", render.employee, ("employeeID", "timeStamp"), {
    "employeeID": _f("employee_id"), "firstName": _f("first_name", "str"), "lastName": _f("last_name", "str"),
    "archived": _f("archived", "bool"), "timeStamp": _f("time_stamp", "time")},
    {"Contact": "one", "EmployeeRole": "one", "EmployeeRole.EmployeeRights": "many", "EmployeeRights": "many"})

PRICE_LEVEL = Resource("PriceLevel", "priceLevelID", "price_levels", render.price_level, ("priceLevelID",), {
    "priceLevelID": _f("price_level_id"), "name": _f("name", "str"), "archived": _f("archived", "bool")})

PAYMENT_TYPE = Resource("PaymentType", "paymentTypeID", "payment_types", render.payment_type,
                        ("paymentTypeID",), {
    "paymentTypeID": _f("payment_type_id"), "name": _f("name", "str"), "type": _f("type", "str"),
    "archived": _f("archived", "bool")}, scope="register")

CATEGORY = Resource("Category", "categoryID", "categories", render.category,
                    ("categoryID", "timeStamp", "name", "fullPathName"), {
    "categoryID": _f("category_id"), "name": _f("name", "str"), "parentID": _f("parent_id"),
    "fullPathName": _f("full_path_name", "str"), "timeStamp": _f("time_stamp", "time")},
    {"Parent": "one"}, scope="inventory", archivable=False)

MANUFACTURER = Resource("Manufacturer", "manufacturerID", "manufacturers", render.manufacturer,
                        ("manufacturerID", "timeStamp", "name"), {
    "manufacturerID": _f("manufacturer_id"), "name": _f("name", "str"), "timeStamp": _f("time_stamp", "time")},
    scope="inventory", archivable=False)

ITEM_RELATIONS = {
    "Category": "one", "TaxClass": "one", "ItemAttributes": "one", "ItemAttributes.ItemAttributeSet": "one",
    "Manufacturer": "one", "Note": "one", "Images": "many", "ItemShops": "many", "ItemVendorNums": "many",
    "ItemComponents": "many", "ItemECommerce": "one", "TagRelations": "many", "TagRelations.Tag": "one",
    "CustomFieldValues": "many", "CustomFieldValues.value": "one", "ItemPrices": "many", "ItemMatrix": "one",
}


def _item_shop_values(attr, kind="int"):
    return Field(lambda r, s, a=attr: [getattr(x, a) for x in s.item_shops_by_item.get(r.item_id, ())],
                 kind, many=True, requires="ItemShops")


ITEM = Resource("Item", "itemID", "items", render.item, ("itemID", "timeStamp", "description"), {
    "itemID": _f("item_id"), "description": _f("description", "str"), "customSku": _f("custom_sku", "str"),
    "upc": _f("upc", "str"), "ean": _f("ean", "str"), "manufacturerSku": _f("manufacturer_sku", "str"),
    "systemSku": Field(lambda r, s: f"21{r.item_id:010d}", "str"), "categoryID": _f("category_id"),
    "manufacturerID": _f("manufacturer_id"), "itemMatrixID": _f("item_matrix_id"),
    "archived": _f("archived", "bool"), "timeStamp": _f("time_stamp", "time"),
    "createTime": _f("create_time", "time"),
    "itemCode": Field(lambda r, s: [str(r.item_id), r.upc, r.ean], "str", many=True),
    "ItemShops.qoh": _item_shop_values("qoh"), "ItemShops.shopID": _item_shop_values("shop_id"),
    "ItemShops.timeStamp": _item_shop_values("time_stamp", "time"),
}, ITEM_RELATIONS, scope="inventory", native_strings=True)

ITEM_SHOP = Resource("ItemShop", "itemShopID", "item_shops", render.item_shop, ("itemShopID", "timeStamp"), {
    "itemShopID": _f("item_shop_id"), "itemID": _f("item_id"), "shopID": _f("shop_id"), "qoh": _f("qoh"),
    "timeStamp": _f("time_stamp", "time")}, {"Item": "one"}, scope="inventory", archivable=False,
    native_strings=True)

ITEM_ATTRIBUTE_SET = Resource("ItemAttributeSet", "itemAttributeSetID", "item_attribute_sets",
                              render.item_attribute_set, ("itemAttributeSetID",), {
    "itemAttributeSetID": _f("item_attribute_set_id"), "name": _f("name", "str"),
    "archived": _f("archived", "bool")}, scope="inventory")

ITEM_MATRIX = Resource("ItemMatrix", "itemMatrixID", "item_matrices", render.item_matrix,
                       ("itemMatrixID", "timeStamp", "description"), {
    "itemMatrixID": _f("item_matrix_id"), "description": _f("description", "str"),
    "archived": _f("archived", "bool"), "timeStamp": _f("time_stamp", "time")},
    {"Items": "many", "Category": "one", "Manufacturer": "one", "ItemAttributeSet": "one", "TaxClass": "one"},
    scope="inventory")


def _contact_values(kind):
    def get(customer, state):
        c = customer.contact
        if kind == "email":
            return [e["address"] for e in c.emails]
        wanted = {"phoneHome": "Home", "phoneWork": "Work", "mobile": "Mobile", "pager": "Pager", "fax": "Fax"}[kind]
        return [p["number"] for p in c.phones if p.get("useType") == wanted]
    return Field(get, "str", many=True)


CUSTOMER = Resource("Customer", "customerID", "customers", render_sales.customer,
                    ("customerID", "timeStamp", "firstName", "lastName"), {
    "customerID": _f("customer_id"), "firstName": _f("first_name", "str"), "lastName": _f("last_name", "str"),
    "company": _f("company", "str"), "archived": _f("archived", "bool"), "timeStamp": _f("time_stamp", "time"),
    "createTime": _f("create_time", "time"),
    **{f"Contact.{k}": _contact_values(k) for k in ("email", "phoneHome", "phoneWork", "mobile", "pager", "fax")},
}, {"Contact": "one", "CustomerType": "one", "Discount": "one", "Note": "one", "TaxCategory": "one",
    "CreditAccount": "one", "Tags": "many", "CustomFieldValues": "many"}, scope="customers")

SALE_RELATIONS = {
    "SaleLines": "many", "SaleLines.Item": "one", "SaleLines.Note": "one", "SaleLines.Discount": "one",
    "SaleLines.TaxClass": "one", "SalePayments": "many", "SalePayments.PaymentType": "one", "SaleNotes": "one",
    "ShipTo": "one", "ShipTo.Contact": "one", "Customer": "one", "Customer.Contact": "one", "Discount": "one",
    "TaxCategory": "one", "Shop": "one", "Register": "one", "Employee": "one", "Quote": "one",
}

SALE = Resource("Sale", "saleID", "sales", render_sales.sale, ("saleID", "timeStamp", "completeTime", "updatetime"), {
    "saleID": _f("sale_id"), "completed": _f("completed", "bool"), "voided": _f("voided", "bool"),
    "archived": _f("archived", "bool"), "timeStamp": _f("time_stamp", "time"),
    "createTime": _f("create_time", "time"), "updatetime": _f("update_time", "time"),
    "completeTime": _f("complete_time", "time"), "referenceNumber": _f("reference_number", "str"),
    "referenceNumberSource": _f("reference_number_source", "str"), "customerID": _f("customer_id"),
    "shopID": _f("shop_id"), "registerID": _f("register_id"), "employeeID": _f("employee_id"),
    "quoteID": _f("quote_id"),
}, SALE_RELATIONS, scope="register")

SALE_LINE = Resource("SaleLine", "saleLineID", "sale_lines", render_sales.sale_line,
                     ("saleLineID", "timeStamp", "saleID"), {
    "saleLineID": _f("sale_line_id"), "saleID": _f("sale_id"), "itemID": _f("item_id"),
    "timeStamp": _f("time_stamp", "time")}, {"Item": "one", "Note": "one"}, scope="register", archivable=False)

SALE_PAYMENT = Resource("SalePayment", "salePaymentID", "sale_payments", render_sales.sale_payment,
                        ("salePaymentID", "timeStamp", "saleID"), {
    "salePaymentID": _f("sale_payment_id"), "saleID": _f("sale_id"), "paymentTypeID": _f("payment_type_id"),
    "archived": _f("archived", "bool"), "timeStamp": _f("create_time", "time")},
    {"PaymentType": "one"}, scope="register")

SHIP_TO = Resource("ShipTo", "shipToID", "ship_tos", render_sales.ship_to, ("shipToID", "timeStamp", "saleID"), {
    "shipToID": _f("ship_to_id"), "saleID": _f("sale_id"), "timeStamp": _f("time_stamp", "time")},
    {"Contact": "one"}, scope="customers", archivable=False)

QUOTE = Resource("Quote", "quoteID", "quotes", quotes.quote, ("quoteID",), {
    "quoteID": _f("quote_id"), "saleID": _f("sale_id"), "employeeID": _f("employee_id"),
    "archived": _f("archived", "bool"), "issueDate": _f("issue_date", "time")}, scope="customers")

RESOURCES = {r.name: r for r in (
    SHOP, TAX_CATEGORY, REGISTER, EMPLOYEE, PRICE_LEVEL, PAYMENT_TYPE, CATEGORY, MANUFACTURER, ITEM, ITEM_SHOP,
    ITEM_ATTRIBUTE_SET, ITEM_MATRIX, CUSTOMER, SALE, SALE_LINE, SALE_PAYMENT, SHIP_TO, QUOTE)}
