"""`/API/V3/...`: bearer auth, scopes, rate limiting, routing to reads and writes, response headers."""
import re

from . import render, writes
from .envelope import ApiError, error_body, error_response, json_response, oauth_error_body, stringify
from .oauth import _bearer
from .paging import parse_query, list_body
from .query import Condition, or_cost, parse_or, parse_relations
from .ratelimit import parse_payload, write_cost
from .resources import RESOURCES, relation_cost
from .tokens import AccessToken

PATH_RE = re.compile(r"^/API/V3/Account(?:/(\d+)(?:/([A-Za-z]+)(?:/(\d+))?(?:/([A-Za-z]+))?)?)?(\.json|\.xml)?$")
SESSION_PATH = "/API/V3/Session.json"
DENIED = "The resource owner or authorization server denied the request."
READ_SCOPES = {"inventory": {"employee:inventory", "employee:inventory_read", "employee:inventory_base",
                             "employee:admin_inventory", "employee:product_edit"},
               "register": {"employee:register", "employee:register_read"},
               "customers": {"employee:customers", "employee:customers_read"}}
WRITE_SCOPES = {"inventory": {"employee:inventory", "employee:admin_inventory", "employee:product_edit"},
                "register": {"employee:register"}, "customers": {"employee:customers"}}


SUB_ROUTES = {("Sale", "SaleLine"): "SaleLine", ("Sale", "refund"): "Sale"}  # sub-path -> resource it acts on


class Route:
    def __init__(self, match):
        account, resource, record_id, sub, suffix = match.groups()
        self.account_id = int(account) if account else None
        self.resource_name, self.sub = resource, sub
        self.record_id = int(record_id) if record_id else None
        self.suffix = suffix
        name = SUB_ROUTES.get((resource, sub), sub) if sub else resource
        self.resource = RESOURCES.get(name) if name else None
        self.is_list = bool(resource) and (record_id is None or sub is not None)


class ApiHandler:
    def __init__(self, sandbox):
        self.sb = sandbox

    def __call__(self, request):
        access = self._authenticate(request)
        if not isinstance(access, AccessToken):
            return access, 0.0
        if request.path == SESSION_PATH:
            return self._session(request, access)
        match = PATH_RE.match(request.path)
        if match is None:
            return error_response(404, error_body(404, f"Unknown API path '{request.path}'.")), 0.0
        route = Route(match)
        cost = self._cost(request, route)
        bucket = self.sb.limiter.bucket(self.sb.account_id, access.client_id)
        headers = {"X-LS-Acct-Id": str(self.sb.account_id),
                   "X-LS-Oauth-Client-Id": str(self.sb.oauth_clients[access.client_id].numeric_id)}
        refused = bucket.admit(self.sb.now(), cost)
        headers.update(bucket.headers(cost))
        if refused:
            return _too_many(refused, headers), 0.0  # a refused request is not charged
        try:
            body = self._dispatch(request, route, access)
            return json_response(body, 200, headers), cost
        except ApiError as exc:
            return error_response(exc.status, exc.body(), headers), cost

    def _session(self, request, access):
        """The token's session: who approved it (INFERENCE: the shape is not in our docs, see
        docs/lightspeed-retail-api.md; the fields are the ones R-Series clients are known to read)."""
        bucket = self.sb.limiter.bucket(self.sb.account_id, access.client_id)
        refused = bucket.admit(self.sb.now(), 1.0)
        headers = bucket.headers(1.0)
        if refused:
            return _too_many(refused, headers), 0.0
        if request.method != "GET":
            return error_response(405, error_body(405, "Method not allowed."), headers), 1.0
        employee = self.sb.state.employees.get(access.employee_id)
        body = {"sessionID": f"sandbox-{access.token[-12:]}", "employeeID": access.employee_id,
                "systemUserID": access.employee_id, "systemCustomerID": self.sb.account_id,
                "shopCount": len(self.sb.state.shops)}
        if employee is not None:
            body["Employee"] = render.employee(self.sb.state, employee)
        return json_response(stringify(body), 200, headers), 1.0

    def _authenticate(self, request):
        token = _bearer(request)
        if not token:
            return _denied('Missing "Authorization" header')
        access = self.sb.tokens.access.get(token)
        if access is None or self.sb.now() >= access.expires_at:
            return _denied("Access token could not be verified")
        if access.revoked:
            return _denied("Access token has been revoked")
        if not access.used:
            self.sb.tokens.first_use(access)
        return access

    def _cost(self, request, route):
        if request.method in ("POST", "PUT", "DELETE"):
            payload = parse_payload(request.get_data(as_text=True)) if request.method != "DELETE" else {}
            return write_cost(route.resource.name if route.resource else "", payload or {}, path_tail=route.sub or "")
        if request.args.get("count") in ("1", "true"):
            return 10.0
        cost = 1.0
        if route.resource is None:
            return cost
        try:
            for name in parse_relations(route.resource, request.args.get("load_relations")):
                cost += relation_cost(route.resource, name, route.is_list)
            for raw in request.args.getlist("or"):
                cost += or_cost(parse_or(route.resource, raw, set(route.resource.relations)))
        except ApiError:
            pass  # the request is refused later with a 400, still costing its base
        return round(cost, 4)

    def _dispatch(self, request, route, access):
        if route.suffix == ".xml" or (route.suffix is None and "json" not in request.headers.get("Accept", "")):
            raise ApiError(406, "The sandbox only serves JSON: use the .json suffix or Accept: application/json.")
        if route.account_id is None:
            if request.method != "GET":
                raise ApiError(405, "Method not allowed.")
            return {"@attributes": {"count": "1"}, "Account": stringify(render.account(self.sb.state, None))}
        if route.account_id != self.sb.account_id:
            raise ApiError(403, f"This access token is not valid for account {route.account_id}.")
        if route.resource_name is None:
            return {"Account": stringify(render.account_detail(self.sb.state))}
        if route.resource is None or (route.sub and (route.resource_name, route.sub) not in SUB_ROUTES):
            raise ApiError(404, f"Unknown resource '{route.sub or route.resource_name}'.")
        if route.sub == "refund" and request.method != "POST":
            raise ApiError(405, "Only POST is allowed on Sale/{saleID}/refund.")
        self._check_scope(route.resource, access, request.method)
        if request.method == "GET":
            return self._read(request, route)
        return writes.handle(self.sb, request, route)

    def _check_scope(self, resource, access, method):
        granted = set(access.scope.split())
        if resource.scope is None or "employee:all" in granted:
            return
        allowed = (READ_SCOPES if method == "GET" else WRITE_SCOPES)[resource.scope]
        if not granted & allowed:
            raise ApiError(403, f"Forbidden: the access token lacks the scope for {resource.name}.")

    def _read(self, request, route):
        resource, state = route.resource, self.sb.state
        if not route.is_list:
            record = getattr(state, resource.table).get(route.record_id)
            if record is None:
                raise ApiError(404, f"Object of type '{resource.name}' not found with primary ID "
                                    f"'{route.record_id}'.")
            query = parse_query(resource, request.args, is_list=False)
            return {"@attributes": {"count": "1"},
                    resource.name: resource.rendered(state, record, query.relations)}
        query = parse_query(resource, request.args)
        if route.sub:
            if route.record_id not in state.sales:
                raise ApiError(404, f"Object of type 'Sale' not found with primary ID '{route.record_id}'.")
            query.conditions.append(_sale_filter(resource, route.record_id))
        return list_body(query, state, request)


def _sale_filter(resource, sale_id):
    return Condition("saleID", resource.fields["saleID"], "=", [sale_id])


def _too_many(refused, headers):
    kind, retry_after = refused
    headers.update({"X-LS-API-RateLimit-Type": kind, "Retry-After": str(retry_after)})
    message = "Burst rate limit exceeded." if kind == "api-burst-limiter" else "Rate Limit Exceeded"
    return error_response(429, error_body(429, message), headers)


def _denied(hint):
    return json_response(oauth_error_body("access_denied", DENIED, hint), 401,
                         {"WWW-Authenticate": 'Bearer realm="api"'})
