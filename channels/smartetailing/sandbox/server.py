"""`python manage.py sandbox smartetailing --port PORT`: the XML order service on 127.0.0.1:PORT and the
POS FTP on 127.0.0.1:--ftp-port. Prints `key: value` lines (a contract the demo and scripts read):
merchant, url_key, ftp_port, ftp_user, ftp_password."""
from connector.sandbox_server import wsgi_serve

from . import seeding
from .core import SmartEtailingSandbox


def add_arguments(parser):
    parser.add_argument("--seed", type=int, default=1, help="deterministic seed (credentials, orders)")
    parser.add_argument("--ftp-port", type=int, default=0,
                        help="port of the POS FTP (default 0: any free port; the demo uses 2121)")
    parser.add_argument("--orders", type=int, default=0, help="seed this many paid orders")
    parser.add_argument("--lightspeed-seed", type=int, default=None,
                        help="the website's catalog is the Lightspeed sandbox's seeded with this seed")
    parser.add_argument("--lightspeed-items", type=int, default=200, help="item count of that Lightspeed sandbox")


def sandbox_from_options(options):
    catalog = None
    if options.get("lightspeed_seed") is not None:
        catalog = seeding.catalog_from_lightspeed(options["lightspeed_seed"], options.get("lightspeed_items") or 200)
    return SmartEtailingSandbox(seed=options.get("seed", 1), catalog=catalog, orders=options.get("orders") or 0)


def serve(stdout, port, **options):
    sandbox = sandbox_from_options(options)
    ftp_port = sandbox.ftp_start(options.get("ftp_port") or 0)
    base = f"http://127.0.0.1:{port}"
    banner = (f"SmartEtailing sandbox on {base} (order service {base}/webservices/xml/feeds.cfc; "
              f"control surface {base}/sandbox/; POS FTP ftp://127.0.0.1:{ftp_port})\n"
              f"merchant: {sandbox.merchant}\nurl_key: {sandbox.url_key}\nftp_port: {ftp_port}\n"
              f"ftp_user: {sandbox.ftp_user}\nftp_password: {sandbox.ftp_password}\n"
              f"locations: {' | '.join(sandbox.locations)}\nopen orders: {len(sandbox.orders_open())}\n")
    try:
        wsgi_serve(sandbox.wsgi_app, port=port, banner=banner, stdout=stdout)
    finally:
        sandbox.ftp_stop()
