"""`python manage.py sandbox buckles --port PORT`: the PROVISIONAL Buckles API and its control page on 127.0.0.1.

Prints `key: value` lines (a contract: the demo and scripts read them): account, token, webhook_secret.
"""
from connector.sandbox_server import wsgi_serve

from .core import BucklesSandbox


def add_arguments(parser):
    parser.add_argument("--seed", type=int, default=1, help="deterministic seed (token, webhook secret, products)")
    parser.add_argument("--webhook-url", default="", help="deliver events to this connector endpoint")


def serve(stdout, port, **options):
    sandbox = BucklesSandbox(seed=options.get("seed", 1))
    sandbox.webhook_url = options.get("webhook_url") or ""
    base = f"http://127.0.0.1:{port}"
    banner = (f"Buckles sandbox on {base} (PROVISIONAL contract, docs/buckles.md; control page {base}/sandbox/)\n"
              f"account: {sandbox.account}\ntoken: {sandbox.token}\nwebhook_secret: {sandbox.webhook_secret}\n"
              f"webhook_url: {sandbox.webhook_url or '-'}\n")
    wsgi_serve(sandbox.wsgi_app, port=port, banner=banner, stdout=stdout)
