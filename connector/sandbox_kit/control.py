"""The control surface base, under /sandbox/: JSON for scripts and tests; for a person, GET /sandbox/ is an
HTML page whose forms post to the same routes and are redirected back with a message (content negotiation:
a request whose Accept prefers text/html gets the page and the redirects, anything else gets JSON).

A subclass sets `title`, decorates methods with `@route(method, pattern)` (a handler gets the form or JSON
fields and the pattern's int groups, returns a JSON-able body or `(body, status)`, raises ValueError,
KeyError or TypeError for a bad request) and describes its page with `page_facts`, `page_forms`,
`page_tables`. Faults and the request log come with the base.
"""
import json
import re
from urllib.parse import quote

from werkzeug.wrappers import Response

from . import page


def route(method, pattern):
    def tag(func):
        func.control_route = (method, re.compile(f"^/sandbox{pattern}$"))
        return func
    return tag


class ControlSurface:
    title = "Sandbox"

    def __init__(self, faults, request_log):
        self.faults = faults
        self.request_log = request_log
        self.routes = [getattr(self, name).control_route + (getattr(self, name),) for name in dir(self)
                       if hasattr(getattr(self, name, None), "control_route")]

    def __call__(self, request):
        html = wants_html(request)
        if html and request.method == "GET" and request.path.rstrip("/") == "/sandbox":
            return Response(self.page(request), content_type="text/html; charset=utf-8")
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if match and request.method == method:
                return self._run(request, handler, {k: int(v) for k, v in match.groupdict().items()}, html)
        return json_body({"error": f"no control route {request.method} {request.path}"}, 404)

    def _run(self, request, handler, ids, html):
        try:
            result = handler(request_fields(request), **ids)
        except (KeyError, ValueError, TypeError) as exc:
            if html:
                return back(error=f"{handler.__name__}: {exc}")
            return json_body({"error": str(exc)}, 400)
        body, status = result if isinstance(result, tuple) else (result, 200)
        if html:
            return back(message=f"{handler.__name__.replace('_', ' ')}: done")
        return json_body(body, status)

    # Faults and the request log: every sandbox has them.
    @route("POST", "/faults")
    def inject_fault(self, fields):
        self.faults.inject(fields["kind"], method=fields.get("method") or None,
                           path_contains=fields.get("path_contains") or None, times=int(fields.get("times") or 1))
        return {"faults": self.faults.describe()}, 201

    @route("DELETE", "/faults")
    def clear_faults(self, fields):
        self.faults.clear()
        return {"faults": []}

    @route("POST", "/faults/clear")
    def clear_faults_form(self, fields):
        return self.clear_faults(fields)

    @route("GET", "/requests")
    def requests(self, fields):
        limit = int(fields.get("limit", 100))
        return {"requests": self.request_log[-limit:], "total": len(self.request_log)}

    @route("DELETE", "/requests")
    def clear_requests(self, fields):
        self.request_log.clear()
        return {"requests": []}

    # The page.
    def page_facts(self):
        return []

    def page_forms(self):
        return []

    def page_tables(self):
        return []

    def page(self, request):
        forms = [*self.page_forms(), page.fault_form(self.faults.kinds), page.Form(
            "Clear armed faults", "/sandbox/faults/clear", [], "Clear faults")]
        pending = page.Table("Armed faults", ["kind", "method", "path_contains", "times"],
                             [[f["kind"], f["method"] or "any", f["path_contains"] or "any", f["times"]]
                              for f in self.faults.describe()])
        recent = page.Table("Recent requests (newest first)", ["method", "path", "query", "status", "fault"],
                            [[r.get("method"), r.get("path"), r.get("query"), r.get("status"), r.get("fault") or ""]
                             for r in reversed(self.request_log[-25:])])
        return page.render(self.title, self.page_facts(), forms, [*self.page_tables(), pending, recent],
                           message=request.args.get("message", ""), error=request.args.get("error", ""))


def wants_html(request):
    accept = request.accept_mimetypes
    return accept.best_match(["application/json", "text/html"]) == "text/html" and accept["text/html"] > 0


def request_fields(request):
    if request.mimetype == "application/json":
        data = request.get_json(silent=True) if request.get_data() else {}
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data
    fields = request.args.to_dict()
    fields.update(request.form.to_dict())
    return fields


def back(message="", error=""):
    query = f"message={quote(message)}" if message else f"error={quote(error)}"
    return Response("", status=303, headers={"Location": f"/sandbox/?{query}"})


def json_body(body, status=200):
    return Response(json.dumps(body, indent=2, default=str), status=status, content_type="application/json")
