"""The Lightspeed Retail (R-Series) API client: bearer auth with refresh-once, the shared
leaky-bucket limiter, and the envelope (cursor pagination, one-row-object quirk).

    with lightspeed_client(tenant) as client:
        for raw in client.iterate("Item", {"timeStamp": ">=,2026-01-01T00:00:00+00:00"}): ...
"""
import json
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings

from connector.clock import system_clock
from connector.errors import ConfigError
from connector.http import BadResponse, BaseApiClient, Transient, Unauthorized, json_object
from connector.redact import secret_register

from .auth import connection_mark_needs_reconnect, connection_token_refresh
from .costs import request_cost
from .models import Connection
from .oauth import ReconnectRequired
from .ratelimit import BucketHeaders, RateLimiter
from .records import as_list
from .selectors import token_expired

API_ROOT = "/API/V3"
PAGE_LIMIT = 100
WRITE_METHODS = {"POST", "PUT", "DELETE"}


class ConnectionTokens:
    """The tenant's tokens; refreshes (under the row lock) only when expired or rejected."""

    def __init__(self, connection, clock):
        self.connection = connection
        self.clock = clock
        secret_register(connection.access_token)
        secret_register(connection.refresh_token)

    def current(self):
        if token_expired(self.connection, self.clock.now()):
            return self.rejected(self.connection.access_token)
        return self.connection.access_token

    def rejected(self, token):
        self.connection = connection_token_refresh(tenant=self.connection.tenant, rejected_token=token,
                                                   clock=self.clock)
        return self.connection.access_token


class StaticToken:
    """A token just obtained (account discovery during connect): nothing to refresh."""

    def __init__(self, token):
        secret_register(token)
        self.token = token

    def current(self):
        return self.token

    def rejected(self, token):
        raise ReconnectRequired("the new access token was rejected")


class LightspeedClient(BaseApiClient):
    name = "lightspeed"

    def __init__(self, *, tokens, account_id, clock=None, register_limit=1, transport=None, yield_after=None):
        clock = clock or system_clock
        super().__init__(base_url=settings.LIGHTSPEED_API_URL, transport=transport, clock=clock)
        self.tokens = tokens
        self.account_id = account_id
        self.limiter = RateLimiter(account_id=account_id or "-", client_id=settings.LIGHTSPEED_CLIENT_ID,
                                   clock=clock, register_limit=register_limit, yield_after=yield_after)
        self.stats = Counter()
        self._token_used = None
        self._reserved = 0.0

    # Paths and the envelope.
    def url_for(self, path):
        if path.startswith(("/", "http://", "https://")):
            return path
        path = path if path.endswith(".json") else f"{path}.json"
        return f"{API_ROOT}/Account/{self.account_id}/{path}"

    def get(self, path, params=None):
        return self.request_json("GET", self.url_for(path), params=params)

    def post(self, path, json=None, *, retry=False):
        return self.request_json("POST", self.url_for(path), json=json, retry=retry)

    def put(self, path, json=None, *, retry=False):
        return self.request_json("PUT", self.url_for(path), json=json, retry=retry)

    def request_json(self, method, url, **kwargs):
        return json_object(self.request(method, url, **kwargs), self.name)

    def iterate(self, resource, params=None):
        """Every row of a list endpoint, page by page through `@attributes.next` (same host, no loops)."""
        key = resource.removesuffix(".json").rsplit("/", 1)[-1]
        url, query = self.url_for(resource), {"limit": PAGE_LIMIT, **(params or {})}
        seen = set()
        while url:
            data = self.request_json("GET", url, params=query)
            self.stats["pages"] += 1
            yield from as_list(data.get(key))
            url, query = self.next_page(data, seen), None

    def next_page(self, data, seen):
        """The next page's URL, checked: on the API's own host, not seen before in this walk."""
        attributes = data.get("@attributes") or {}
        if not isinstance(attributes, dict):
            raise BadResponse(f"{self.name}: @attributes is not an object: {str(attributes)[:200]!r}")
        url = attributes.get("next")
        if not url:
            return ""
        if not isinstance(url, str) or not self.is_own_url(url):
            raise BadResponse(f"{self.name}: @attributes.next points off the API host: {str(url)[:200]!r}")
        if url in seen:
            raise BadResponse(f"{self.name}: paging loop: @attributes.next repeats {url[:200]!r}")
        seen.add(url)
        return url

    def is_own_url(self, url):
        """Relative, or the same scheme, host and port as the API base URL."""
        parts, base = urlsplit(url), self.http.base_url
        if not parts.scheme and not parts.netloc:
            return url.startswith("/")
        return (parts.scheme, parts.hostname, parts.port or _default_port(parts.scheme)) == (
            base.scheme, base.host, base.port or _default_port(base.scheme))

    # Auth: refresh once on a 401, then give up.
    def authorize(self, request):
        if not self.is_own_url(str(request.url)):
            raise BadResponse(f"{self.name}: refusing to send the bearer token to {request.url.host}")
        self._token_used = self.tokens.current()
        request.headers["Authorization"] = f"Bearer {self._token_used}"

    def request(self, method, url, **kwargs):
        try:
            return super().request(method, url, **kwargs)
        except Unauthorized:
            self.stats["refreshes_on_401"] += 1
            self.tokens.rejected(self._token_used)
        try:
            return super().request(method, url, **kwargs)
        except Unauthorized:
            if isinstance(self.tokens, ConnectionTokens):
                connection_mark_needs_reconnect(tenant=self.tokens.connection.tenant)
            raise ReconnectRequired("Lightspeed rejected a freshly refreshed token") from None

    # Rate limit.
    def wait_before(self, request):
        body = None
        if request.method in WRITE_METHODS and request.content:
            try:
                body = json.loads(request.content)
            except ValueError:
                body = None
        cost = request_cost(request.method, request.url.path, dict(request.url.params), body)
        self.limiter.acquire(cost)
        self._reserved = cost
        self.stats["predicted_drips"] += cost

    def observe(self, request, response):
        headers = BucketHeaders.from_response(response.headers)
        self.limiter.observe(self._reserved, headers)
        self.stats["requests"] += 1
        self.stats["drips"] += headers.cost if headers.cost is not None else self._reserved
        if response.status_code == 429:
            self.stats["rate_limited"] += 1
        self._reserved = 0.0

    def _send_once(self, method, url, **kwargs):
        try:
            return super()._send_once(method, url, **kwargs)
        except Transient as exc:
            if exc.status is None and self._reserved:
                self.limiter.release(self._reserved)
                self.stats["no_response"] += 1
                self._reserved = 0.0
            raise

    def error_message(self, response):
        try:
            body = response.json()
        except ValueError:
            return response.text[:300]
        if not isinstance(body, dict):
            return response.text[:300]
        parts = [body.get("message"), body.get("error"), body.get("error_description"), body.get("hint")]
        return " ".join(str(p) for p in parts if p) or response.text[:300]


def _default_port(scheme):
    return {"http": 80, "https": 443}.get(scheme)


def lightspeed_client(tenant, clock=None, yield_after=None):
    """A client for the tenant's connected account; ConfigError if there is none.

    `yield_after` (ctx.yield_after): the limiter raises WaitTooLong rather than wait longer."""
    connection = Connection.objects.for_tenant(tenant).first()
    if connection is None or connection.status == Connection.Status.DISCONNECTED or not connection.refresh_token:
        raise ConfigError("Connect Lightspeed first: no account is connected.", pause_tenant=True)
    if connection.status == Connection.Status.NEEDS_RECONNECT:
        raise ReconnectRequired(connection.status_reason)
    clock = clock or system_clock
    return LightspeedClient(tokens=ConnectionTokens(connection, clock), account_id=connection.account_id,
                            clock=clock, register_limit=connection.register_limit, yield_after=yield_after)


def account_discover(*, access_token, clock=None):
    """(account id, name) of the account a fresh token covers: GET /API/V3/Account.json."""
    with LightspeedClient(tokens=StaticToken(access_token), account_id="", clock=clock) as client:
        data = client.get(f"{API_ROOT}/Account.json")
    account = as_list(data.get("Account"))
    if not account:
        raise ConfigError("Lightspeed returned no account for this authorization.")
    return str(account[0].get("accountID") or ""), str(account[0].get("name") or "")
