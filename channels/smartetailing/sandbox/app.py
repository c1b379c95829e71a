"""The sandbox's WSGI app: the XML order service at /webservices/xml/feeds.cfc (any host), as
channels-deep.md §1.2/§1.5 describe it, and the control surface under /sandbox/.

Every call is a GET with the six query parameters method, ver, merchant, URLkey, OrderNumber,
OrderStatus (exact spelling; empty ones as empty strings). PROVISIONAL answers where no source shows
the real one: a missing parameter or unsupported `ver` -> 400 `<Error>…</Error>`, a wrong merchant/URLkey
pair -> 401 `<Error>Invalid merchant or URL key</Error>`, UpdateOrder/UpdateStatus -> `<Result>OK</Result>`,
an unknown OrderNumber -> 404.

Fault `drop_update_order`: the next UpdateOrder is carried out, then its answer is lost (the in-process
transport raises RemoteProtocolError; over a socket the connection is shut before the answer).
"""
import socket

import httpx
from werkzeug.wrappers import Request, Response

from connector.sandbox_kit import SandboxTransport

from .feed_xml import web_orders

FEED_PATH = "/webservices/xml/feeds.cfc"
PARAMS = ("method", "ver", "merchant", "URLkey", "OrderNumber", "OrderStatus")
VERSION = "2.00"
XML = "text/xml; charset=utf-8"
DROP_HEADER = "X-Sandbox-Drop"


class Problem(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def xml_error(status, message):
    return Response(f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{message}</Error>', status=status,
                    content_type=XML)


def xml_ok():
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n<Result>OK</Result>', content_type=XML)


class SandboxApp:
    def __init__(self, sandbox):
        self.sb = sandbox

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith("/sandbox"):
            with self.sb.lock:
                return self.sb.control(request)(environ, start_response)
        response = self.dispatch(request)
        dropped = DROP_HEADER in response.headers
        self.sb.request_log.append({"method": request.method, "path": request.path, "query": _redacted(request),
                                    "status": response.status_code, "fault": "drop_update_order" if dropped else None})
        if dropped and not environ.get("sandbox.transport"):
            _shut(environ)
        return response(environ, start_response)

    def dispatch(self, request):
        if request.path.rstrip("/") != FEED_PATH:
            return Response("Not found", status=404, content_type="text/html")
        if request.method not in ("GET", "HEAD"):
            return Response("Method not allowed", status=405, content_type="text/html")
        fault = self.sb.faults.take(request.method, request.path, {"500", "503", "malformed_xml", "bad_url_key"})
        if fault in ("500", "503"):
            return Response(f"<html><body>sandbox fault {fault}</body></html>", status=int(fault),
                            content_type="text/html")
        try:
            args = self.arguments(request, force_bad_key=fault == "bad_url_key")
            if fault == "malformed_xml" and args["method"] == "Orders":
                return Response("<WebOrders><NumberOfOrders>1</NumberOfOrders><WebOrder><Order><OrderId>",
                                content_type=XML)
            return getattr(self, f"method_{args['method']}")(args)
        except Problem as exc:
            return xml_error(exc.status, exc.message)

    def arguments(self, request, *, force_bad_key=False):
        missing = [p for p in PARAMS if p not in request.args]
        if missing:
            raise Problem(400, f"Missing parameter(s): {', '.join(missing)}")
        args = {p: request.args.get(p, "") for p in PARAMS}
        if force_bad_key or args["merchant"] != self.sb.merchant or args["URLkey"] != self.sb.url_key:
            raise Problem(401, "Invalid merchant or URL key")
        if args["ver"] != VERSION:
            raise Problem(400, f"Unsupported version {args['ver']!r}; use ver=2.00")
        if args["method"] not in ("Orders", "UpdateOrder", "UpdateStatus"):
            raise Problem(400, f"Unknown method {args['method']!r}")
        return args

    def method_Orders(self, args):  # noqa: N802  the wire's method name
        with self.sb.lock:
            orders = self.sb.orders_open()
            body = web_orders([o for o in orders if o.get("raw") is None], number_of_orders=len(self.sb.orders))
            raws = [o["raw"] for o in orders if o.get("raw") is not None]
        if raws:
            body = body.replace("</WebOrders>", "\n".join(raws) + "\n</WebOrders>")
        return Response(body, content_type=XML)

    def order_of(self, args):
        order_id = args["OrderNumber"]
        if not order_id:
            raise Problem(400, "OrderNumber is required")
        if order_id not in self.sb.orders:
            raise Problem(404, f"Order {order_id} not found")
        return order_id

    def method_UpdateOrder(self, args):  # noqa: N802
        self.sb.order_confirm(self.order_of(args))
        response = xml_ok()
        if self.sb.faults.take("GET", FEED_PATH, {"drop_update_order"}):
            response.headers[DROP_HEADER] = "1"
        return response

    def method_UpdateStatus(self, args):  # noqa: N802
        order_id = self.order_of(args)
        if not args["OrderStatus"]:
            raise Problem(400, "OrderStatus is required")
        self.sb.order_status_set(order_id, args["OrderStatus"])
        return xml_ok()


def _redacted(request):
    return "&".join(f"{k}={'***' if k == 'URLkey' else v}" for k, v in request.args.items(multi=True))


class DroppingTransport(SandboxTransport):
    """The kit's transport, plus the lost UpdateOrder answer."""

    def handle_request(self, request):
        response = super().handle_request(request)
        if DROP_HEADER in response.headers:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return response


def _shut(environ):
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
