"""SameSystem's API v1 client (samesystem.apib): logs in with the API user, keeps the 10-minute token and
logs in again before it runs out (or once when a call is refused with 401), and logs out when done.

    with samesystem_client(tenant) as client:      # logs out on leaving
        client.departments()                        # [{"name", "ctx_token", "dpt_no"}]
        client.fields(ctx)                          # {"fields": [...], "expense_groups": [...], ...}
        client.week(ctx, day)                       # {"register_count", "registers": [...]}
        client.save(ctx, day, register_number, lines=[{"field_id": 1, "value": 10.0}])
        client.confirm(ctx, day, register_number)   # Invalid(status=412) with SameSystem's description
"""
import json

from django.conf import settings

from connector.http import BaseApiClient, Invalid, Misconfigured, Unauthorized, json_object
from connector.redact import secret_register

TOKEN_SECONDS = 600  # "Token is valid for 10 minutes."
RENEW_BEFORE = 60  # log in again this long before the token would run out (a long call must not straddle it)
LOGIN_PATHS = ("/login", "/login.json", "/logout", "/logout.json")


class SameSystemClient(BaseApiClient):
    name = "samesystem"

    def __init__(self, *, email, password, base_url=None, clock=None, transport=None):
        super().__init__(base_url=(base_url or settings.SAMESYSTEM_API_URL).rstrip("/") + "/", transport=transport,
                         clock=clock)
        self.email, self.password = email, password
        self.token, self.token_expires_at = None, 0.0
        self.logins = 0
        secret_register(password)

    def __exit__(self, *exc):
        self.logout()

    # --- auth -------------------------------------------------------------------------------------
    def login(self):
        try:
            response = self._send_once("POST", "login", content=json.dumps({"email": self.email,
                                                                             "password": self.password}))
        except (Unauthorized, Invalid) as exc:
            raise Misconfigured(f"SameSystem refused the API user's email and password: {exc}",
                                status=exc.status) from None
        token = json_object(response, "samesystem login").get("token")
        if not token:
            raise Misconfigured("SameSystem's login answered without a token", status=response.status_code)
        secret_register(token)
        self.token, self.token_expires_at = token, self.clock.time() + TOKEN_SECONDS
        self.logins += 1
        return token

    def logout(self):
        """Invalidate the token (the blueprint asks for it after the last call); a failure changes nothing."""
        if not self.token_valid():  # expired: nothing to invalidate, and no login just to log out
            self.token = None
            return
        try:
            self._send_once("POST", "logout", content="{}")
        except Exception:  # noqa: BLE001  the token runs out by itself within 10 minutes anyway
            pass
        self.token = None

    def token_valid(self):
        return bool(self.token) and self.clock.time() < self.token_expires_at - RENEW_BEFORE

    def authorize(self, request):
        request.headers["Content-Type"] = "application/json"
        if request.url.path.endswith(("/login", "/login.json")):
            return
        if not self.token_valid():
            self.login()
        request.headers["Authorization"] = f'Token token="{self.token}"'

    def call(self, method, path, *, body=None, retry=None):
        """One API call, its JSON object back; a 401 logs in again once and repeats the call (the token may
        have been invalidated early). A second 401 means the user lacks the permission."""
        content = None if body is None else json.dumps(body)
        try:
            response = self.request(method, path, content=content, retry=retry)
        except Unauthorized:
            self.token = None
            try:
                response = self.request(method, path, content=content, retry=retry)
            except Unauthorized as exc:
                raise Misconfigured(f"The SameSystem API user may not do this ({method} {path}): give it the "
                                    f"permission in SameSystem", status=401) from exc
        return json_object(response, f"samesystem {method} {path}")

    def error_message(self, response):
        try:
            body = response.json()
        except ValueError:
            return response.text[:500]
        if isinstance(body, dict):
            return str(body.get("description") or body.get("status") or body)[:500]
        return str(body)[:500]

    # --- API v1 -----------------------------------------------------------------------------------
    def departments(self):
        return self.call("GET", "departments").get("departments") or []

    def fields(self, ctx):
        return self.call("GET", f"{ctx}/weekly_balance/fields")

    def week(self, ctx, day):
        return self.call("GET", f"{ctx}/weekly_balance/{day.isoformat()}")

    def save(self, ctx, day, register_number, *, lines, comments=None):
        """Set the day's values of the fields given (the same save again sets the same values)."""
        body = {"lines": lines, "expenses": [], "deposits": []}
        if comments is not None:
            body["comments"] = comments
        return self.call("POST", f"{ctx}/weekly_balance/save/{day.isoformat()}/{register_number}", body=body,
                         retry=True)

    def day_action(self, action, ctx, day, register_number):
        """confirm, unconfirm, approve_week or unapprove_week: each leaves the same state when repeated."""
        return self.call("POST", f"{ctx}/weekly_balance/{action}/{day.isoformat()}/{register_number}", retry=True)


def samesystem_client(tenant, *, clock=None, transport=None):
    """A client with the tenant's API user. Raises Misconfigured when it is missing."""
    from .selectors import samesystem_settings_get

    config = samesystem_settings_get(tenant)
    if config is None or not config.email or not config.password:
        raise Misconfigured("SameSystem is not set up: enter the API user's email and password", pause_tenant=False)
    return SameSystemClient(email=config.email, password=config.password, clock=clock, transport=transport)
