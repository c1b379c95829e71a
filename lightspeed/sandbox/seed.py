"""Deterministic seeding: the same (seed, sizes) always builds the same account.

Catalogs from 10 to 100,000 items: color/size matrices and standalone items, EAN-13/UPC/custom
SKUs, notes, manufacturers, a category tree, several price levels, stock per shop plus the
shopID 0 summary, registers (one named "Miinto"), employees, payment types and customers.
Item and ItemShop timestamps are spread over the past year so incremental sync is meaningful.
"""
import gc
import random
from decimal import Decimal

from .records import (
    Account, Category, Contact, Customer, Employee, EmployeeRole, Item, ItemAttributeSet, ItemMatrix, ItemShop,
    Manufacturer, PaymentType, PriceLevel, Register, Shop, TaxCategory,
)
from .state import State

YEAR = 365 * 24 * 3600
COLORS = ("Black", "White", "Navy", "Red", "Green", "Grey", "Beige", "Blue", "Pink", "Olive")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
NOUNS = ("Tee", "Hoodie", "Jacket", "Jeans", "Sneaker", "Cap", "Scarf", "Dress", "Shirt", "Sweater", "Boot", "Bag")
ADJECTIVES = ("Basic", "Classic", "Organic", "Vintage", "Slim", "Relaxed", "Premium", "Everyday", "Urban", "Nordic")
BRANDS = ("Nordwear", "Fjord & Co", "Urbanista", "Hav Studio", "Stone Lane", "Kobber", "Lumi", "Saga Denim",
          "Tind", "Vinter", "Brisk", "Moss", "Aalto", "Skov", "Norrland", "Kyst", "Fyr", "Dal", "Birk", "Ask")
CATEGORY_TREE = {
    "Apparel": ("Tops", "Bottoms", "Outerwear", "Dresses"),
    "Footwear": ("Sneakers", "Boots"),
    "Accessories": ("Bags", "Hats", "Scarves"),
    "Home": (),
}
FIRST_NAMES = ("Anna", "Lars", "Mette", "Jonas", "Sofie", "Mikkel", "Ida", "Emil", "Freja", "Oskar", "Clara", "Noah")
LAST_NAMES = ("Jensen", "Nielsen", "Hansen", "Larsen", "Berg", "Holm", "Dahl", "Lund", "Vik", "Strand")


def ean13(number):
    digits = f"{number % 10**12:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def upc12(number):
    digits = f"{number % 10**11:011d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def build_state(*, items, shops, registers, seed, now, account_id=83050, customers=40):
    enabled = gc.isenabled()
    gc.disable()  # half a million small objects: the cyclic GC would rescan them over and over
    try:
        return _build(items=items, shops=shops, registers=registers, seed=seed, now=now, account_id=account_id,
                      customers=customers)
    finally:
        gc.freeze()  # keep the catalog out of later collections (a full pass over it costs ~0.3 s)
        if enabled:
            gc.enable()


def _build(*, items, shops, registers, seed, now, account_id, customers):
    rng = random.Random(seed)
    state = State(Account(account_id=account_id, name=f"Sandbox Retail {seed}"))
    _reference_data(state, shops=shops, registers=registers, now=now)
    _categories(state, now)
    _tax_categories(state, now)
    _employee_roles(state, now)
    _attribute_sets(state)
    for index, name in enumerate(BRANDS, start=1):
        state.manufacturers[index] = Manufacturer(index, name, now - YEAR - index * 3600, now - YEAR + index)
    _catalog(state, rng, items=items, now=now)
    _customers(state, rng, count=customers, now=now)
    return state


def _reference_data(state, *, shops, registers, now):
    for shop_id in range(1, shops + 1):
        state.shops[shop_id] = Shop(shop_id, f"Shop {shop_id}" if shop_id > 1 else "Main Store",
                                    "Europe/Copenhagen", now - YEAR)
    for register_id in range(1, registers + 1):
        name = "Miinto" if register_id == registers and registers > 1 else f"Register {register_id}"
        shop_id = 1 if name == "Miinto" else (register_id - 1) % shops + 1
        state.registers[register_id] = Register(register_id, name, shop_id, now - 3600)
    for employee_id, (first, last, role_id) in enumerate(
            (("Owner", "Admin", 1), ("Sam", "Seller", 2), ("Miinto", "", 1), ("Former", "Staff", 2)), start=1):
        state.employees[employee_id] = Employee(employee_id, first, last, now - YEAR, archived=first == "Former",
                                                employee_role_id=role_id)
    for level_id, name in enumerate(("Default", "MSRP", "Online", "Wholesale"), start=1):
        state.price_levels[level_id] = PriceLevel(level_id, name)
    for type_id, (name, kind, reserved) in enumerate((
            ("Cash", "cash", True), ("Credit Card", "credit card", True), ("Gift Card", "gift card", True),
            ("Credit Account", "credit account", True), ("Miinto", "user defined", False),
            ("Old Voucher", "user defined", False)), start=1):
        state.payment_types[type_id] = PaymentType(type_id, name, kind, internal_reserved=reserved,
                                                   archived=name == "Old Voucher")


ADMIN_RIGHTS = ("admin", "admin_employees", "admin_inventory", "admin_shops", "admin_void_sale", "customers",
                "inventory", "register", "reports", "product_cost")
SALES_RIGHTS = ("customers", "inventory_read", "register")
MANAGER_RIGHTS = ("admin_inventory", "admin_void_sale", "customers", "inventory", "register", "reports",
                  "product_cost")


def _employee_roles(state, now):
    state.employee_roles[1] = EmployeeRole(1, "Admin", ADMIN_RIGHTS, now - YEAR)
    state.employee_roles[2] = EmployeeRole(2, "Employee", SALES_RIGHTS, now - YEAR)
    state.employee_roles[3] = EmployeeRole(3, "Manager", MANAGER_RIGHTS, now - YEAR)


def _tax_categories(state, now):
    """Seeded shops have taxCategoryID 0, so sales that name no category are untaxed (see the docs)."""
    for tax_id, name, rate in ((1, "VAT 25%", "0.25"), (2, "Reduced 12%", "0.12"), (3, "Exempt", "0")):
        state.tax_categories[tax_id] = TaxCategory(tax_id, name, "VAT", Decimal(rate), now - YEAR)


def _attribute_sets(state):
    """The system sets as the real API names them: the "Size" set keeps size in attribute 2."""
    for set_id, name, names in ((1, "Color/Size", ("Color", "Size", "")), (2, "Size", ("", "Size", "")),
                                (3, "Color", ("Color", "", "")),
                                (4, "3 Attributes", ("Attribute 1", "Attribute 2", "Attribute 3"))):
        state.item_attribute_sets[set_id] = ItemAttributeSet(set_id, name, names)


def _categories(state, now):
    category_id = 0
    for top, children in CATEGORY_TREE.items():
        category_id += 1
        parent_id = category_id
        state.categories[parent_id] = Category(parent_id, top, 0, top, 0, now - YEAR, now - YEAR)
        for child in children:
            category_id += 1
            state.categories[category_id] = Category(category_id, child, parent_id, f"{top}/{child}", 1,
                                                     now - YEAR, now - YEAR)


def _catalog(state, rng, *, items, now):
    leaf_categories = [c.category_id for c in state.categories.values() if c.node_depth == 1]
    shop_ids = list(state.shops)
    item_id = 0
    item_shop_id = 0
    matrix_id = 0
    while item_id < items:
        noun = NOUNS[rng.randrange(len(NOUNS))]
        title = f"{ADJECTIVES[rng.randrange(len(ADJECTIVES))]} {noun}"
        category_id = leaf_categories[rng.randrange(len(leaf_categories))]
        manufacturer_id = rng.randrange(len(BRANDS) + 1)  # 0 = no manufacturer
        price = rng.randrange(1000, 25000, 5)  # cents; Default level
        prices = (price, price * 12 // 10, price * 95 // 100, price // 2)
        variants = [("", "")]
        if rng.random() < 0.7 and items - item_id >= 4:
            colors = rng.sample(COLORS, rng.randint(1, 3))
            sizes = SIZES[rng.randrange(3):][:rng.randint(2, 4)]
            variants = [(c, s) for c in colors for s in sizes][: items - item_id]
            matrix_id += 1
            state.item_matrices[matrix_id] = ItemMatrix(matrix_id, title, category_id, manufacturer_id,
                                                        price // 2, prices, now - rng.randrange(YEAR))
        for color, size in variants:
            item_id += 1
            created = now - YEAR + rng.randrange(YEAR // 2)
            stamp = created + rng.randrange(now - created + 1)
            description = f"{title} {color} {size}".strip() if color else title
            code = rng.random()
            state.items[item_id] = Item(
                item_id, description,
                custom_sku=f"{noun[:3].upper()}-{item_id:06d}",
                upc=upc12(7_000_000_000 + item_id * 7) if 0.75 <= code < 0.9 else "",
                ean=ean13(5_700_000_000_000 + item_id * 13) if code < 0.75 else "",
                manufacturer_sku=f"M{manufacturer_id:02d}-{item_id}" if manufacturer_id else "",
                category_id=category_id, manufacturer_id=manufacturer_id,
                item_matrix_id=matrix_id if color else 0, color=color, size=size,
                note=f"Care: wash at 30 degrees ({item_id})" if code > 0.8 else None,
                default_cost=price // 2, prices=prices, create_time=created, time_stamp=stamp,
                archived=rng.random() < 0.02,
            )
            if color:
                state.items_by_matrix.setdefault(matrix_id, []).append(item_id)
            total = 0
            rows = []
            for shop_id in shop_ids:
                if shop_id > 1 and rng.random() < 0.1:
                    continue  # ItemShops are created lazily: not every item/shop pair exists
                qoh = rng.randrange(-1, 25)
                total += qoh
                item_shop_id += 1
                rows.append(ItemShop(item_shop_id, item_id, shop_id, qoh, created + rng.randrange(now - created + 1),
                                     **_replenishment(item_id, shop_id)))
            item_shop_id += 1
            rows.append(ItemShop(item_shop_id, item_id, 0, total, max(r.time_stamp for r in rows),
                                 **{k: sum(getattr(r, k) for r in rows) for k in REPLENISHMENT}))
            for row in rows:
                state.add_item_shop(row)


REPLENISHMENT = ("backorder", "reorder_point", "reorder_level")


def _replenishment(item_id, shop_id):
    """On order and reorder settings for some items, from the ids (not the rng: the catalog stays the same)."""
    spread = (item_id * 7 + shop_id * 3) % 10
    values = {"backorder": 6 if spread == 0 else 0, "reorder_point": 0, "reorder_level": 0}
    if spread in (1, 2, 3):
        values["reorder_point"], values["reorder_level"] = 2 + spread, 10 + 2 * spread
    return values


def _customers(state, rng, *, count, now):
    for customer_id in range(1, count + 1):
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        contact = Contact(customer_id, now - rng.randrange(YEAR), no_email=False, no_phone=False, no_mail=False)
        if customer_id % 5:
            contact.emails.append({"address": f"{first}.{last}{customer_id}@example.com".lower(),
                                   "useType": "Primary"})
        if customer_id % 3 == 0:
            contact.phones.append({"number": f"+45 2{customer_id:07d}", "useType": "Mobile"})
        if customer_id % 4 == 0:
            contact.phones.append({"number": f"+45 3{customer_id:07d}", "useType": "Home"})
        if customer_id % 2 == 0:
            contact.addresses.append({"address1": f"Vestergade {customer_id}", "address2": "", "city": "Aarhus",
                                      "state": "", "stateCode": "", "zip": "8000", "country": "Denmark",
                                      "countryCode": "DK"})
        created = now - rng.randrange(YEAR)
        state.customers[customer_id] = Customer(customer_id, first, last, contact, created, created)


def money(cents):
    return Decimal(cents) / 100
