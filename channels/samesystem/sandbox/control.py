"""The sandbox's control surface under /sandbox/ (no token; the demo, tests and people use it), on
connector.sandbox_kit.ControlSurface: JSON for scripts, an HTML page for a browser.

GET  /sandbox/                    the API user (email, password), departments and counts
GET  /sandbox/balances            every saved day: department, register, date, lines, confirmed
GET  /sandbox/actions             what clients did, in order (save, confirm, unconfirm, ...)
GET  /sandbox/csv                 CSV imports with their errors per row, and the rows accepted
POST /sandbox/fields/mandatory    {"field_id", "mandatory": "1"|"0"}   confirm answers 412 while it is missing
POST /sandbox/register-count      {"ctx", "date", "count"}   that week has this many registers ("can differ per week")
POST /sandbox/tokens/expire       every token expires now
POST /sandbox/faults              {"kind", "method", "path_contains", "times"}   (DELETE clears; GET /sandbox/requests)
"""
from connector.sandbox_kit.control import ControlSurface, route
from connector.sandbox_kit.page import Field, Form, Table


class SameSystemControl(ControlSurface):
    title = "SameSystem sandbox"

    def __init__(self, sb):
        super().__init__(sb.faults, sb.request_log)
        self.sb = sb

    @route("GET", "/?")
    def summary(self, fields):
        sb = self.sb
        return {"email": sb.email, "password": sb.password, "departments": sb.departments_view(),
                "days_saved": len(sb.days), "actions": len(sb.actions), "csv_imports": len(sb.csv_imports),
                "faults": sb.faults.describe()}

    @route("GET", "/balances")
    def balances(self, fields):
        return [{"ctx": ctx, "register": register, "date": day, "lines": state["lines"],
                 "confirmed": state["confirmed"], "comments": state["comments"]}
                for (ctx, register, day), state in sorted(self.sb.days.items())]

    @route("GET", "/actions")
    def actions(self, fields):
        return self.sb.actions

    @route("GET", "/csv")
    def csv(self, fields):
        rows = [row for key in sorted(self.sb.csv_rows) for row in self.sb.csv_rows[key]]
        return {"imports": self.sb.csv_imports, "rows": rows}

    @route("POST", "/fields/mandatory")
    def field_mandatory(self, fields):
        field = self.sb.fields[int(fields["field_id"])]
        field["mandatory"] = str(fields.get("mandatory", "1")).lower() in ("1", "true", "on", "yes")
        return dict(field)

    @route("POST", "/register-count")
    def register_count(self, fields):
        from datetime import date

        from .core import week_monday

        self.sb.department(fields["ctx"])
        monday = week_monday(date.fromisoformat(fields["date"])).isoformat()
        self.sb.register_counts[(fields["ctx"], monday)] = int(fields["count"])
        return {"ctx": fields["ctx"], "week": monday, "register_count": int(fields["count"])}

    @route("POST", "/tokens/expire")
    def expire_tokens(self, fields):
        return {"expired": self.sb.tokens_expire()}

    # The page.
    def page_facts(self):
        sb = self.sb
        return [("Email", sb.email), ("Password", sb.password),
                *((f"{d['name']}", f"ctx {ctx}, dpt_no {d['dpt_no']}, {d['register_count']} register(s)")
                  for ctx, d in sb.departments.items()),
                ("Days saved", len(sb.days)), ("CSV imports", len(sb.csv_imports)),
                ("JSON", "the same paths with Accept: application/json")]

    def page_forms(self):
        fields = [(f["field_id"], f"{f['field_id']} {f['name']}") for f in self.sb.fields.values()]
        return [
            Form("Make a field mandatory", "/sandbox/fields/mandatory",
                 [Field("field_id", "Field", options=fields), Field("mandatory", "Mandatory", "1", ["1", "0"])],
                 "Set", "Confirm answers 412 while a mandatory field is missing from the day."),
            Form("Expire tokens", "/sandbox/tokens/expire", [], "Expire",
                 "Every token expires now: clients must log in again."),
        ]

    def page_tables(self):
        names = {f["field_id"]: f["name"] for f in self.sb.fields.values()}
        rows = [[self.sb.departments[ctx]["name"], register, day,
                 ", ".join(f"{names.get(f, f)}: {v:g}" if isinstance(v, float) else f"{names.get(f, f)}: {v}"
                           for f, v in state["lines"].items()),
                 (state["confirmed"] or {}).get("datetime", "")]
                for (ctx, register, day), state in sorted(self.sb.days.items())[-60:]]
        errors = [[n + 1, e["row"], e["error"]]
                  for n, imp in enumerate(self.sb.csv_imports[-5:]) for e in imp["errors"]]
        csv_rows = [[r["Department Id"], r["Register Id"], r["Date"], r["Hour"], r["Gross Sales"], r["Net Sales"],
                     r["Transactions"]] for key in sorted(self.sb.csv_rows)[-3:] for r in self.sb.csv_rows[key]]
        return [Table("Weekly balance (department, register, day)", ["department", "register", "date", "lines",
                                                                     "confirmed"], rows),
                Table("CSV rows accepted (last days)", ["dept", "register", "date", "hour", "gross", "net",
                                                        "transactions"], csv_rows),
                Table("CSV errors per row", ["import", "row", "error"], errors)]
