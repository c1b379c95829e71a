"""`python manage.py sandbox lightspeed --port PORT [--items N] [--registers R] [--shops S] [--seed X]
[--time-scale T]`: serve the sandbox on 127.0.0.1 with a threaded WSGI server."""
import time

from connector.sandbox_server import wsgi_serve

from .core import LightspeedSandbox


def add_arguments(parser):
    parser.add_argument("--items", type=int, default=1000, help="catalog size (10 .. 100000)")
    parser.add_argument("--shops", type=int, default=2)
    parser.add_argument("--registers", type=int, default=3, help="register limit; drives bucket size and drip")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-scale", dest="time_scale", type=float, default=1.0,
                        help="sandbox time runs this many times faster than the wall clock")
    parser.add_argument("--timeout-seconds", dest="timeout_seconds", type=float, default=60.0,
                        help="how long an injected 'timeout' fault holds the request in loopback mode")
    parser.add_argument("--token-ttl", dest="access_token_ttl", type=int, default=3600)


def build(**options):
    return LightspeedSandbox(items=options.get("items", 1000), shops=options.get("shops", 2),
                             registers=options.get("registers", 3), seed=options.get("seed", 1),
                             time_scale=options.get("time_scale", 1.0),
                             timeout_seconds=options.get("timeout_seconds", 60.0),
                             access_token_ttl=options.get("access_token_ttl", 3600))


def serve(stdout, port, **options):
    started = time.monotonic()
    sandbox = build(**options)
    base = f"http://127.0.0.1:{port}"
    banner = (
        f"Lightspeed R-Series sandbox ready in {time.monotonic() - started:.1f}s: "
        f"{len(sandbox.state.items)} items, {len(sandbox.state.shops)} shops, {sandbox.registers} registers, "
        f"time scale {sandbox.time_scale}\n"
        f"  API base:      {base}/API/V3/\n"
        f"  Account:       {base}/API/V3/Account.json (accountID {sandbox.account_id})\n"
        f"  Authorize:     {base}/auth/oauth/authorize\n"
        f"  Token:         {base}/auth/oauth/token  (legacy {base}/oauth/access_token.php)\n"
        f"  Control:       {base}/sandbox/\n"
        f"  client_id:     {sandbox.client_id}\n"
        f"  client_secret: {sandbox.client_secret}\n"
        f"  redirect_uri:  {sandbox.redirect_uri}\n")
    wsgi_serve(sandbox.wsgi_app, port=port, banner=banner, stdout=stdout)
    return sandbox
