"""The sandbox's WSGI app: Sellercloud's REST API under /rest/api, and the control surface under /sandbox.

Every /rest/api route but the token call needs `Authorization: Bearer <token>`; past 10,800 requests an
hour from one client IP every call answers 429 with the documented body (channels-deep.md §2.3/§2.6).
"""
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from . import catalog, orders
from .wire import ApiProblem, Query, body_fields, ci, empty_ok, json_response, net_time, net_time_7, page

R = "/rest/api"  # routes are matched lower-cased
URLS = Map([
    Rule("/api/server-by-team", methods=["GET"], endpoint="server_by_team"),  # the discovery host's call
    Rule(f"{R}/token", methods=["POST"], endpoint="token"),
    Rule(f"{R}/companies", methods=["GET"], endpoint="companies"),
    Rule(f"{R}/warehouses", methods=["GET"], endpoint="warehouses"),
    Rule(f"{R}/orders", methods=["GET"], endpoint="orders_list"),
    Rule(f"{R}/orders", methods=["POST"], endpoint="order_create"),
    Rule(f"{R}/orders/shippingstatus", methods=["PUT"], endpoint="order_ship"),
    Rule(f"{R}/orders/statuscode", methods=["PUT"], endpoint="order_status"),
    Rule(f"{R}/orders/<int:order_id>", methods=["GET"], endpoint="order_get"),
    Rule(f"{R}/orders/<int:order_id>/receivemanualpayment", methods=["PUT"], endpoint="order_payment"),
    Rule(f"{R}/orders/<int:order_id>/notes", methods=["POST"], endpoint="order_note"),
    Rule(f"{R}/inventory", methods=["GET"], endpoint="inventory"),
    Rule(f"{R}/inventory/warehouses", methods=["GET"], endpoint="inventory_warehouses"),
    Rule(f"{R}/inventory/setphysicalinventory", methods=["PUT"], endpoint="stock_set"),
    Rule(f"{R}/inventory/adjustphysicalinventory", methods=["PUT"], endpoint="stock_adjust"),
    Rule(f"{R}/catalog", methods=["GET"], endpoint="catalog"),
    Rule(f"{R}/catalog/basicinfo", methods=["PUT"], endpoint="basic_info"),
    Rule(f"{R}/products", methods=["POST"], endpoint="product_create"),
    Rule(f"{R}/products/<path:sku>/customcolumns", methods=["PUT"], endpoint="custom_column"),
], strict_slashes=False)
STATUS_FAULTS = {"500", "502", "503", "504", "429"}
ORDER_STATUSES = {1, 2, 3, 100, 200, 300, 999, -1}
MANUAL_PAYMENT_METHODS = {2, 4, 5, 6, 7, 8, 10, 19}


class SandboxApp:
    def __init__(self, sandbox):
        self.sb = sandbox

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith("/sandbox"):
            with self.sb.lock:
                return self.sb.control(request)(environ, start_response)
        response = self.dispatch(request)
        self.sb.request_log.append({"method": request.method, "path": request.path,
                                    "query": request.query_string.decode(), "status": response.status_code,
                                    "fault": None})
        return response(environ, start_response)

    def dispatch(self, request):
        reset = self.sb.rate_check(request.remote_addr or "in-process")
        if reset is not None:
            return json_response({"Error": "Too many requests.", "RateLimitResetTime": net_time_7(reset)}, 429)
        fault = self.sb.faults.take(request.method, request.path, STATUS_FAULTS | {"401"})
        if fault == "401":
            self.sb.tokens_expire()
        elif fault == "429":
            return json_response({"Error": "Too many requests.",
                                  "RateLimitResetTime": net_time_7(self.sb.clock.time() + 60)}, 429)
        elif fault:
            return json_response({"Message": "An error has occurred."}, int(fault))
        try:
            # ASP.NET routes ignore case: match the lower-cased path, keep path values as sent
            endpoint, args = URLS.bind_to_environ({**request.environ, "PATH_INFO": request.path.lower()}).match()
            if "sku" in args:
                args["sku"] = request.path.split("/")[-2]
        except HTTPException as exc:
            message = f"No HTTP resource was found that matches the request URI '{request.url}'."
            return json_response({"Message": message}, 405 if exc.code == 405 else 404)
        try:
            if endpoint not in ("token", "server_by_team"):
                self.authenticate(request)
            with self.sb.lock:
                return getattr(self, endpoint)(request, Query(request.args), **args)
        except ApiProblem as exc:
            return exc.response()

    def authenticate(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not self.sb.token_valid(token.strip()):
            raise ApiProblem(401, "Authorization has been denied for this request.")

    def body(self, request):
        return ci(body_fields(request))

    # --- discovery -----------------------------------------------------------------------------
    def server_by_team(self, request, query):
        """`GET /api/server-by-team/?team=`: this host's REST base for the sandbox's team (scloud-api's call)."""
        if (query.get("team") or "").lower() != self.sb.team:
            return json_response({"Success": False, "Message": "Team name not found. Please try again."})
        return json_response({"Success": True, "RestApiEndpoint": f"{request.host_url.rstrip('/')}/rest",
                              "Team": self.sb.team})

    # --- token ---------------------------------------------------------------------------------
    def token(self, request, query):
        body = self.body(request)
        if not isinstance(body, dict):
            raise ApiProblem(400, "The request is invalid.", {"model": ["The model field is required."]})
        token, issued = self.sb.token_issue(body.get("username"), body.get("password"))
        expires = issued + self.sb.token_ttl
        return json_response({"access_token": token, "token_type": "Bearer", "username": self.sb.username,
                              "expires_in": float(self.sb.token_ttl), ".issued": net_time(issued),
                              ".expires": net_time(expires)})

    # --- companies, warehouses ---------------------------------------------------------------------
    def companies(self, request, query):
        ids = set(query.ints("model.companyID"))
        channels = set(query.ints("model.channel"))
        keyword = (query.get("model.keyword") or "").lower()
        rows = [{"ID": cid, **{k: v for k, v in c.items() if k != "Address"}} for cid, c in self.sb.companies.items()
                if (not ids or cid in ids) and (not channels or channels & set(c["EnabledOnChannels"]))
                and keyword in c["CompanyName"].lower()]
        return json_response(page(rows, query))

    def warehouses(self, request, query):
        ids = set(query.ints("model.warehouseIds"))
        kind = query.int("model.warehouseType")
        default, sellable = query.int("model.isDefault", 0), query.int("model.isSellable", 0)
        name = (query.get("model.name") or "").lower()
        rows = [{**w, "CreatedOn": net_time(w["CreatedOn"]), "WarehouseAddress": self.warehouse_address(w)}
                for w in self.sb.warehouses.values()
                if (not ids or w["ID"] in ids) and (kind is None or w["WarehouseType"] == kind)
                and _tri(default, w["IsDefault"]) and _tri(sellable, w["IsSellAble"]) and name in w["Name"].lower()]
        return json_response(page(rows, query))

    def warehouse_address(self, warehouse):
        """The default warehouse sits at the company's address; the others have none in the sandbox."""
        if not warehouse["IsDefault"]:
            return {}
        address = self.sb.companies[self.sb.company_id]["Address"]
        return {key: address.get(key, "") for key in ("Business", "Address", "Address2", "City", "State", "ZipCode",
                                                      "Country", "Phone", "FirstName", "LastName")}

    # --- orders ------------------------------------------------------------------------------------
    def orders_list(self, request, query):
        rows = orders_filter(self.sb, query)
        return json_response(page(rows, query, cap=self.sb.orders_page_cap,
                                  view=lambda o: orders.order_list_view(self.sb, o)))

    def order_create(self, request, query):
        return json_response(self.sb.order_create(self.body(request)))

    def order_get(self, request, query, order_id):
        return json_response(orders.order_single_view(self.sb, self.sb.order_get(order_id)))

    def order_ship(self, request, query):
        orders.order_ship(self.sb, self.body(request))
        return empty_ok()

    def order_status(self, request, query):
        body = self.body(request)
        status = body.get("status") if isinstance(body, dict) else None
        ids = body.get("orders") if isinstance(body, dict) else None
        if status not in ORDER_STATUSES or not isinstance(ids, list):
            raise ApiProblem(400, "The request is invalid.", {"request.Status": ["The Status field is required."]})
        updated = []
        for order_id in ids:
            order = self.sb.orders.get(int(order_id))
            if order is not None:
                order["StatusCode"] = status
                updated.append(order["ID"])
        return json_response(updated)

    def order_payment(self, request, query, order_id):
        body = self.body(request)
        method = body.get("paymentmethod") if isinstance(body, dict) else None
        if method not in MANUAL_PAYMENT_METHODS:
            raise ApiProblem(400, "The request is invalid.",
                             {"model.PaymentMethod": [f"The value '{method}' is not valid for PaymentMethod."]})
        amount = orders._money(body.get("amount"), "Amount")
        self.sb.payment_receive(order_id, method, amount, body.get("notes"), body.get("referencenumber"))
        return empty_ok()

    def order_note(self, request, query, order_id):
        body = self.body(request)
        order = self.sb.order_get(order_id)
        order["Notes"].append({"Note": str(body.get("message") or ""), "Category": int(body.get("category") or 0)})
        return empty_ok()

    # --- inventory, catalog, products -------------------------------------------------------------------
    def inventory(self, request, query):
        return json_response(catalog.inventory_page(self.sb, query))

    def inventory_warehouses(self, request, query):
        sku = query.get("productID")
        if not sku:
            raise ApiProblem(400, "The request is invalid.", {"productID": ["The productID field is required."]})
        self.sb.product_get(sku)
        wanted = query.int("warehouseID")
        return json_response([{"ProductID": sku, "WarehouseID": w, "PhysicalQty": self.sb.stock.get((sku, w), 0),
                               "AvailableQty": self.sb.stock.get((sku, w), 0)}
                              for w in self.sb.warehouses if wanted in (None, w)])

    def stock_set(self, request, query):
        catalog.stock_set(self.sb, self.body(request))
        return empty_ok()

    def stock_adjust(self, request, query):
        catalog.stock_adjust(self.sb, self.body(request))
        return empty_ok()

    def catalog(self, request, query):
        return json_response(catalog.catalog_page(self.sb, query))

    def basic_info(self, request, query):
        catalog.basic_info(self.sb, self.body(request))
        return empty_ok()

    def product_create(self, request, query):
        return json_response(catalog.product_create(self.sb, self.body(request)))

    def custom_column(self, request, query, sku):
        body = self.body(request)
        if not isinstance(body, dict) or not body.get("columnname"):
            raise ApiProblem(400, "The request is invalid.",
                             {"model.ColumnName": ["The ColumnName field is required."]})
        self.sb.product_get(sku)["CustomColumns"][str(body["columnname"])] = body.get("value")
        return empty_ok()


def _tri(choice, value):
    """0 All, 1 Yes, 2 No."""
    return choice == 0 or (choice == 1) == bool(value)


def orders_filter(sb, query):
    ids = set(query.ints("model.orderIDs"))
    companies = set(query.ints("model.companyID"))
    statuses = set(query.ints("model.orderStatus"))
    sources = set(query.many("model.orderSourceOrderIDList"))
    channel = query.int("model.channel")
    shipping = query.int("model.shippingStatus")
    created_from, created_to = query.date("model.createdOnFrom"), query.date("model.createdOnTo")
    rows = []
    for order in sb.orders.values():
        if ((ids and order["ID"] not in ids) or (companies and order["CompanyID"] not in companies)
                or (statuses and order["StatusCode"] not in statuses)
                or (sources and order["OrderSourceOrderID"] not in sources)
                or (channel is not None and order["OrderSource"] != channel)
                or (shipping is not None and order["ShippingStatus"] != shipping)
                or (created_from is not None and order["CreatedOn"] < created_from)
                or (created_to is not None and order["CreatedOn"] > created_to)):
            continue
        rows.append(order)
    return sorted(rows, key=lambda o: o["ID"])
