"""Deterministic demo data: customers and order positions, from a seeded random.Random."""

FIRST_NAMES = ["Anna", "Mette", "Lars", "Sofie", "Emil", "Ida", "Oskar", "Freja", "Magnus", "Nora", "Jonas", "Ella"]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Andersson", "Johansson", "Larsen", "Berg", "Lund", "Holm", "Dahl"]
CITIES = {
    "DK": [("København K", "1050"), ("Aarhus C", "8000"), ("Odense C", "5000")],
    "SE": [("Stockholm", "111 52"), ("Göteborg", "411 06"), ("Malmö", "211 20")],
    "NO": [("Oslo", "0150"), ("Bergen", "5003"), ("Trondheim", "7011")],
}
STREETS = ["Strøget 12", "Vestergade 3", "Kungsgatan 44", "Karl Johans gate 7", "Nørregade 21, 2. th"]
PHONE_PREFIXES = {"DK": "+45", "SE": "+46", "NO": "+47"}
DEMO_GTINS = ["5700000000017", "5700000000024", "5700000000031", "5700000000048", "5700000000055"]


def customer_for(rng, country):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city, postcode = rng.choice(CITIES.get(country, CITIES["DK"]))
    return {
        "name": f"{first} {last}",
        "email": f"{first}.{last}.{rng.randrange(10_000)}@example.com".lower(),
        "phone": f"{PHONE_PREFIXES.get(country, '+45')} {rng.randrange(20_000_000, 99_999_999)}",
        "street": rng.choice(STREETS),
        "postcode": postcode,
        "city": city,
        "country": country,
    }


def _address(customer):
    keys = {"street": "street", "postcode": "postcode", "city": "city", "country": "countryCode"}
    return {out: customer[key] for key, out in keys.items() if key in customer}


def billing_information(customer):
    info = {k: customer[k] for k in ("name", "email", "phone") if k in customer}
    info["address"] = _address(customer)
    return info


def shipping_information(customer, shipping_type):
    delivery = {"address": _address(customer), "type": shipping_type}
    if "name" in customer:
        delivery["name"] = customer["name"]
    return {"deliveryAddress": delivery}


def positions_for(rng, gtins=None):
    pool = list(gtins) if gtins else DEMO_GTINS
    count = rng.randint(1, min(3, len(pool)))
    return [
        {"gtin": gtin, "quantity": rng.randint(1, 2), "price": rng.randrange(9_900, 149_900, 100)}
        for gtin in rng.sample(pool, count)
    ]
