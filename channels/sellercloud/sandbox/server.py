"""`python manage.py sandbox sellercloud --port PORT`: the REST API on 127.0.0.1 under /rest.

Prints `username`, `password` and `company_id` as `key: value` lines (a contract: the demo and scripts read them).
"""
from connector.sandbox_server import wsgi_serve

from .core import SellercloudSandbox


def add_arguments(parser):
    parser.add_argument("--seed", type=int, default=1, help="deterministic seed (credentials, company id)")
    parser.add_argument("--token-ttl", type=int, default=3600, help="expires_in of issued tokens, seconds")
    parser.add_argument("--products", type=int, default=0, help="seed this many products of its own")
    parser.add_argument("--lightspeed-seed", type=int, default=None,
                        help="seed products sharing UPCs/EANs with the Lightspeed sandbox of this seed")
    parser.add_argument("--lightspeed-items", type=int, default=200, help="item count of that Lightspeed sandbox")


def sandbox_from_options(options):
    return SellercloudSandbox(seed=options.get("seed") or 1, token_ttl=options.get("token_ttl") or 3600,
                              products=options.get("products") or 0, lightspeed_seed=options.get("lightspeed_seed"),
                              lightspeed_items=options.get("lightspeed_items") or 200)


def serve(stdout, port, **options):
    sandbox = sandbox_from_options(options)
    base = f"http://127.0.0.1:{port}"
    warehouses = "".join(f"warehouse {w['ID']}: {w['Name']}\n" for w in sandbox.warehouses.values())
    banner = (f"Sellercloud sandbox on {base}/rest (REST API; control surface {base}/sandbox/)\n"
              f"username: {sandbox.username}\npassword: {sandbox.password}\ncompany_id: {sandbox.company_id}\n"
              f"team: {sandbox.team}\n"
              f"{warehouses}products: {len(sandbox.products)}\n")
    wsgi_serve(sandbox.wsgi_app, port=port, banner=banner, stdout=stdout)
