"""SameSystemSandbox: the in-memory SameSystem (API v1 as samesystem.apib describes it) with a CSV intake.

    sb = SameSystemSandbox(clock=FakeClock())
    sb.email, sb.password                      # the API user (logs in with POST /api/v1/login)
    sb.departments                             # ctx token -> {"id", "name", "dpt_no", "register_count"}
    sb.balance("c1d10", 1, "2026-10-25")       # the day as SameSystem holds it: lines, confirmed, ...
    sb.fields[5266]["mandatory"] = True        # confirm answers 412 while it is missing
    sb.csv_imports                             # what the CSV intake accepted, with its errors per row

Tokens last `token_ttl` seconds (10 minutes) on the injected clock; logout invalidates one.
"""
import hashlib
import re
import secrets
import threading
from datetime import date, datetime, timedelta, timezone

from connector.clock import system_clock
from connector.sandbox_kit import FaultInjector, SandboxTransport
from connector.sandbox_server import LoopbackFaults

from . import seeding

FAULT_KINDS = ("500", "503", "429", "timeout", "drop_after_commit", "malformed_json", "expire_token")
TOKEN_TTL = 600  # "Token is valid for 10 minutes."
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")  # "%g": no thousands separator, a point


class ApiProblem(Exception):
    """An answer in SameSystem's error shape: {"status": "fail", "description": ...} (or "unauthorized")."""

    def __init__(self, status, description=None, *, kind="fail"):
        super().__init__(description or kind)
        self.status, self.description, self.kind = status, description, kind

    def body(self):
        body = {"status": self.kind}
        if self.description is not None:
            body["description"] = self.description
        return body


def unauthorized():
    return ApiProblem(401, kind="unauthorized")


def parse_day(value):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ApiProblem(400, f"Invalid date '{value}', use YYYY-MM-DD") from None


def week_monday(day):
    return day - timedelta(days=day.weekday())


class SameSystemSandbox:
    def __init__(self, *, clock=None, seed=1, token_ttl=TOKEN_TTL, timeout_seconds=60.0, user_name="API User"):
        self.clock = clock or system_clock
        self.seed = seed
        self.lock = threading.RLock()
        self.client_id = seeding.CLIENT_ID
        self.email = f"api-{seed}@samesystem-sandbox.test"
        self.password = "ss-" + hashlib.sha256(f"samesystem-sandbox-{seed}".encode()).hexdigest()[:20]
        self.user_name = user_name
        self.token_ttl = token_ttl
        self.timeout_seconds = timeout_seconds
        self.tokens = {}  # token -> expires_at (clock seconds)
        self.departments = seeding.seeded_departments(self.client_id)
        self.fields = seeding.seeded_fields()
        self.days = {}  # (ctx, register_number, "YYYY-MM-DD") -> {"lines": {field_id: value}, "comments", ...}
        self.approved_weeks = set()  # (ctx, register_number, monday iso)
        self.register_counts = {}  # (ctx, monday iso) -> count, when a week differs from the department's
        self.actions = []  # what clients did: save / confirm / unconfirm / approve / unapprove, in order
        self.csv_imports = []  # {"at", "client", "rows", "errors"} per uploaded file
        self.csv_rows = {}  # (dpt_no, register, date) -> [row dicts] as last accepted
        self.request_log = []
        self.faults = FaultInjector(FAULT_KINDS)

    # --- WSGI, transport and control ----------------------------------------------------------
    @property
    def wsgi_app(self):
        from .app import SandboxApp
        from .control import SameSystemControl

        if not hasattr(self, "_app"):
            self.control = SameSystemControl(self)
            self._app = LoopbackFaults(SandboxApp(self), self.faults, hold_seconds=self.timeout_seconds,
                                       on_fault=self.log_network_fault)
        return self._app

    def transport(self):
        return SandboxTransport(self.wsgi_app, self.faults, on_fault=self.log_network_fault)

    def log_network_fault(self, method, path, query, kind, status):
        self.request_log.append({"method": method, "path": path, "query": query, "status": status, "fault": kind})

    # --- authentication -----------------------------------------------------------------------
    def login(self, email, password):
        if email != self.email or password != self.password:
            raise ApiProblem(401, "Invalid email or password")
        token = secrets.token_urlsafe(16)[:22]  # the blueprint's tokens are 22 characters
        with self.lock:
            self.tokens[token] = self.clock.time() + self.token_ttl
        return token

    def token_check(self, token):
        expires_at = self.tokens.get(token or "")
        if expires_at is None or expires_at <= self.clock.time():
            self.tokens.pop(token or "", None)
            raise unauthorized()

    def logout(self, token):
        self.tokens.pop(token, None)

    def tokens_expire(self):
        """Control: every token expires now (clients must log in again)."""
        with self.lock:
            count = len(self.tokens)
            self.tokens.clear()
        return count

    # --- departments and fields --------------------------------------------------------------
    def department(self, ctx):
        if ctx not in self.departments:
            raise unauthorized()  # a department the user cannot reach: 401 "unauthorized" (blueprint)
        return self.departments[ctx]

    def departments_view(self):
        return [{"name": d["name"], "ctx_token": ctx, "dpt_no": d["dpt_no"]} for ctx, d in self.departments.items()]

    def fields_view(self):
        return {"fields": [dict(f) for f in self.fields.values()], "expense_groups": list(seeding.EXPENSE_GROUPS),
                "deposit_groups": []}

    def register_count(self, ctx, day):
        return self.register_counts.get((ctx, week_monday(day).isoformat()), self.department(ctx)["register_count"])

    def register_check(self, ctx, day, register_number):
        count = self.register_count(ctx, day)
        if not 1 <= register_number <= count:
            raise ApiProblem(400, f"Register #{register_number} does not exist (the department has {count})")

    # --- weekly balance ------------------------------------------------------------------------
    def day_state(self, ctx, register_number, day):
        return self.days.setdefault((ctx, register_number, day.isoformat()),
                                    {"lines": {}, "comments": "", "expenses": [], "deposits": [], "confirmed": None})

    def balance(self, ctx, register_number, day):
        """The day as stored, for tests and the control page (None when nothing was ever saved)."""
        return self.days.get((ctx, register_number, str(day)))

    def week_approved(self, ctx, register_number, day):
        return (ctx, register_number, week_monday(day).isoformat()) in self.approved_weeks

    def week_view(self, ctx, day):
        self.department(ctx)
        monday = week_monday(day)
        week = [(monday + timedelta(days=n)).isoformat() for n in range(7)]
        registers = []
        for number in range(1, self.register_count(ctx, day) + 1):
            stored = {d: self.days[(ctx, number, d)] for d in week if (ctx, number, d) in self.days}
            registers.append({
                "register_number": number,
                "week_approved": self.week_approved(ctx, number, day),
                "unavailable_fields": [],
                "confirmed": {d: s["confirmed"] for d, s in stored.items() if s["confirmed"]},
                "comments": {d: s["comments"] for d, s in stored.items() if s["comments"]},
                "lines": {d: [{"field_id": f, "value": v} for f, v in s["lines"].items()] for d, s in stored.items()
                          if s["lines"]},
                "expenses": {d: s["expenses"] for d, s in stored.items() if s["expenses"]},
                "deposits": {},
            })
        return {"register_count": len(registers), "registers": registers}

    def save(self, ctx, day, register_number, body):
        self.department(ctx)
        self.register_check(ctx, day, register_number)
        if not isinstance(body, dict):
            raise ApiProblem(400, "Request body must be a JSON object")
        lines = body.get("lines") or []
        if not isinstance(lines, list):
            raise ApiProblem(400, "'lines' must be a list of {field_id, value}")
        values = dict(self.line_values(lines))
        if self.week_approved(ctx, register_number, day):
            raise ApiProblem(400, f"Week of {day} register #{register_number} is approved; unapprove it first")
        state = self.day_state(ctx, register_number, day)
        if state["confirmed"]:
            raise ApiProblem(400, f"Day {day} register #{register_number} is confirmed; unconfirm it first")
        state["lines"].update(values)
        if "comments" in body:
            state["comments"] = str(body.get("comments") or "")
        if isinstance(body.get("expenses"), list):
            state["expenses"] = body["expenses"]
        self.actions.append({"action": "save", "ctx": ctx, "date": day.isoformat(), "register": register_number,
                             "lines": values})
        return {"status": "ok",
                "description": f"Weekly balance numbers for {day} register #{register_number} has been saved."}

    def line_values(self, lines):
        for line in lines:
            if not isinstance(line, dict) or "field_id" not in line or "value" not in line:
                raise ApiProblem(400, "Each line needs field_id and value")
            field = self.fields.get(line["field_id"]) if isinstance(line["field_id"], int) else None
            if field is None:
                raise ApiProblem(400, f"Unknown field_id {line['field_id']}")
            if field["calculated"]:
                continue  # calculated fields are computed by SameSystem; a submitted value is ignored
            yield field["field_id"], self.value_checked(field, line["value"])

    @staticmethod
    def value_checked(field, value):
        if field["field_type"] == "text":
            if not isinstance(value, str):
                raise ApiProblem(400, f"Field {field['field_id']} ({field['name']}) takes text")
            return value
        if isinstance(value, str) and PLAIN_NUMBER.match(value.strip()):
            return float(value)  # "%g" as text, e.g. "123.12": the blueprint's number format
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ApiProblem(400, f"Field {field['field_id']} ({field['name']}) takes a number, not {value!r} "
                                  f"(localized number formatting is not allowed)")
        return float(value)

    def confirm(self, ctx, day, register_number):
        self.department(ctx)
        self.register_check(ctx, day, register_number)
        if self.week_approved(ctx, register_number, day):
            raise ApiProblem(400, f"Week of {day} register #{register_number} is approved")
        state = self.day_state(ctx, register_number, day)
        if state["lines"]:  # all fields empty is a closed day, which confirms as it is
            for field in self.fields.values():
                if field["mandatory"] and not field["calculated"] and field["field_id"] not in state["lines"]:
                    raise ApiProblem(412, f"Mandatory field '{field['name']}' is missing")
        now = datetime.fromtimestamp(self.clock.time(), tz=timezone.utc)
        state["confirmed"] = {"datetime": now.strftime("%Y-%m-%d %H:%M:%S"), "user": self.user_name}
        self.actions.append({"action": "confirm", "ctx": ctx, "date": day.isoformat(), "register": register_number})
        return {"status": "ok"}

    def unconfirm(self, ctx, day, register_number):
        self.department(ctx)
        self.register_check(ctx, day, register_number)
        if self.week_approved(ctx, register_number, day):
            raise ApiProblem(400, f"Week of {day} register #{register_number} is approved; unapprove it first")
        self.day_state(ctx, register_number, day)["confirmed"] = None
        self.actions.append({"action": "unconfirm", "ctx": ctx, "date": day.isoformat(), "register": register_number})
        return {"status": "ok"}

    def approve_week(self, ctx, day, register_number):
        self.department(ctx)
        self.register_check(ctx, day, register_number)
        monday = week_monday(day)
        for n in range(7):
            other = monday + timedelta(days=n)
            stored = self.days.get((ctx, register_number, other.isoformat()))
            if not stored or not stored["confirmed"]:
                raise ApiProblem(400, f"Day {other} register #{register_number} is not confirmed")
        self.approved_weeks.add((ctx, register_number, monday.isoformat()))
        self.actions.append({"action": "approve_week", "ctx": ctx, "date": day.isoformat(),
                             "register": register_number})
        return {"status": "ok"}

    def unapprove_week(self, ctx, day, register_number):
        self.department(ctx)
        self.register_check(ctx, day, register_number)
        self.approved_weeks.discard((ctx, register_number, week_monday(day).isoformat()))
        self.actions.append({"action": "unapprove_week", "ctx": ctx, "date": day.isoformat(),
                             "register": register_number})
        return {"status": "ok"}

    # --- the CSV intake (PROVISIONAL transport, FACT format: helpapp 5025430) -------------------
    def csv_import(self, text, *, time_zone="Europe/Copenhagen"):
        from .csv_intake import csv_parse

        known = {d["dpt_no"]: d for d in self.departments.values() if d["dpt_no"]}
        rows, errors = csv_parse(text, known_departments=known, time_zone=time_zone)
        with self.lock:
            for key in {(r["Department Id"], r["Register Id"], r["Date"]) for r in rows}:
                self.csv_rows[key] = []  # a file replaces the hours of each day it carries
            for row in rows:
                self.csv_rows[(row["Department Id"], row["Register Id"], row["Date"])].append(row)
            self.csv_imports.append({"at": self.clock.time(), "rows": len(rows), "errors": errors})
        return {"status": "ok" if not errors else "fail", "rows": len(rows), "errors": errors}
