"""The HTML control page every sandbox serves at /sandbox/: facts, forms that drive it, tables of state."""
import html
from dataclasses import dataclass, field

STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px;display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(330px,1fr))}
section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 16px}
section.wide{grid-column:1/-1}h2{font-size:15px;margin:0 0 8px}dl{display:grid;grid-template-columns:auto 1fr;
gap:2px 12px;margin:0}dt{color:#5b6475}dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
label{display:block;margin:4px 0;font-size:13px;color:#5b6475}input,select{width:100%;box-sizing:border-box;
padding:5px 7px;border:1px solid #c5cbd5;border-radius:5px;font:inherit;color:#1d2330}
button{margin-top:8px;padding:6px 14px;border:0;border-radius:5px;background:#2f6fed;color:#fff;font:inherit;
cursor:pointer}table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:3px 8px;
border-bottom:1px solid #eceef2}th{color:#5b6475;font-weight:600}.note{padding:8px 12px;border-radius:6px}
.ok{background:#e3f6e8}.err{background:#fde8e8}p.hint{font-size:13px;color:#5b6475;margin:4px 0 0}"""


@dataclass
class Field:
    name: str
    label: str
    default: str = ""
    options: list = field(default_factory=list)  # a select when given


@dataclass
class Form:
    title: str
    action: str
    fields: list
    submit: str
    hint: str = ""


@dataclass
class Table:
    title: str
    columns: list
    rows: list
    empty: str = "nothing yet"


def fault_form(kinds):
    return Form("Inject a fault", "/sandbox/faults", [
        Field("kind", "Kind", options=list(kinds)), Field("method", "Method (empty: any)"),
        Field("path_contains", "Path contains (empty: any)"), Field("times", "Times", "1")], "Inject",
        "The next matching API requests fail this way; the control page itself is never faulted.")


def render(title, facts, forms, tables, *, message="", error=""):
    e = html.escape
    notes = "".join(f'<p class="note {cls}">{e(text)}</p>' for cls, text in (("ok", message), ("err", error))
                    if text)
    facts_html = "".join(f"<dt>{e(str(k))}</dt><dd>{e(str(v))}</dd>" for k, v in facts)
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{e(title)}</title><style>{STYLE}</style>"
            f"</head><body><header><h1>{e(title)}</h1></header>{notes}<main>"
            f"<section><h2>About</h2><dl>{facts_html}</dl></section>"
            + "".join(_form(f) for f in forms) + "".join(_table(t) for t in tables) + "</main></body></html>")


def _form(form):
    e = html.escape
    inputs = "".join(f"<label>{e(f.label)}{_input(f)}</label>" for f in form.fields)
    hint = f'<p class="hint">{e(form.hint)}</p>' if form.hint else ""
    return (f'<section><h2>{e(form.title)}</h2><form method="post" action="{e(form.action)}">{inputs}'
            f"<button>{e(form.submit)}</button></form>{hint}</section>")


def _input(f):
    e = html.escape
    if f.options:
        options = "".join(f'<option value="{e(str(value))}"{" selected" if str(value) == f.default else ""}>'
                          f"{e(str(label))}</option>" for value, label in (_pair(o) for o in f.options))
        return f'<select name="{e(f.name)}">{options}</select>'
    return f'<input name="{e(f.name)}" value="{e(str(f.default))}">'


def _pair(option):
    return option if isinstance(option, tuple) else (option, option)


def _table(table):
    e = html.escape
    head = "".join(f"<th>{e(c)}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in table.rows)
    body = body or f'<tr><td colspan="{len(table.columns)}">{e(table.empty)}</td></tr>'
    return f'<section class="wide"><h2>{e(table.title)}</h2><table><tr>{head}</tr>{body}</table></section>'
