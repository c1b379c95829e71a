"""`python manage.py sandbox miinto --port PORT`: the auth service and Order API on 127.0.0.1.

Prints the demo channel's identifier, secret and shop ids (a contract: the demo and scripts read them).
"""
from connector.sandbox_server import wsgi_serve

from .core import MiintoSandbox


def add_arguments(parser):
    parser.add_argument("--seed", type=int, default=1, help="deterministic seed (channel secret, shop ids, orders)")
    parser.add_argument("--countries", default="DK,SE,NO", help="one demo shop per country code")
    parser.add_argument("--pending-orders", type=int, default=0, help="seed this many pending orders")
    parser.add_argument("--gtins", default="", help="comma-separated GTINs the seeded orders draw from")
    parser.add_argument("--lightspeed-seed", type=int, default=None,
                        help="draw GTINs from the Lightspeed sandbox seeded with this seed (its item EANs)")
    parser.add_argument("--lightspeed-items", type=int, default=200, help="item count of that Lightspeed sandbox")


def lightspeed_gtins(seed, items):
    """EANs of the Lightspeed sandbox's seeded catalog, so seeded orders match its items."""
    from lightspeed.sandbox import LightspeedSandbox

    catalog = LightspeedSandbox(items=items, seed=seed).state.items.values()
    return [item.ean for item in catalog if item.ean and not item.archived]


def sandbox_from_options(options):
    gtins = [g.strip() for g in (options.get("gtins") or "").split(",") if g.strip()]
    if options.get("lightspeed_seed") is not None:
        gtins += lightspeed_gtins(options["lightspeed_seed"], options.get("lightspeed_items") or 200)
    countries = tuple(c.strip().upper() for c in options.get("countries", "DK,SE,NO").split(",") if c.strip())
    return MiintoSandbox(seed=options.get("seed", 1), countries=countries,
                         pending_orders=options.get("pending_orders") or 0, gtins=gtins or None)


def serve(stdout, port, **options):
    sandbox = sandbox_from_options(options)
    base = f"http://127.0.0.1:{port}"
    shops = "".join(f"shop {country}: {shop_id}\n" for shop_id, country in sandbox.shop_countries.items())
    banner = (f"Miinto sandbox on {base} (auth service and Order API; control surface {base}/sandbox/)\n"
              f"identifier: {sandbox.identifier}\nsecret: {sandbox.secret}\n{shops}"
              f"pending transfers: {len(sandbox.transfers)}\n")
    wsgi_serve(sandbox.wsgi_app, port=port, banner=banner, stdout=stdout)
