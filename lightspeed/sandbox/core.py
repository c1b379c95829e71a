"""`LightspeedSandbox`: one simulated R-Series account with its OAuth client, clock and controls."""
from connector.clock import SystemClock
from connector.sandbox_kit import FaultInjector
from connector.sandbox_kit.hold import HeldRequests, HoldingTransport
from connector.sandbox_server import LoopbackFaults

from . import sales
from .app import STATUS_FAULTS, SandboxApp
from .control import LightspeedControl
from .envelope import ApiError, stringify
from .ratelimit import RateLimiter
from .refunds import refund_sale_control
from .render_sales import customer as render_customer, sale as render_sale
from .seed import build_state
from .stock import item_shop_for, set_qoh
from .tokens import OAuthClient, TokenStore

DEMO_CLIENT_ID = "demo-client"
DEMO_CLIENT_SECRET = "demo-secret"
DEMO_REDIRECT_URI = "http://127.0.0.1:8000/lightspeed/callback/"
SALE_RELATIONS = {"SaleLines", "SalePayments", "ShipTo", "ShipTo.Contact", "SaleNotes", "Customer",
                  "Customer.Contact"}


class LightspeedSandbox:
    def __init__(self, items=200, shops=2, registers=3, seed=1, clock=None, time_scale=1.0, *, customers=40,
                 account_id=83050, access_token_ttl=3600, client_id=DEMO_CLIENT_ID,
                 client_secret=DEMO_CLIENT_SECRET, redirect_uri=DEMO_REDIRECT_URI, timeout_seconds=60.0):
        self.clock = clock or SystemClock()
        self.time_scale = float(time_scale)
        self._clock_origin = self.clock.time()
        self.account_id = account_id
        self.registers = registers
        self.access_token_ttl = access_token_ttl
        self.timeout_seconds = timeout_seconds
        self.state = build_state(items=items, shops=shops, registers=registers, seed=seed, now=int(self.now()),
                                 account_id=account_id, customers=customers)
        self.client_id, self.client_secret, self.redirect_uri = client_id, client_secret, redirect_uri
        self.oauth_clients = {}
        self.register_client(client_id, client_secret, redirect_uri)
        self.tokens = TokenStore(account_id=account_id, access_ttl=access_token_ttl)
        self.limiter = RateLimiter(registers)
        self.faults = FaultInjector((*STATUS_FAULTS, "timeout", "drop_after_commit", "hold"))
        self.request_log = []
        self.held = HeldRequests()
        self.control = LightspeedControl(self)
        self.hold_seconds = 5 * timeout_seconds  # the `hold` fault: past the client timeout and the settle window
        self.wsgi_app = LoopbackFaults(SandboxApp(self), self.faults, hold_seconds=timeout_seconds,
                                       on_fault=self.log_network_fault, land_after_seconds=self.hold_seconds)

    # -- time ----------------------------------------------------------------------------------------
    def now(self):
        """Sandbox time: the injected clock, running `time_scale` times faster from construction on."""
        elapsed = self.clock.time() - self._clock_origin
        return self._clock_origin + elapsed * self.time_scale

    def timestamp(self):
        """Whole seconds of sandbox time: what record timestamps store (the API has no fractions)."""
        return int(self.now())

    # -- OAuth ---------------------------------------------------------------------------------------
    def register_client(self, client_id, secret, redirect_uri, *, public=False):
        client = OAuthClient(client_id, secret, redirect_uri, numeric_id=51661 + len(self.oauth_clients),
                             public=public)
        self.oauth_clients[client_id] = client
        return client

    def issue_code(self, scope="employee:all", employee_id=1, *, client_id=None, code_challenge=None,
                   code_challenge_method=None):
        """Sandbox-only: an authorization code as if `employee_id` had approved the page."""
        with self.state.lock:
            return self.tokens.issue_code(client_id=client_id or self.client_id, scope=scope,
                                          employee_id=employee_id, now=self.now(), challenge=code_challenge or None,
                                          method=code_challenge_method or None)

    def transport(self):
        return HoldingTransport(self.wsgi_app, self.faults, self.held, now=self.now, on_fault=self.log_network_fault,
                                on_hold=self.log_hold, hold_seconds=self.hold_seconds)

    # -- the hold fault: a request held past the client's timeout, landing later -------------------------
    def hold_fault(self, seconds, method="POST", path_contains=None, times=1):
        """The next matching request times out for the client at once and lands `seconds` later."""
        self.held.arm(seconds, method=method, path_contains=path_contains, times=times)

    def land_held(self, *, all_=False):
        """Land the held requests that are due (all with all_=True); the next request does it too."""
        return self.transport().land(all_=all_)

    def log_hold(self, method, path, query, seconds):
        self.log_request(method, path, query, "hold", 0)

    # -- request log ---------------------------------------------------------------------------------
    def log_request(self, method, path, query, fault, status, cost=0.0):
        self.request_log.append({"method": method, "path": path, "query": query, "status": status, "cost": cost,
                                 "fault": fault, "time": self.now()})

    def log_network_fault(self, method, path, query, kind, status):
        """A timeout or a hold has not reached the app yet (log it); a dropped answer did (mark its entry)."""
        if kind in ("timeout", "hold"):
            return self.log_request(method, path, query, kind, status)
        for entry in reversed(self.request_log):
            if entry["method"] == method and entry["path"] == path and entry["fault"] is None:
                entry["fault"] = kind
                return None
        return None

    # -- control surface -----------------------------------------------------------------------------
    def set_stock(self, item_id, shop_id, qoh):
        with self.state.lock:
            if item_id not in self.state.items or shop_id not in self.state.shops:
                raise KeyError(f"no item {item_id} or shop {shop_id}")
            now = self.timestamp()
            set_qoh(self.state, item_shop_for(self.state, item_id, shop_id, now), qoh, now)

    def complete_sale(self, sale_id, payments=None):
        """Complete an open sale; `payments` = [{"amount":, "paymentTypeID":}] or the balance in cash."""
        with self.state.lock:
            return self._sale_action(sale_id, lambda sale: sales.sale_complete(self, sale, payments))

    def refund_sale(self, sale_id, payment_type_id=1):
        """Refund what is left of a completed sale (a new sale with negative lines); returns the refund."""
        with self.state.lock:
            return self._sale_action(sale_id, lambda sale: refund_sale_control(self, sale.sale_id, payment_type_id))

    def void_sale(self, sale_id):
        with self.state.lock:
            return self._sale_action(sale_id, lambda sale: sales.sale_void(self, sale))

    def _sale_action(self, sale_id, action):
        self.state.touch()
        sale = self.state.sales.get(sale_id)
        if sale is None:
            raise KeyError(f"no sale {sale_id}")
        try:
            return render_sale(self.state, action(sale), SALE_RELATIONS)
        except ApiError as exc:
            raise ValueError(exc.message) from None

    def sales(self):
        with self.state.lock:
            return [stringify(render_sale(self.state, s, SALE_RELATIONS)) for s in self.state.sales.values()]

    def customers(self):
        with self.state.lock:
            return [stringify(render_customer(self.state, c, {"Contact"})) for c in self.state.customers.values()]

    def inject_fault(self, kind, method=None, path_contains=None, times=1):
        self.faults.inject(kind, method=method, path_contains=path_contains, times=times)

    def reset_bucket(self):
        self.limiter.reset()

    def bucket_level(self, client_id=None):
        bucket = self.limiter.bucket(self.account_id, client_id or self.client_id)
        bucket._drain(self.now())
        return bucket.level
