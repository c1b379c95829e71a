"""Deterministic sandbox data: the merchant's locations, website catalog, customers and order items."""

LOCATIONS = ("Newport, KY", "Cincinnati, OH")  # Neighborhood Descriptors (matched exactly, case-sensitively)
FIRST_NAMES = ["Scott", "Dana", "Chris", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery"]
LAST_NAMES = ["Phillips", "Nguyen", "Garcia", "Miller", "Brooks", "Reyes", "Turner", "Hayes", "Cole", "Price"]
STREETS = ["648 Monmouth St", "12 Vine St", "300 Madison Ave", "41 Fairfield Ave", "9 York St"]
CITIES = [("Newport", "KY", "41071"), ("Cincinnati", "OH", "45202"), ("Covington", "KY", "41011")]
# The website's items when no Lightspeed catalog is given (gtin1 = UPC, gtin2 = EAN, mpn = manufacturer SKU).
DEMO_CATALOG = [
    {"gtin1": "888818539079", "gtin2": "", "mpn": "49120-1800", "description": "Specialized Stix Elite 2 Headlight",
     "category": "Catalog > Accessories > Lighting > Headlights", "price": "39.99"},
    {"gtin1": "00857373008306", "gtin2": "", "mpn": "T222B", "description": "Kuat Transfer V2 2-Bike Hitch Rack",
     "category": "Catalog > Car Racks > Hitch-Mount", "price": "379.00"},
    {"gtin1": "", "gtin2": "4026495869344", "mpn": "SL-7", "description": "Sigma Rox 4.0 Computer",
     "category": "Catalog > Accessories > Computers", "price": "59.95"},
]


def customer_for(rng):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city, state, zip_code = rng.choice(CITIES)
    return {"first": first, "last": last, "full": f"{first} {last}", "address1": rng.choice(STREETS),
            "city": city, "state": state, "zip": zip_code, "country": "United States",
            "phone": f"513-{rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}",
            "email": f"{first}.{last}.{rng.randrange(10_000)}@example.com".lower()}


def address(customer):
    keys = ("first", "last", "full", "address1", "address2", "city", "state", "country", "zip", "phone", "email")
    return {k: customer.get(k, "") for k in keys}


def items_for(rng, catalog):
    count = rng.randint(1, min(3, len(catalog)))
    return [{"gtin1": c["gtin1"], "gtin2": c["gtin2"], "mpn": c["mpn"], "description": c["description"],
             "category": c.get("category", "Catalog > Accessories"), "unit_price": c.get("price", "10.00"),
             "quantity": rng.randint(1, 2)} for c in rng.sample(catalog, count)]


def catalog_from_lightspeed(seed, items):
    """The Lightspeed sandbox's catalog as the website knows it, so seeded orders match its items."""
    from lightspeed.sandbox import LightspeedSandbox

    sandbox = LightspeedSandbox(items=items, seed=seed)
    rows = []
    for item in sandbox.state.items.values():
        if item.archived or not (item.upc or item.ean):
            continue
        rows.append({"gtin1": item.upc or "", "gtin2": item.ean or "", "mpn": item.manufacturer_sku or "",
                     "description": item.description, "category": "Catalog > Sandbox",
                     "price": f"{item.prices[0] / 100:.2f}"})
    return rows


def demo_export_order():
    """The one order of the public client's tests/demo_export.xml (a PayPal pickup order, bill-to empty but
    for the name, phone and email), as add_order arguments."""
    return {
        "order_id": "011521-031915-526", "method": "PayPal", "status": "Cancelled", "tax": "25.14",
        "pickup_location": "Newport, KY",
        "items": [
            {"id": 362778, "code": 72404, "mpn": "49120-1800", "gtin1": "888818539079", "unit_price": "39.99",
             "description": "Specialized Stix Elite 2 Headlight",
             "category": "Catalog > Accessories > Lighting > Headlights",
             "url": "http://www.reserbicycle.com/itemdetails.cfm?ID=362778",
             "options": [{"name": "Color", "value": "Black"}]},
            {"id": 8794, "code": 75565, "mpn": "T222B", "gtin1": "00857373008306", "unit_price": "379.00",
             "weight": "40.00", "description": "Kuat Transfer V2 2-Bike Hitch Rack",
             "category": "Catalog > Car Racks > Hitch-Mount", "url": "http://www.reserbicycle.com/itemdetails.cfm?ID=8794",
             "options": [{"name": "Size", "value": "2in"}]},
        ],
    }
