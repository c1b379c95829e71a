"""The sandbox's WSGI app: SameSystem API v1 under /api/v1, as samesystem.apib describes it.

    POST /api/v1/login                                   {"email","password"} -> 201 {"status":"ok","token"}
    POST /api/v1/logout                                  {} -> 200 {"status":"ok"}
    GET  /api/v1/departments                             {"departments":[{name, ctx_token, dpt_no}]}
    GET  /api/v1/{ctx}/weekly_balance/fields             {"fields", "expense_groups", "deposit_groups"}
    GET  /api/v1/{ctx}/weekly_balance/{date}             the week of `date`, per register
    POST /api/v1/{ctx}/weekly_balance/{save|confirm|unconfirm|approve_week|unapprove_week}/{date}/{register}

Every path also answers with a `.json` suffix. Auth: `AUTHORIZATION: Token token="…"`; a missing, unknown
or expired token, or a department the user cannot reach, is 401 {"status": "unauthorized"}. Errors are
{"status": "fail", "description": …}; confirm without a mandatory field is 412.
CSV intake (PROVISIONAL transport): POST /sim/pos-import (the file as the body, or multipart `file`).
Control surface: /sandbox/.
"""
import json
import re

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .core import ApiProblem, parse_day, unauthorized

API = "/api/v1"
DAY_ACTIONS = ("save", "confirm", "unconfirm", "approve_week", "unapprove_week")
URLS = Map([
    Rule(f"{API}/login", methods=["POST"], endpoint="login"),
    Rule(f"{API}/logout", methods=["POST"], endpoint="logout"),
    Rule(f"{API}/departments", methods=["GET"], endpoint="departments"),
    Rule(f"{API}/<ctx>/weekly_balance/fields", methods=["GET"], endpoint="fields"),
    Rule(f"{API}/<ctx>/weekly_balance/<day>", methods=["GET"], endpoint="week"),
    *(Rule(f"{API}/<ctx>/weekly_balance/{action}/<day>/<int:register>", methods=["POST"], endpoint=action)
      for action in DAY_ACTIONS),
    Rule("/sim/pos-import", methods=["POST"], endpoint="csv_upload"),
], strict_slashes=False)
TOKEN = re.compile(r'^\s*Token\s+token\s*=\s*"?([^"\s]+)"?\s*$', re.IGNORECASE)
UNAUTHENTICATED = {"login", "csv_upload"}


def answer(body, status=200):
    return Response(json.dumps(body), status=status, content_type="application/json; charset=utf-8")


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
        fault = self.sb.faults.take(request.method, request.path, {"500", "503", "429", "malformed_json",
                                                                  "expire_token"})
        if fault == "malformed_json":
            return Response('{"status": "o', status=200, content_type="application/json")
        if fault == "expire_token":
            self.sb.tokens_expire()
        elif fault:
            headers = {"Retry-After": "1"} if fault == "429" else {}
            return Response(f"sandbox fault {fault}", status=int(fault), headers=headers)
        path = request.path[:-5] if request.path.endswith(".json") else request.path
        try:
            endpoint, args = URLS.bind("sandbox").match(path, method=request.method)
        except HTTPException as exc:
            return answer({"status": "fail", "description": exc.description or exc.name}, exc.code or 404)
        try:
            with self.sb.lock:
                if endpoint not in UNAUTHENTICATED:
                    self.sb.token_check(self.token(request))
                body, status = getattr(self, endpoint)(request, **args)
        except ApiProblem as exc:
            return answer(exc.body(), exc.status)
        return answer(body, status)

    @staticmethod
    def token(request):
        match = TOKEN.match(request.headers.get("Authorization", ""))
        if not match:
            raise unauthorized()
        return match.group(1)

    @staticmethod
    def json_body(request):
        """The body as JSON whatever the Content-Type says (the blueprint's own is `'application/json'`)."""
        raw = request.get_data(cache=True)
        if not raw.strip():
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiProblem(400, "Request body is not valid JSON") from None

    # --- endpoints ----------------------------------------------------------------------------
    def login(self, request):
        body = request.form.to_dict() if request.mimetype == "application/x-www-form-urlencoded" else \
            self.json_body(request)
        if not isinstance(body, dict):
            raise ApiProblem(400, "Send {\"email\", \"password\"}")
        return {"status": "ok", "token": self.sb.login(body.get("email"), body.get("password"))}, 201

    def logout(self, request):
        self.sb.logout(self.token(request))
        return {"status": "ok"}, 200

    def departments(self, request):
        return {"departments": self.sb.departments_view()}, 200

    def fields(self, request, ctx):
        self.sb.department(ctx)
        return self.sb.fields_view(), 200

    def week(self, request, ctx, day):
        return self.sb.week_view(ctx, parse_day(day)), 200

    def save(self, request, ctx, day, register):
        return self.sb.save(ctx, parse_day(day), register, self.json_body(request)), 200

    def confirm(self, request, ctx, day, register):
        return self.sb.confirm(ctx, parse_day(day), register), 200

    def unconfirm(self, request, ctx, day, register):
        return self.sb.unconfirm(ctx, parse_day(day), register), 200

    def approve_week(self, request, ctx, day, register):
        return self.sb.approve_week(ctx, parse_day(day), register), 200

    def unapprove_week(self, request, ctx, day, register):
        return self.sb.unapprove_week(ctx, parse_day(day), register), 200

    def csv_upload(self, request):
        upload = request.files.get("file")
        raw = upload.read() if upload else request.get_data(cache=True)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiProblem(400, "The file must be UTF-8") from None
        result = self.sb.csv_import(text)
        return result, 200 if not result["errors"] else 400
